"""Request and response bodies of the programmes API."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.programmes.models import (
    AttendanceStatus,
    EnrolmentStatus,
    ExclusionType,
    MilestoneOutcome,
    ObservationKind,
    ObservationSource,
    ProgrammeKind,
    SenStatus,
)


class ProgrammeListQuery(InputSchema):
    page: int = Field(1, ge=1, description="Page number, 25 items a page")


class ProgrammeTeamOut(Schema):
    slug: str
    name: str


class ProgrammeSummaryOut(Schema):
    id: UUID
    name: str
    kind: ProgrammeKind
    team: ProgrammeTeamOut
    provider_id: UUID | None = Field(description="Partner organisation delivering it, if any")
    starts_on: date
    ends_on: date | None
    capacity: int | None
    places_taken: int = Field(description="Enrolments not withdrawn")


class ProgrammePage(Schema):
    count: int
    page: int
    pages: int
    items: list[ProgrammeSummaryOut]


class ProgrammeSessionOut(Schema):
    id: UUID
    number: int
    date: date
    start_time: time | None
    location: str


class ProgrammeOut(ProgrammeSummaryOut):
    description: str
    sessions: list[ProgrammeSessionOut]


class ProgrammeIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: ProgrammeKind
    team: str = Field(
        max_length=50, description="Slug of the team running it; you must manage that team"
    )
    provider_id: UUID | None = Field(None, description="An active organisation in the directory")
    starts_on: date
    ends_on: date | None = None
    capacity: int | None = Field(None, ge=1, le=10_000)
    description: str = Field("", max_length=5_000)


class ProgrammeSessionIn(InputSchema):
    date: date
    start_time: time | None = None
    location: str = Field("", max_length=200)
    number: int | None = Field(None, ge=1, le=1000, description="Default: the next number")


class RegisterMarkIn(InputSchema):
    enrolment_id: UUID
    status: AttendanceStatus | None = Field(description="Null clears the mark")


class RegisterIn(InputSchema):
    marks: list[RegisterMarkIn] = Field(
        max_length=1000,
        description="The whole register: anyone on it who is not listed has no mark",
    )


class RegisterMarkOut(Schema):
    enrolment_id: UUID
    person_id: UUID
    status: AttendanceStatus | None


class RegisterOut(Schema):
    session_id: UUID
    marks: list[RegisterMarkOut]


class EnrolmentIn(InputSchema):
    programme_id: UUID
    person_ids: list[UUID] = Field(min_length=1, max_length=30, description="Family members")
    enrolled_on: date | None = Field(None, description="Default: today")


class EnrolmentOut(Schema):
    id: UUID
    programme_id: UUID
    person_id: UUID
    family_id: UUID
    enrolled_on: date
    status: EnrolmentStatus
    completed_on: date | None
    withdrawn_on: date | None
    withdrawal_reason: str


class EnrolmentOutcomeIn(InputSchema):
    status: Literal["completed", "withdrawn"]
    on: date
    reason: str = Field("", max_length=2_000, description="Required when withdrawn")


class ObservationQuery(InputSchema):
    person_id: UUID | None = Field(None, description="Only observations about this person")
    page: int = Field(1, ge=1, description="Page number, 25 items a page")


class ObservationIn(InputSchema):
    person_id: UUID
    kind: ObservationKind
    observed_on: date
    outcome: MilestoneOutcome | None = Field(None, description="2-year check, school readiness")
    attendance_percent: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="School attendance: 0 to 100, up to 2 decimal places",
    )
    period_start: date | None = Field(None, description="School attendance: the period covered")
    period_end: date | None = None
    exclusion_type: ExclusionType | None = None
    exclusion_days: Decimal | None = Field(
        None,
        ge=0,
        max_digits=4,
        decimal_places=1,
        description="Suspensions: 0.5 to 45, in halves",
    )
    sen_status: SenStatus | None = None
    note: str = Field("", max_length=5_000)


class ObservationOut(Schema):
    id: UUID
    person_id: UUID
    family_id: UUID
    kind: ObservationKind
    observed_on: date
    outcome: MilestoneOutcome | None
    attendance_percent: Decimal | None
    period_start: date | None
    period_end: date | None
    exclusion_type: ExclusionType | None
    exclusion_days: Decimal | None
    sen_status: SenStatus | None
    note: str
    source: ObservationSource
    recorded_at: datetime


class ObservationPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ObservationOut]
