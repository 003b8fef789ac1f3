"""Who may rate a family's outcomes and record the sustain checks that follow.

Rating happens at closure, by the people working the episode: its lead practitioner and the
practitioners and managers of its team while it is open; once closed, the team's managers
(who keep the closed family) can still complete or correct a rating.

A sustain check falls due months after an outcome was achieved, usually after the episode
has closed, when the team's practitioners no longer see the family. So it can be recorded
by anyone who may see the family now (casework's rules: the team of an open episode, its
lead, managers of any team that held the family) and by the episode's former lead
practitioner while they are still a practitioner or manager in that episode's team. A
member of staff who has left the team loses the task to the team's manager.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, team_ids_with_role
from earlyhelp.casework.models import Episode
from earlyhelp.casework.permissions import can_view_family, visible_families
from earlyhelp.outcomes.models import SustainCheck

_CASE_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)


def can_rate_outcomes(user: AnyUser, episode: Episode) -> bool:
    if not user.is_authenticated:
        return False
    if episode.team_id in team_ids_with_role(user, Role.TEAM_MANAGER):
        return True
    if not episode.is_open:
        return False
    return episode.lead_practitioner_id == user.pk or episode.team_id in team_ids_with_role(
        user, *_CASE_ROLES
    )


def _is_former_lead(user: AnyUser, episode: Episode) -> bool:
    return episode.lead_practitioner_id == user.pk and episode.team_id in team_ids_with_role(
        user, *_CASE_ROLES
    )


def can_record_sustain_check(user: AnyUser, check: SustainCheck) -> bool:
    """Record (or correct) the result of ``check``; also who may see the check at all."""
    if not user.is_authenticated:
        return False
    return _is_former_lead(user, check.rating.episode) or can_view_family(user, check.family)


def recordable_sustain_checks(user: AnyUser) -> QuerySet[SustainCheck]:
    """The queryset form of ``can_record_sustain_check``: the checks ``user`` may record."""
    if not user.is_authenticated:
        return SustainCheck.objects.none()
    scope = Q(family__in=visible_families(user))
    case_team_ids = team_ids_with_role(user, *_CASE_ROLES)
    if case_team_ids:
        scope |= Q(
            rating__episode__lead_practitioner_id=user.pk,
            rating__episode__team_id__in=case_team_ids,
        )
    return SustainCheck.objects.filter(scope)
