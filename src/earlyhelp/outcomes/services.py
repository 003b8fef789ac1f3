"""Writes for outcomes: rate the plan's outcomes at closure, record sustain checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Episode, TimelineKind
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.core.formatting import date_uk
from earlyhelp.outcomes.claims import ClaimStatus, claim_status
from earlyhelp.outcomes.dates import sustain_due_on
from earlyhelp.outcomes.lookup import current_episode, latest_version
from earlyhelp.outcomes.models import OutcomeRating, Rating, SustainCheck, SustainResult
from earlyhelp.outcomes.permissions import can_rate_outcomes, can_record_sustain_check
from earlyhelp.people.models import Family
from earlyhelp.plans.models import PlanOutcome
from earlyhelp.plans.needs import headline_labels

# The claim status is derived, never written; re-exported for callers that think of it as a
# rule of this app.
__all__ = [
    "ClaimStatus",
    "RatingInput",
    "claim_status",
    "rate_outcome",
    "rate_outcomes",
    "record_sustain_check",
]


@dataclass(frozen=True)
class RatingInput:
    plan_outcome_id: UUID
    rating: str
    evidence: str
    achieved_on: date | None = None


@transaction.atomic
def rate_outcome(*, actor: User, family: Family, item: RatingInput) -> tuple[OutcomeRating, bool]:
    """Rate (or re-rate) one outcome of the current plan version: (rating, newly created)."""
    episode, outcomes = _rateable(actor, family)
    return _rate_one(actor=actor, episode=episode, outcomes=outcomes, item=item)


@transaction.atomic
def rate_outcomes(
    *, actor: User, family: Family, items: Sequence[RatingInput]
) -> list[OutcomeRating]:
    """Rate several outcomes at once (the closure page); all or none are saved.

    An error names its item: ``ratings.<index>.<field>``.
    """
    episode, outcomes = _rateable(actor, family)
    ratings = []
    for index, item in enumerate(items):
        try:
            rating, _ = _rate_one(actor=actor, episode=episode, outcomes=outcomes, item=item)
        except (InvalidInput, Conflict) as exc:
            field = f"ratings.{index}" + (f".{exc.field}" if exc.field else "")
            raise type(exc)(exc.message, field=field) from None
        ratings.append(rating)
    return ratings


def _rateable(actor: User, family: Family) -> tuple[Episode, dict[UUID, PlanOutcome]]:
    episode = current_episode(family)
    if episode is None:
        raise Conflict("This family has no episode, so there are no outcomes to rate.")
    if not can_rate_outcomes(actor, episode):
        raise PermissionDenied("You cannot rate this family's outcomes.")
    version = latest_version(episode)
    if version is None:
        raise Conflict("This family has no plan yet, so there are no outcomes to rate.")
    outcomes = {o.pk: o for o in version.outcomes.prefetch_related("people")}
    return episode, outcomes


def _check_rating_input(item: RatingInput) -> date | None:
    if item.rating not in Rating.values:
        raise InvalidInput("Choose achieved, partly achieved or not achieved.", field="rating")
    if not item.evidence.strip():
        raise InvalidInput("Give the evidence for this rating.", field="evidence")
    if item.rating != Rating.ACHIEVED:
        return None
    if item.achieved_on is None:
        raise InvalidInput("Enter the date the outcome was achieved.", field="achieved_on")
    if item.achieved_on > timezone.localdate():
        raise InvalidInput(
            "The date the outcome was achieved must be today or in the past.",
            field="achieved_on",
        )
    return item.achieved_on


def _rate_one(
    *, actor: User, episode: Episode, outcomes: dict[UUID, PlanOutcome], item: RatingInput
) -> tuple[OutcomeRating, bool]:
    outcome = outcomes.get(item.plan_outcome_id)
    if outcome is None:
        raise InvalidInput(
            "That outcome is not in the current version of the family plan.",
            field="plan_outcome_id",
        )
    achieved_on = _check_rating_input(item)
    evidence = item.evidence.strip()
    existing = (
        OutcomeRating.objects.select_for_update()
        .filter(episode=episode, lineage=outcome.lineage)
        .first()
    )
    if existing is not None and (
        existing.plan_outcome_id,
        existing.rating,
        existing.evidence,
        existing.achieved_on,
    ) == (outcome.pk, item.rating, evidence, achieved_on):
        return existing, False
    check = existing.sustain_checks.first() if existing is not None else None
    if (
        check is not None
        and existing is not None
        and check.is_recorded
        and (item.rating != Rating.ACHIEVED or achieved_on != existing.achieved_on)
    ):
        raise Conflict(
            "The sustain check for this outcome has been recorded, so whether and when it was "
            "achieved can no longer change. The evidence can still be corrected.",
            field="rating",
        )
    now = timezone.now()
    if existing is None:
        rating = OutcomeRating(
            plan_outcome=outcome,
            lineage=outcome.lineage,
            family_id=episode.family_id,
            episode=episode,
        )
    else:
        rating = existing
    rating.plan_outcome = outcome
    rating.rating = item.rating
    rating.evidence = evidence
    rating.achieved_on = achieved_on
    rating.rated_by = actor
    rating.rated_at = now
    rating._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise Conflict(
            "Someone else rated this outcome at the same moment: reload the page to see it."
        ) from None
    record_event(
        actor=actor,
        action=Action.CREATE if existing is None else Action.UPDATE,
        object_type="outcome_rating",
        object_id=rating.pk,
        detail={"rating": rating.rating},
    )
    check = _sync_sustain_check(actor=actor, rating=rating, check=check)
    _write_rating_timeline(
        actor=actor, rating=rating, check=check, created=existing is None, now=now
    )
    return rating, existing is None


def _sync_sustain_check(
    *, actor: User, rating: OutcomeRating, check: SustainCheck | None
) -> SustainCheck | None:
    """An achieved outcome has one sustain check, due the configured months after."""
    if rating.achieved_on is None:
        if check is not None:
            check._history_user = actor  # type: ignore[attr-defined]
            record_event(
                actor=actor,
                action=Action.DELETE,
                object_type="sustain_check",
                object_id=check.pk,
                detail={"reason": "rating_changed"},
            )
            check.delete()
        return None
    due_on = sustain_due_on(rating.achieved_on)
    if check is None:
        check = SustainCheck(rating=rating, family_id=rating.family_id, due_on=due_on)
        check._history_user = actor  # type: ignore[attr-defined]
        check.save()
        record_event(
            actor=actor, action=Action.CREATE, object_type="sustain_check", object_id=check.pk
        )
    elif check.due_on != due_on:
        check.due_on = due_on
        check._history_user = actor  # type: ignore[attr-defined]
        check.save(update_fields=["due_on"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="sustain_check",
            object_id=check.pk,
            detail={"change": "due_date"},
        )
    return check


def _rating_title(rating: OutcomeRating) -> str:
    headline = headline_labels().get(
        rating.plan_outcome.headline_code, rating.plan_outcome.headline_code
    )
    return f"Outcome {rating.get_rating_display().lower()}: {headline}"


def _write_rating_timeline(
    *,
    actor: User,
    rating: OutcomeRating,
    check: SustainCheck | None,
    created: bool,
    now: datetime,
) -> None:
    summary = rating.evidence
    if check is not None:
        summary = f"Sustain check due on {date_uk(check.due_on)}. {summary}"
    people = [p.pk for p in rating.plan_outcome.people.all()]
    if created:
        timeline.record_entry(
            family=rating.family,
            kind=TimelineKind.OUTCOME,
            occurred_at=now,
            object_type="outcome_rating",
            object_id=rating.pk,
            title=_rating_title(rating),
            summary=summary,
            people=people,
            link_name="outcomes:rating",
            recorded_by=actor,
        )
    else:
        timeline.update_entries(
            object_type="outcome_rating",
            object_id=rating.pk,
            people=people,
            title=_rating_title(rating),
            summary=summary,
            occurred_at=now,
            recorded_by=actor,
        )


@transaction.atomic
def record_sustain_check(
    *,
    actor: User,
    check: SustainCheck,
    result: str,
    evidence: str,
    checked_on: date | None = None,
) -> SustainCheck:
    """Record whether an achieved outcome held; only once the check is due.

    A result already recorded can be corrected by the same people; the history keeps the
    earlier one.
    """
    check = (
        SustainCheck.objects.select_for_update()
        .select_related("rating__episode", "rating__plan_outcome", "family")
        .get(pk=check.pk)
    )
    if not can_record_sustain_check(actor, check):
        raise PermissionDenied("You cannot record this sustain check.")
    today = timezone.localdate()
    if today < check.due_on:
        raise Conflict(
            f"This sustain check is not due until {date_uk(check.due_on)}: it can be "
            "recorded on or after that date."
        )
    if result not in SustainResult.values:
        raise InvalidInput("Choose sustained or not sustained.", field="result")
    if not evidence.strip():
        raise InvalidInput("Give the evidence for the result.", field="evidence")
    checked_on = checked_on or today
    if checked_on < check.due_on:
        raise InvalidInput(
            f"The date of the check must be on or after the due date, {date_uk(check.due_on)}.",
            field="checked_on",
        )
    if checked_on > today:
        raise InvalidInput(
            "The date of the check must be today or in the past.", field="checked_on"
        )
    first_time = not check.is_recorded
    check.result = result
    check.evidence = evidence.strip()
    check.checked_on = checked_on
    check.checked_by = actor
    check._history_user = actor  # type: ignore[attr-defined]
    check.save(update_fields=["result", "evidence", "checked_on", "checked_by"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="sustain_check",
        object_id=check.pk,
        detail={"change": "recorded" if first_time else "corrected", "result": result},
    )
    headline = headline_labels().get(
        check.rating.plan_outcome.headline_code, check.rating.plan_outcome.headline_code
    )
    title = f"Sustain check: {check.get_result_display().lower()} ({headline})"
    now = timezone.now()
    if first_time:
        timeline.record_entry(
            family=check.family,
            kind=TimelineKind.OUTCOME,
            occurred_at=now,
            object_type="sustain_check",
            object_id=check.pk,
            title=title,
            summary=check.evidence,
            people=[p.pk for p in check.rating.plan_outcome.people.all()],
            link_name="outcomes:sustain_check",
            recorded_by=actor,
        )
    else:
        timeline.update_entries(
            object_type="sustain_check",
            object_id=check.pk,
            title=title,
            summary=check.evidence,
            occurred_at=now,
            recorded_by=actor,
        )
    return check
