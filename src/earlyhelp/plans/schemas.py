"""Request and response bodies of the family plans API."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.plans.models import ActionStatus, PlanStatus, ProgressRating


class OutcomeIn(InputSchema):
    headline_code: str = Field(
        max_length=64, description="A headline need code (the `referral_reasons` list)"
    )
    description: str = Field(max_length=5000, description="The outcome the family wants")
    measure: str = Field("", max_length=5000, description="How we will know")
    people: list[UUID] = Field(
        default_factory=list, description="Family members it is about (empty: the whole family)"
    )


class ActionIn(InputSchema):
    what: str = Field(max_length=5000)
    due_on: date
    owner_person_id: UUID | None = Field(None, description="A family member; or")
    owner_contact_id: UUID | None = Field(None, description="a partner directory professional")
    outcome_id: UUID | None = Field(None, description="An outcome of the same version")


class ActionStatusIn(InputSchema):
    status: ActionStatus


class MemberIn(InputSchema):
    contact_id: UUID | None = Field(None, description="A partner directory professional; or")
    person_id: UUID | None = Field(None, description="a family member")
    role_in_plan: str = Field("", max_length=200)


class PlanIn(InputSchema):
    review_interval_weeks: int | None = Field(
        None, ge=1, le=52, description="Weeks between reviews (default: the council's setting)"
    )
    outcomes: list[OutcomeIn] = Field(default_factory=list)


class ProgressIn(InputSchema):
    outcome_id: UUID = Field(description="An outcome of the version being reviewed")
    rating: ProgressRating
    note: str = Field("", max_length=5000)


class ActionChangeIn(InputSchema):
    action_id: UUID = Field(description="An action of the version being reviewed")
    status: ActionStatus


class OutcomeChangeIn(InputSchema):
    outcome_id: UUID = Field(description="An outcome of the version being reviewed")
    description: str = Field(max_length=5000)


class PlanReviewIn(InputSchema):
    held_on: date
    summary: str = Field(max_length=5000, description="What the review found")
    change_summary: str = Field(max_length=5000, description="What changes in the plan, and why")
    progress: list[ProgressIn] = Field(description="One entry for every outcome")
    action_changes: list[ActionChangeIn] = Field(default_factory=list)
    outcome_changes: list[OutcomeChangeIn] = Field(default_factory=list)
    new_actions: list[ActionIn] = Field(
        default_factory=list,
        description="New actions; `outcome_id` names an outcome of the version being reviewed",
    )
    review_interval_weeks: int | None = Field(None, ge=1, le=52)


class ObjectionIn(InputSchema):
    objected_by: UUID = Field(description="The family member who objects")
    objected_on: date
    note: str = Field("", max_length=5000)


class WithdrawalIn(InputSchema):
    withdrawn_on: date | None = Field(None, description="Default: today")


class ShareIn(InputSchema):
    recipients: list[UUID] | None = Field(
        None,
        description="Partner contact ids; default every TAF professional with an e-mail address",
    )
    addresses: list[Annotated[str, Field(max_length=254)]] | None = Field(
        None,
        max_length=500,
        description=(
            "The e-mail addresses you expect it to go to; if the partner directory now holds "
            "others for these recipients, nothing is sent (409)"
        ),
    )


class OutcomeOut(Schema):
    id: UUID
    lineage: UUID = Field(description="The same outcome across versions")
    headline_code: str
    description: str
    measure: str
    people: list[UUID]
    position: int


class ActionOut(Schema):
    id: UUID
    lineage: UUID
    what: str
    outcome_id: UUID | None
    owner_person_id: UUID | None
    owner_contact_id: UUID | None
    due_on: date
    status: str


class MemberOut(Schema):
    id: UUID
    contact_id: UUID | None
    person_id: UUID | None
    name: str
    job_title: str
    organisation: str
    role_in_plan: str


class VersionOut(Schema):
    id: UUID
    number: int
    is_current: bool
    created_at: datetime
    change_summary: str
    review_id: UUID | None
    outcomes: list[OutcomeOut]
    actions: list[ActionOut]
    members: list[MemberOut]


class ObjectionOut(Schema):
    id: UUID
    objected_by: UUID
    objected_on: date
    note: str
    withdrawn_on: date | None
    active: bool


class PlanSummaryOut(Schema):
    id: UUID
    status: PlanStatus
    episode_id: UUID
    review_interval_weeks: int
    next_review_due: date
    current_version: int
    created_at: datetime


class PlanOut(Schema):
    id: UUID
    family_id: UUID
    status: PlanStatus
    review_interval_weeks: int
    next_review_due: date
    created_at: datetime
    sharing_objected: bool = Field(description="True while a family member's objection stands")
    objections: list[ObjectionOut]
    version: VersionOut = Field(description="The current version")


class ProgressOut(Schema):
    outcome_id: UUID
    rating: str
    note: str


class ReviewOut(Schema):
    id: UUID
    held_on: date
    summary: str
    reviewed_version: int
    new_version: int
    next_review_due: date
    progress: list[ProgressOut]


class ShareOut(Schema):
    version: int
    sent_to: list[UUID] = Field(description="Partner contact ids the plan was e-mailed to")
    not_sent: int = Field(description="TAF professionals with no usable e-mail address")
    sent_to_addresses: list[str] = Field(
        description="The e-mail addresses the plan was sent to, as the directory held them"
    )
