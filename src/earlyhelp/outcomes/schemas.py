"""Request and response bodies of the outcomes API."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.outcomes.models import Rating, SustainResult


class SustainCheckOut(Schema):
    id: UUID
    rating_id: UUID
    plan_outcome_id: UUID
    headline_code: str
    achieved_on: date
    due_on: date = Field(description="The check can be recorded on or after this date")
    is_due: bool
    result: SustainResult | None = Field(description="Null until the check is recorded")
    evidence: str
    checked_on: date | None
    checked_by: str | None = Field(description="Username of the person who recorded it")


class OutcomeRatingOut(Schema):
    id: UUID
    plan_outcome_id: UUID
    lineage: UUID = Field(description="The same outcome across the plan's versions")
    episode_id: UUID
    headline_code: str
    description: str
    rating: Rating
    evidence: str
    achieved_on: date | None
    rated_by: str = Field(description="Username of the person who rated it")
    rated_at: datetime
    sustain_check: SustainCheckOut | None = Field(description="Only for an achieved outcome")


class OutcomeRatingIn(InputSchema):
    plan_outcome_id: UUID = Field(
        description="An outcome of the current version of the family's plan"
    )
    rating: Rating
    evidence: str = Field(min_length=1, max_length=5000)
    achieved_on: date | None = Field(
        None, description="Required when `rating` is `achieved`; today or earlier"
    )


class SustainResultIn(InputSchema):
    result: SustainResult
    evidence: str = Field(min_length=1, max_length=5000)
    checked_on: date | None = Field(
        None, description="Defaults to today; on or after the due date and not in the future"
    )


class ClaimStatusOut(Schema):
    code: str = Field(
        description="One of not_assessed, not_eligible, in_progress, awaiting_sustain, "
        "claimable, not_claimable"
    )
    label: str
    reasons: list[str] = Field(description="What is missing or why the claim cannot be made")
    advisory: str = Field(description="The status is advice; a person makes the claim")
