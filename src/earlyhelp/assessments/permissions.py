"""Who may start, write, submit, authorise and return an assessment. Pure predicates.

Reading an assessment follows reading its family (``casework.permissions.can_view_family``,
enforced by the family gatekeeper). Writing needs a place in the open episode's work: a
practitioner or manager of the team it is allocated to, or its lead practitioner. Deciding
on a submitted assessment belongs to the managers of the episode's team, and authorising
needs a second person: never the one who submitted it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.models import Episode
from earlyhelp.casework.permissions import hide_restricted


def works_on_episode(user: AnyUser, episode: Episode) -> bool:
    if not user.is_authenticated or not episode.is_open:
        return False
    return episode.lead_practitioner_id == user.pk or episode.team_id in team_ids_with_role(
        user, Role.PRACTITIONER, Role.TEAM_MANAGER
    )


def can_start_assessment(user: AnyUser, episode: Episode | None) -> bool:
    return episode is not None and works_on_episode(user, episode)


def can_edit_assessment(user: AnyUser, assessment: Assessment) -> bool:
    return assessment.is_draft and works_on_episode(user, assessment.episode)


def can_submit_assessment(user: AnyUser, assessment: Assessment) -> bool:
    return can_edit_assessment(user, assessment)


def manages_episode_team(user: AnyUser, episode: Episode) -> bool:
    return episode.team_id in team_ids_with_role(user, Role.TEAM_MANAGER)


def can_decide_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """A manager of the team looking at a submitted assessment (authorise or return)."""
    return assessment.status == Assessment.Status.SUBMITTED and manages_episode_team(
        user, assessment.episode
    )


def can_authorise_assessment(user: AnyUser, assessment: Assessment) -> bool:
    return can_decide_assessment(user, assessment) and assessment.submitted_by_id != user.pk


def can_return_assessment(user: AnyUser, assessment: Assessment) -> bool:
    return can_decide_assessment(user, assessment) and assessment.episode.is_open


def can_see_awaiting_authorisation(user: AnyUser) -> bool:
    return has_role(user, Role.TEAM_MANAGER)


def awaiting_authorisation_for(user: AnyUser) -> QuerySet[Assessment]:
    """Submitted assessments of the teams ``user`` manages, less those of restricted families
    ``user`` may not open (decision 0007: a restricted record is in no list)."""
    team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    if not team_ids:
        return Assessment.objects.none()
    return hide_restricted(
        user,
        Assessment.objects.filter(
            status=Assessment.Status.SUBMITTED, episode__team_id__in=team_ids
        ),
    )


def can_configure_headlines(user: AnyUser) -> bool:
    return has_role(user, Role.ADMIN)
