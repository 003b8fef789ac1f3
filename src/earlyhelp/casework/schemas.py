"""Response bodies of the families API."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema


class AddressOut(Schema):
    id: UUID
    line1: str
    line2: str
    town: str
    postcode: str
    uprn: str
    confidential: bool = Field(
        description=(
            "A confidential address must not leave the allocated team: not in letters, "
            "exports, shared plans or disclosures"
        )
    )


class FamilyMemberOut(Schema):
    person_id: UUID
    first_name: str
    last_name: str
    known_as: str
    date_of_birth: date | None
    sex: str
    role: str
    nhs_number: str
    addresses: list[AddressOut] = Field(description="Current addresses only")


class TeamOut(Schema):
    slug: str
    name: str


class EpisodeOut(Schema):
    id: UUID
    team: TeamOut
    lead_practitioner: str | None = Field(description="Username of the lead practitioner")
    opened_at: datetime


class FamilyOut(Schema):
    id: UUID
    reference: str
    members: list[FamilyMemberOut]
    open_episode: EpisodeOut | None = Field(description="Null when no episode is open")


class ClosureIn(InputSchema):
    reason: str = Field(
        max_length=64, description="A code from the closure_reasons list, e.g. needs_met"
    )
    summary: str = Field(
        max_length=20_000, description="Closing summary: what changed and what happens next"
    )
    note: str = Field("", max_length=5_000, description="Required when the reason is `other`")
    onward_destination: str = Field(
        "",
        max_length=200,
        description="For a step-up or step-down: the service the family is referred to",
    )
    onward_reason: str = Field(
        "",
        max_length=5_000,
        description="For a step-up or step-down: why, and what that service needs to know",
    )


class ClosedEpisodeOut(Schema):
    id: UUID
    closed_at: datetime
    closure_reason: str
    onward_referral_id: UUID | None


class TimelineEntryOut(Schema):
    occurred_at: datetime
    kind: str
    object_type: str
    object_id: str
    title: str
    summary: str
    person_ids: list[UUID]


class TimelinePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[TimelineEntryOut]


class CaseloadFamilyOut(Schema):
    family_id: UUID
    reference: str
    episode_id: UUID
    next_contact_on: date | None = Field(description="From the latest contact's plan")
    next_review_due: date | None = Field(description="The active family plan's next review")
    review_overdue: bool


class SustainCheckDueOut(Schema):
    id: UUID
    family_id: UUID
    due_on: date


class CaseloadOut(Schema):
    count: int
    page: int
    pages: int
    families: list[CaseloadFamilyOut]
    sustain_checks_due: list[SustainCheckDueOut] = Field(
        description="Unchecked sustain checks due within two weeks, on families you led"
    )
