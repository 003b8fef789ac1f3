"""Who may record agreements and sharing decisions, and who authorises and approves.

Recording agreements, decisions and disclosure packages is work on an open case: the lead
practitioner, or a practitioner or team manager of the allocated team. Authorising sharing
without agreement, and approving a disclosure package, is for a team manager of that team
who is not the person who asked for it (four eyes). Reading follows the family
(``can_view_family``); the disclosure log is also open to the DPO.
"""

from __future__ import annotations

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.casework.models import Episode
from earlyhelp.people.models import Family


def open_episode(family: Family) -> Episode | None:
    return Episode.objects.filter(family=family, closed_at__isnull=True).first()


def can_record_sharing(user: AnyUser, family: Family) -> bool:
    if not user.is_authenticated:
        return False
    episode = open_episode(family)
    if episode is None:
        return False
    return episode.lead_practitioner_id == user.pk or episode.team_id in team_ids_with_role(
        user, Role.PRACTITIONER, Role.TEAM_MANAGER
    )


def manages_family_team(user: AnyUser, family: Family) -> bool:
    """A team manager of the team the family's open episode is allocated to."""
    if not user.is_authenticated:
        return False
    episode = open_episode(family)
    return episode is not None and episode.team_id in team_ids_with_role(user, Role.TEAM_MANAGER)


def can_authorise(user: AnyUser, family: Family, requested_by_id: int) -> bool:
    """Four eyes: a manager of the family's team, and not the person who asked."""
    return user.pk != requested_by_id and manages_family_team(user, family)


def sees_all_overdue_authorisations(user: AnyUser) -> bool:
    return has_role(user, Role.DPO)
