"""Reads for the practitioner's caseload and the team manager's dashboard.

Each list is one query (plus prefetches) whatever its length: the next contact and the next
review come as subqueries on the episode, so a caseload of 40 families costs what one costs.
Lists of families are personal data: the views audit each page they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.accounts.permissions import team_ids_with_role
from earlyhelp.assessments import selectors as assessment_selectors
from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.models import Contact, Episode
from earlyhelp.casework.permissions import hide_restricted
from earlyhelp.outcomes.models import SustainCheck
from earlyhelp.outcomes.permissions import recordable_sustain_checks
from earlyhelp.people.models import FamilyMembership
from earlyhelp.plans.models import FamilyPlan, PlanStatus
from earlyhelp.sharing import decisions as sharing_decisions
from earlyhelp.sharing.models import SharingDecision

# Sustain checks show on the caseload from a fortnight before they fall due.
SUSTAIN_NOTICE_DAYS = 14


def _with_next_dates(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    next_contact = (
        Contact.objects.filter(
            family=OuterRef("family"), deleted_at__isnull=True, next_contact_on__isnull=False
        )
        .order_by("-occurred_at")
        .values("next_contact_on")[:1]
    )
    next_review = FamilyPlan.objects.filter(
        episode=OuterRef("pk"), status=PlanStatus.ACTIVE
    ).values("next_review_due")[:1]
    members = FamilyMembership.objects.select_related("person").order_by("role")
    return (
        episodes.select_related("family", "team", "lead_practitioner")
        .annotate(next_contact_on=Subquery(next_contact), next_review_due=Subquery(next_review))
        .prefetch_related(Prefetch("family__memberships", queryset=members))
    )


def caseload(user: User) -> QuerySet[Episode]:
    """Open episodes the user leads, soonest review first."""
    episodes = hide_restricted(
        user, Episode.objects.filter(closed_at__isnull=True, lead_practitioner=user)
    )
    return _with_next_dates(episodes).order_by("next_review_due", "opened_at")


def overdue_reviews(episodes: QuerySet[Episode], today: date) -> QuerySet[FamilyPlan]:
    return (
        FamilyPlan.objects.filter(
            episode__in=episodes, status=PlanStatus.ACTIVE, next_review_due__lt=today
        )
        .select_related("family")
        .order_by("next_review_due")
    )


def sustain_checks_due(user: User, today: date) -> QuerySet[SustainCheck]:
    """Unchecked sustain checks on families the user led and may still record them for.

    The check comes after closure, so closed episodes count; a lead who has moved team has
    handed their checks to the team's manager (outcomes.permissions decides).
    """
    horizon = today + timedelta(days=SUSTAIN_NOTICE_DAYS)
    return (
        recordable_sustain_checks(user)
        .filter(result="", due_on__lte=horizon, rating__episode__lead_practitioner=user)
        .select_related("family")
        .order_by("due_on")
    )


def managed_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=team_ids_with_role(user, Role.TEAM_MANAGER)).order_by("name")


def team_open_episodes(team: Team) -> QuerySet[Episode]:
    return Episode.objects.filter(team=team, closed_at__isnull=True)


def unallocated(team: Team) -> QuerySet[Episode]:
    return _with_next_dates(
        team_open_episodes(team).filter(lead_practitioner__isnull=True)
    ).order_by("opened_at")


@dataclass(frozen=True)
class PractitionerLoad:
    user: User
    open_families: int
    reviews_overdue: int


def caseload_per_practitioner(team: Team, today: date) -> list[PractitionerLoad]:
    """Every practitioner and manager of the team, with their open families (none included)."""
    staff = (
        User.objects.filter(
            pk__in=Membership.objects.filter(
                team=team, role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER]
            ).values("user_id")
        )
        .annotate(
            open_families=Count(
                "led_episodes",
                filter=Q(led_episodes__closed_at__isnull=True, led_episodes__team=team),
                distinct=True,
            ),
            reviews_overdue=Count(
                "led_episodes__plans",
                filter=Q(
                    led_episodes__closed_at__isnull=True,
                    led_episodes__team=team,
                    led_episodes__plans__status=PlanStatus.ACTIVE,
                    led_episodes__plans__next_review_due__lt=today,
                ),
                distinct=True,
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    return [
        PractitionerLoad(user=u, open_families=u.open_families, reviews_overdue=u.reviews_overdue)
        for u in staff
    ]


def awaiting_authorisation(user: User, team: Team) -> QuerySet[Assessment]:
    return assessment_selectors.awaiting_authorisation(user).filter(episode__team=team)


def caseload_for_team(team: Team) -> QuerySet[Episode]:
    """The team's open episodes, with lead and next dates, soonest review first."""
    return _with_next_dates(team_open_episodes(team)).order_by("next_review_due", "opened_at")


def _on_team(decisions: QuerySet[SharingDecision], team: Team) -> QuerySet[SharingDecision]:
    return decisions.filter(family_id__in=team_open_episodes(team).values("family_id"))


def sharing_awaiting_authorisation(user: User, team: Team) -> QuerySet[SharingDecision]:
    """Decisions to share without agreement on the team's families waiting for this manager
    (not their own: four eyes)."""
    return _on_team(sharing_decisions.awaiting_authorisation(user), team)


def sharing_overdue_authorisations(user: User, team: Team) -> QuerySet[SharingDecision]:
    """Emergency releases on the team's families whose authorisation is overdue."""
    return _on_team(sharing_decisions.overdue_authorisations(user), team)
