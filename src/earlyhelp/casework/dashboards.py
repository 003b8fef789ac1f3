"""Reads for the practitioner's caseload and the team manager's dashboard.

Each list is one query (plus prefetches) whatever its length: the next contact and the next
review come as subqueries on the episode, so a caseload of 40 families costs what one costs.
Lists of families are personal data: the views audit each page they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.accounts.permissions import team_ids_with_role
from earlyhelp.assessments import selectors as assessment_selectors
from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.models import Contact, Episode
from earlyhelp.casework.permissions import hide_restricted
from earlyhelp.outcomes.models import SustainCheck
from earlyhelp.outcomes.permissions import recordable_sustain_checks
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.plans.models import FamilyPlan, PlanStatus
from earlyhelp.sharing import decisions as sharing_decisions
from earlyhelp.sharing.models import SharingDecision

# Sustain checks show on the caseload from a fortnight before they fall due.
SUSTAIN_NOTICE_DAYS = 14


def _with_next_dates(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    # The newest note's planned next contact: contact_family_time read newest first.
    next_contact = (
        Contact.objects.filter(
            family=OuterRef("family"), deleted_at__isnull=True, next_contact_on__isnull=False
        )
        .order_by("-occurred_at")
        .values("next_contact_on")[:1]
    )
    # The lists show each member's name only: the other columns (an encrypted NHS number
    # among them) would be decrypted and built into objects for every member of every row.
    members = (
        FamilyMembership.objects.select_related("person")
        .only(
            "family_id",
            "role",
            "person__first_name",
            "person__last_name",
            "person__known_as",
            "person__unborn",
        )
        .order_by("role")
    )
    return (
        episodes.select_related("family", "team", "lead_practitioner")
        # An episode has at most one active plan (one_active_plan_per_episode), so a join
        # gives its review date and id without repeating rows; the id lets the caseload list
        # its overdue reviews from the rows it already has (caseload_page).
        .annotate(
            active_plan=FilteredRelation("plans", condition=Q(plans__status=PlanStatus.ACTIVE))
        )
        .annotate(
            next_contact_on=Subquery(next_contact),
            next_review_due=F("active_plan__next_review_due"),
            review_plan_id=F("active_plan__id"),
        )
        .prefetch_related(Prefetch("family__memberships", queryset=members))
    )


def caseload(user: User) -> QuerySet[Episode]:
    """Open episodes the user leads, soonest review first."""
    episodes = hide_restricted(
        user, Episode.objects.filter(closed_at__isnull=True, lead_practitioner=user)
    )
    return _with_next_dates(episodes).order_by("next_review_due", "opened_at")


@dataclass(frozen=True)
class OverdueReview:
    """An overdue plan review as the caseload lists it (the plan's id, family and date)."""

    pk: UUID
    family: Family
    next_review_due: date

    @property
    def family_id(self) -> UUID:
        return self.family.pk


@dataclass(frozen=True)
class CaseloadPage:
    page: Page[Any]
    overdue: list[OverdueReview]


def caseload_page(
    user: User, number: str | int | None, *, per_page: int, preview: int, today: date
) -> CaseloadPage:
    """A page of the user's caseload and the first ``preview`` overdue plan reviews on it.

    A caseload is 20-25 families, one page: the first page is read with one query for one
    row more than a page, which tells whether anything follows. When nothing does, the rows
    are the whole caseload, so they give the count and the overdue reviews (each row carries
    its active plan's date and id) without the two queries that would otherwise ask again,
    each repeating the caseload's restriction filter. A longer caseload or a later page is
    counted and its overdue reviews queried as usual (no more queries than before).
    """
    episodes = caseload(user)
    if str(number or "1") != "1":
        page = Paginator(episodes, per_page).get_page(number)
        return CaseloadPage(page, _overdue_reviews(episodes, today, preview))
    rows: list[Any] = list(episodes[: per_page + 1])  # annotated Episodes
    if len(rows) > per_page:
        page = Paginator(episodes, per_page).page(1)
        page.object_list = rows[:per_page]  # already read: only the count is asked
        return CaseloadPage(page, _overdue_reviews(episodes, today, preview))
    overdue = sorted(
        (e for e in rows if e.next_review_due is not None and e.next_review_due < today),
        key=lambda e: e.next_review_due,
    )
    return CaseloadPage(
        Paginator(rows, per_page).page(1),
        [OverdueReview(e.review_plan_id, e.family, e.next_review_due) for e in overdue[:preview]],
    )


def _overdue_reviews(episodes: QuerySet[Episode], today: date, preview: int) -> list[OverdueReview]:
    return [
        OverdueReview(plan.pk, plan.family, plan.next_review_due)
        for plan in overdue_reviews(episodes, today)[:preview]
    ]


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
