"""Outcomes over JSON: ratings, sustain checks and the claim status, thin over the services."""

from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.outcomes import selectors, services
from earlyhelp.outcomes.models import OutcomeRating, Rating, SustainCheck, SustainResult
from earlyhelp.outcomes.schemas import (
    ClaimStatusOut,
    OutcomeRatingIn,
    OutcomeRatingOut,
    SustainCheckOut,
    SustainResultIn,
)

router = Router(tags=["outcomes"])

BODY = "body.payload"
ADVISORY = (
    "Worked out from the family's records and the programme rules; advice only. No automated "
    "decision is made: a member of staff checks the evidence and makes the claim."
)


def _check_out(check: SustainCheck, rating: OutcomeRating) -> SustainCheckOut:
    assert rating.achieved_on is not None  # a check exists only for an achieved outcome
    return SustainCheckOut(
        id=check.pk,
        rating_id=rating.pk,
        plan_outcome_id=rating.plan_outcome_id,
        headline_code=rating.plan_outcome.headline_code,
        achieved_on=rating.achieved_on,
        due_on=check.due_on,
        is_due=check.due_on <= timezone.localdate(),
        result=SustainResult(check.result) if check.result else None,
        evidence=check.evidence,
        checked_on=check.checked_on,
        checked_by=check.checked_by.username if check.checked_by else None,
    )


def _rating_out(rating: OutcomeRating) -> OutcomeRatingOut:
    checks = list(rating.sustain_checks.all())
    return OutcomeRatingOut(
        id=rating.pk,
        plan_outcome_id=rating.plan_outcome_id,
        lineage=rating.lineage,
        episode_id=rating.episode_id,
        headline_code=rating.plan_outcome.headline_code,
        description=rating.plan_outcome.description,
        rating=Rating(rating.rating),
        evidence=rating.evidence,
        achieved_on=rating.achieved_on,
        rated_by=rating.rated_by.username,
        rated_at=rating.rated_at,
        sustain_check=_check_out(checks[0], rating) if checks else None,
    )


@router.get(
    "/families/{family_id}/outcome-ratings",
    response={200: list[OutcomeRatingOut], 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's outcome ratings",
    description=(
        "Every outcome rating recorded for the family, newest first, each with its sustain "
        "check when the outcome was achieved. Visible to whoever may see the family. The "
        "read is recorded in the audit trail.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or you may not see "
        "it; 422 if the id is not a UUID."
    ),
    operation_id="list_outcome_ratings",
)
def list_outcome_ratings(request: HttpRequest, family_id: UUID) -> list[OutcomeRatingOut]:
    return [_rating_out(r) for r in selectors.family_ratings(api_user(request), family_id)]


@router.post(
    "/families/{family_id}/outcome-ratings",
    response={
        200: OutcomeRatingOut,
        201: OutcomeRatingOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Rate an outcome of the family plan",
    description=(
        "Rate one outcome of the current version of the family's plan for the current "
        "episode: `achieved` (with `achieved_on`), `partly_achieved` or `not_achieved`, with "
        "the evidence. The first rating returns 201; rating the same outcome again replaces "
        "it (the earlier one is kept in its history) and returns 200, as does repeating "
        "the same rating, which changes nothing. An achieved outcome "
        "gets a sustain check due EARLYHELP_SUSTAIN_MONTHS calendar months later; changing "
        "the rating away from achieved removes a check not yet recorded.\n\n"
        "Errors: 401 without a valid token; 403 if you do not work on the episode (once it "
        "is closed, only its team's managers); 404 if the family is not found or not visible "
        "to you; 409 if the family has no plan, or the outcome's sustain check is already "
        "recorded and the change would alter whether or when it was achieved; 422 naming "
        "the invalid field."
    ),
    operation_id="rate_outcome",
)
def rate_outcome(
    request: HttpRequest, family_id: UUID, payload: OutcomeRatingIn
) -> tuple[int, OutcomeRatingOut]:
    actor = api_user(request)
    family = get_family_for_user(actor, family_id, purpose="outcomes")
    with input_errors_at(BODY):
        rating, created = services.rate_outcome(
            actor=actor,
            family=family,
            item=services.RatingInput(
                plan_outcome_id=payload.plan_outcome_id,
                rating=payload.rating.value,
                evidence=payload.evidence,
                achieved_on=payload.achieved_on,
            ),
        )
    return (201 if created else 200), _rating_out(rating)


@router.get(
    "/families/{family_id}/sustain-checks",
    response={200: list[SustainCheckOut], 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's sustain checks",
    description=(
        "The sustain checks of the family's achieved outcomes, earliest due first, recorded "
        "or not. Whoever may see the family sees them all; after closure the episode's former "
        "lead practitioner (while still in its team) sees those of that episode. The read "
        "is recorded in the audit trail.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or you may not see "
        "it or any of its checks; 422 if the id is not a UUID."
    ),
    operation_id="list_sustain_checks",
)
def list_sustain_checks(request: HttpRequest, family_id: UUID) -> list[SustainCheckOut]:
    checks = selectors.family_sustain_checks(api_user(request), family_id)
    return [_check_out(c, c.rating) for c in checks]


@router.post(
    "/families/{family_id}/sustain-checks/{check_id}/result",
    response={
        200: SustainCheckOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record a sustain check's result",
    description=(
        "Record whether an achieved outcome has held: `sustained` or `not_sustained`, with "
        "the evidence and the date of the check (default today). Recording again corrects "
        "the result; the history keeps the earlier one.\n\n"
        "Errors: 401 without a valid token; 404 if the check is not found or you may not "
        "record it; 409 if the check is not due yet (it can be recorded on or after "
        "`due_on`); 422 naming the invalid field (a `checked_on` before the due date or in "
        "the future)."
    ),
    operation_id="record_sustain_check",
)
def record_sustain_check(
    request: HttpRequest, family_id: UUID, check_id: UUID, payload: SustainResultIn
) -> SustainCheckOut:
    actor = api_user(request)
    check = selectors.get_sustain_check_for_user(actor, family_id, check_id)
    with input_errors_at(BODY):
        check = services.record_sustain_check(
            actor=actor,
            check=check,
            result=payload.result.value,
            evidence=payload.evidence,
            checked_on=payload.checked_on,
        )
    return _check_out(check, check.rating)


@router.get(
    "/families/{family_id}/claim-status",
    response={200: ClaimStatusOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a family's Supporting Families claim status",
    description=(
        "Derived afresh from the records and the programme rules (never set by hand): "
        "`not_assessed` (no authorised assessment this episode), `not_eligible` (needs under "
        "fewer than EARLYHELP_PROGRAMME_MIN_HEADLINES headlines), `in_progress` (plan, lead "
        "practitioner, outcomes or ratings missing), `awaiting_sustain` (sustain checks not "
        "yet recorded), `claimable`, or `not_claimable` (an outcome not achieved at closure "
        "or not sustained). `reasons` says what is missing. Advice only: a person makes the "
        "claim.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or you may not see "
        "it; 422 if the id is not a UUID."
    ),
    operation_id="get_claim_status",
)
def get_claim_status(request: HttpRequest, family_id: UUID) -> ClaimStatusOut:
    _, status = selectors.family_claim(api_user(request), family_id)
    return ClaimStatusOut(
        code=status.code, label=status.label, reasons=status.reasons, advisory=ADVISORY
    )
