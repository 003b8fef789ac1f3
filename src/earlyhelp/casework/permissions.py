"""Who may see and act on a family. Pure predicates plus the matching queryset filter.

A family is visible to:
- practitioners and team managers of the team its open episode is allocated to;
- the lead practitioner of its open episode;
- team managers of any team that has held an episode for it (closed cases stay with the
  team's manager for re-referrals and rights requests, not with every practitioner).
Duty workers match people at intake through search but do not open case records. The DPO
sees the access log, not the case. Admins and analysts never see case records.

A restricted family (``earlyhelp.restricted``), or one with a restricted member, is open
only to the users on that restriction's access list and to whoever above has an unexpired
break-glass access to it; everyone else in its scope
sees it in no list, and a family page that would otherwise open offers break-glass instead.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.casework.models import Episode
from earlyhelp.people.models import Family
from earlyhelp.restricted.scope import closed_family_ids

_M = TypeVar("_M", bound=Model)


def _episode_scope(user: AnyUser, *, despite_restriction: bool = False) -> Q | None:
    """Episodes through which ``user`` may see a family, as a filter on Episode.

    Restricted families the user may not open are left out (one subquery, no extra query)
    unless ``despite_restriction``: who *could* see the family, i.e. who may break the glass.
    """
    if not user.is_authenticated:
        return None
    team_ids = team_ids_with_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER)
    manager_team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    scope = Q(pk__in=[])
    if team_ids:
        scope |= Q(closed_at__isnull=True, team_id__in=team_ids)
    if manager_team_ids:
        scope |= Q(team_id__in=manager_team_ids)
    scope |= Q(closed_at__isnull=True, lead_practitioner_id=user.pk)
    if despite_restriction:
        return scope
    return scope & ~Q(family_id__in=closed_family_ids(user))


def visible_families(user: AnyUser, *, despite_restriction: bool = False) -> QuerySet[Family]:
    scope = _episode_scope(user, despite_restriction=despite_restriction)
    if scope is None:
        return Family.objects.none()
    return Family.objects.filter(pk__in=Episode.objects.filter(scope).values("family_id"))


def can_view_family(user: AnyUser, family: Family) -> bool:
    scope = _episode_scope(user)
    return scope is not None and Episode.objects.filter(scope, family=family).exists()


def in_scope_despite_restriction(user: AnyUser, family: Family) -> bool:
    """Whether ``user`` would see ``family`` were it not restricted (break-glass eligibility)."""
    scope = _episode_scope(user, despite_restriction=True)
    return scope is not None and Episode.objects.filter(scope, family=family).exists()


def can_manage_episode(user: AnyUser, episode: Episode) -> bool:
    """Re-allocate: a team manager of the episode's team, while it is open."""
    return episode.is_open and episode.team_id in team_ids_with_role(user, Role.TEAM_MANAGER)


def can_close_episode(user: AnyUser, episode: Episode) -> bool:
    if not episode.is_open:
        return False
    return episode.lead_practitioner_id == user.pk or episode.team_id in team_ids_with_role(
        user, Role.TEAM_MANAGER, Role.PRACTITIONER
    )


def can_view_access_log(user: AnyUser, family: Family) -> bool:
    if has_role(user, Role.DPO):
        return True
    manager_team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    return (
        bool(manager_team_ids)
        and Episode.objects.filter(family=family, team_id__in=manager_team_ids).exists()
    )


def hide_restricted(
    user: AnyUser, queryset: QuerySet[_M], family_field: str = "family_id"
) -> QuerySet[_M]:
    """Drop rows about restricted families ``user`` may not open, for a list that is not built
    on ``visible_families`` (a caseload, a team dashboard, a partner's families)."""
    return queryset.exclude(**{f"{family_field}__in": closed_family_ids(user)})
