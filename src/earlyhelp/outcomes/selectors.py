"""Reads of outcome ratings, sustain checks and claim status: permission-filtered, audited."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.services import record_read
from earlyhelp.casework.permissions import can_view_family
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.outcomes.claims import ClaimStatus, claim_status_of
from earlyhelp.outcomes.lookup import OutcomesSnapshot, snapshot
from earlyhelp.outcomes.models import OutcomeRating, SustainCheck
from earlyhelp.outcomes.permissions import can_rate_outcomes, recordable_sustain_checks
from earlyhelp.people.models import Family


@dataclass(frozen=True)
class FamilyOutcomes:
    current: OutcomesSnapshot
    can_rate: bool

    @property
    def family(self) -> Family:
        return self.current.family


def family_outcomes(user: AnyUser, family_id: UUID | str) -> FamilyOutcomes:
    """The outcomes of the family's current plan version with their ratings and checks."""
    family = get_family_for_user(user, family_id, purpose="outcomes")
    current = snapshot(family)
    rated = sum(1 for row in current.rows if row.rating is not None)
    record_read(user, "outcome_rating", family=family.pk, count=rated, list=True)
    can_rate = current.episode is not None and can_rate_outcomes(user, current.episode)
    return FamilyOutcomes(current=current, can_rate=can_rate)


def family_claim(user: AnyUser, family_id: UUID | str) -> tuple[FamilyOutcomes, ClaimStatus]:
    outcomes = family_outcomes(user, family_id)
    return outcomes, claim_status_of(outcomes.current)


def family_ratings(user: AnyUser, family_id: UUID | str) -> list[OutcomeRating]:
    """Every rating recorded for the family (all episodes), newest first."""
    family = get_family_for_user(user, family_id, purpose="outcomes")
    ratings = list(
        OutcomeRating.objects.filter(family=family)
        .select_related("plan_outcome", "rated_by")
        .prefetch_related("sustain_checks")
        .order_by("-rated_at")
    )
    record_read(user, "outcome_rating", family=family.pk, count=len(ratings), list=True)
    return ratings


def get_rating_for_user(
    user: AnyUser, family_id: UUID | str, rating_id: UUID | str
) -> OutcomeRating:
    family = get_family_for_user(user, family_id, purpose="outcomes")
    rating = (
        OutcomeRating.objects.filter(family=family, pk=parse_id(rating_id))
        .select_related("family", "plan_outcome", "episode__team", "rated_by")
        .prefetch_related("plan_outcome__people", "sustain_checks")
        .first()
    )
    if rating is None:
        raise NotFound()
    record_read(user, "outcome_rating", rating.pk)
    return rating


def _checks(user: AnyUser) -> QuerySet[SustainCheck]:
    return recordable_sustain_checks(user).select_related(
        "family",
        "checked_by",
        "rating__plan_outcome",
        "rating__episode__team",
        "rating__episode__lead_practitioner",
    )


def get_sustain_check_for_user(
    user: AnyUser, family_id: UUID | str, check_id: UUID | str
) -> SustainCheck:
    """A sustain check the user may record: not only through the family gatekeeper, since
    the former lead practitioner no longer sees the closed family but still does its checks."""
    check = (
        _checks(user)
        .filter(family_id=parse_id(family_id), pk=parse_id(check_id))
        .prefetch_related("rating__plan_outcome__people")
        .first()
    )
    if check is None:
        raise NotFound()
    record_read(user, "sustain_check", check.pk)
    return check


def family_sustain_checks(user: AnyUser, family_id: UUID | str) -> list[SustainCheck]:
    """The family's sustain checks the user may record (all of them for its case workers)."""
    family = Family.objects.filter(pk=parse_id(family_id)).first()
    if family is None:
        raise NotFound()
    checks = list(_checks(user).filter(family=family).order_by("due_on", "pk"))
    if not checks and not can_view_family(user, family):
        raise NotFound()
    record_read(user, "sustain_check", family=family.pk, count=len(checks), list=True)
    return checks


def sustain_checks_due(user: AnyUser, *, upcoming: bool = False) -> QuerySet[SustainCheck]:
    """The user's sustain-check tasks, oldest due first: due today or overdue by default,
    or those not yet due. Lists names of outcomes, so the caller audits the page view."""
    today = timezone.localdate()
    checks = _checks(user).filter(result="")
    checks = checks.filter(due_on__gt=today) if upcoming else checks.filter(due_on__lte=today)
    return checks.order_by("due_on", "pk")


def sustain_checks_due_count(user: AnyUser) -> int:
    """How many sustain checks are due for the user now (for the caseload page): a count,
    with no personal data."""
    return sustain_checks_due(user).count()


def audit_due_list(user: AnyUser, count: int) -> None:
    record_read(user, "sustain_check", count=count, list=True)
