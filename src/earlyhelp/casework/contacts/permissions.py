"""Who may record, correct and delete a family's contacts.

Each predicate assumes the user already reached the family through the gatekeeper
(``casework.selectors.get_family_for_user``); these decide the action, not the visibility.
"""

from __future__ import annotations

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, team_ids_with_role
from earlyhelp.casework.models import Contact, Episode


def can_record_contact(user: AnyUser, episode: Episode | None) -> bool:
    """The open episode's lead practitioner, or a practitioner or manager of its team."""
    if episode is None or not episode.is_open or not user.is_authenticated:
        return False
    return episode.lead_practitioner_id == user.pk or episode.team_id in team_ids_with_role(
        user, Role.PRACTITIONER, Role.TEAM_MANAGER
    )


def _manages_contact_team(user: AnyUser, contact: Contact) -> bool:
    episode = contact.episode
    return episode is not None and episode.team_id in team_ids_with_role(user, Role.TEAM_MANAGER)


def can_correct_contact(user: AnyUser, contact: Contact) -> bool:
    """The note's author, or a manager of the team holding the episode it was recorded in."""
    if contact.is_deleted or not user.is_authenticated:
        return False
    return contact.recorded_by_id == user.pk or _manages_contact_team(user, contact)


def can_delete_contact(user: AnyUser, contact: Contact) -> bool:
    """Only a manager of the episode's team: deleting a note is exceptional."""
    return not contact.is_deleted and _manages_contact_team(user, contact)
