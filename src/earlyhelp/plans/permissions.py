"""Who may read and change a family plan. Pure predicates plus the matching queryset filter.

Reading a plan follows the family: whoever may open the family (``can_view_family``) may read
its plans, current and earlier versions. Changing a plan (new plan, outcomes, actions,
members, reviews, objections, sending it to the TAF) is work on an open case: the lead
practitioner of the open episode, or a practitioner or team manager of its team.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.casework.models import Episode
from earlyhelp.casework.permissions import hide_restricted
from earlyhelp.plans.models import FamilyPlan, PlanStatus


def can_work_on_episode(user: AnyUser, episode: Episode) -> bool:
    if not user.is_authenticated or not episode.is_open:
        return False
    return episode.lead_practitioner_id == user.pk or episode.team_id in team_ids_with_role(
        user, Role.PRACTITIONER, Role.TEAM_MANAGER
    )


def can_edit_plan(user: AnyUser, plan: FamilyPlan) -> bool:
    return plan.is_active and can_work_on_episode(user, plan.episode)


def can_see_reviews_due(user: AnyUser) -> bool:
    return has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER)


def review_list_scope(user: AnyUser) -> Q | None:
    """Active plans on open episodes the user leads or whose team they work or manage in."""
    if not user.is_authenticated:
        return None
    scope = Q(episode__lead_practitioner_id=user.pk)
    team_ids = team_ids_with_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER)
    if team_ids:
        scope |= Q(episode__team_id__in=team_ids)
    return Q(status=PlanStatus.ACTIVE, episode__closed_at__isnull=True) & scope


def plans_for_review(user: AnyUser) -> QuerySet[FamilyPlan]:
    scope = review_list_scope(user)
    if scope is None or not can_see_reviews_due(user):
        return FamilyPlan.objects.none()
    return hide_restricted(user, FamilyPlan.objects.filter(scope))
