"""Request and response bodies of the assessments API."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.assessments.models import Assessment, Severity
from earlyhelp.core.api_schemas import InputSchema

TEXT = 20_000


class HeadlineOut(Schema):
    code: str = Field(examples=["getting_a_good_education"])
    label: str
    descriptor: str = Field(description="The local outcome plan's descriptor")
    active: bool = Field(description="False for a retired headline: not offered for new needs")


class AssessmentIn(InputSchema):
    started_on: date = Field(description="Date the assessment started; today or earlier")
    organisation: str = Field(
        "",
        max_length=200,
        description="Organisation completing the assessment (default: the council)",
    )


class AssessmentPatch(InputSchema):
    """Only the fields sent change; a field sent as null is left as it is."""

    started_on: date | None = None
    organisation: str | None = Field(None, max_length=200)
    strengths: str | None = Field(None, max_length=TEXT)
    child_views: str | None = Field(None, max_length=TEXT, description="In the child's words")
    parent_views: str | None = Field(None, max_length=TEXT, description="In the parents' words")
    analysis: str | None = Field(None, max_length=TEXT)
    conclusion: str | None = Field(None, max_length=TEXT)
    no_needs_identified: bool | None = Field(
        None, description="True only when the assessment found no needs under any headline"
    )


class NeedIn(InputSchema):
    person_id: UUID = Field(description="A member of the family")
    headline: str = Field(max_length=64, description="An active headline code")
    severity: Severity
    evidence: str = Field(min_length=1, max_length=TEXT)


class NeedPatch(InputSchema):
    headline: str | None = Field(None, max_length=64, description="An active headline code")
    severity: Severity | None = None
    evidence: str | None = Field(None, min_length=1, max_length=TEXT)


class NeedOut(Schema):
    id: UUID
    person_id: UUID
    headline: str = Field(description="Headline code")
    headline_label: str
    severity: Severity
    evidence: str


class EligibilityOut(Schema):
    headline_count: int = Field(description="Distinct headlines with at least one need")
    threshold: int = Field(description="Headlines needed for programme eligibility")
    eligible: bool
    headlines_available: int = Field(description="Active headlines (normally 10)")


class AssessmentOut(Schema):
    id: UUID
    family_id: UUID
    episode_id: UUID
    status: Assessment.Status
    started_on: date
    completed_on: date | None = Field(description="Set when submitted")
    organisation: str
    strengths: str
    child_views: str
    parent_views: str
    analysis: str
    conclusion: str
    no_needs_identified: bool
    created_by: str = Field(description="Username")
    created_at: datetime
    submitted_by: str | None
    submitted_at: datetime | None
    authorised_by: str | None
    authorised_at: datetime | None
    returned_by: str | None = Field(description="Who last returned it to draft")
    returned_at: datetime | None
    returned_comment: str
    needs: list[NeedOut]
    eligibility: EligibilityOut


class AssessmentSummaryOut(Schema):
    id: UUID
    status: Assessment.Status
    started_on: date
    completed_on: date | None
    organisation: str
    headline_count: int = Field(description="Distinct headlines with at least one need")
    submitted_at: datetime | None
    authorised_at: datetime | None


class AssessmentPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[AssessmentSummaryOut]


class SubmitIn(InputSchema):
    completed_on: date | None = Field(
        None, description="Date the assessment was completed (default today)"
    )


class ReturnIn(InputSchema):
    comment: str = Field(
        min_length=1, max_length=TEXT, description="What needs to change before authorisation"
    )


class AwaitingOut(Schema):
    id: UUID
    family_id: UUID
    family_reference: str
    team: str = Field(description="Team slug")
    submitted_by: str = Field(description="Username")
    submitted_at: datetime
    headline_count: int


class AwaitingPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[AwaitingOut]
