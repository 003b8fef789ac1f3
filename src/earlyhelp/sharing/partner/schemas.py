"""Request and response bodies of the partner API (``/api/v1/partner/...``).

The bodies carry what the partner pages show and nothing more: names only of the people the
plan names, no addresses, and text in which anyone else is shown by their role.
"""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.plans.models import ActionStatus


class PartnerFamilyRowOut(Schema):
    id: UUID = Field(description="The family's id, for the operations below")
    reference: str
    plan_version: int = Field(description="The current version of the family plan")
    next_review_due: date
    my_open_actions: int = Field(description="Your actions that are not started or in progress")


class PartnerOutcomeOut(Schema):
    headline: str
    description: str
    measure: str
    people: list[str] = Field(description="Who it is about (empty: the whole family)")


class PartnerActionOut(Schema):
    what: str
    owner: str
    owner_detail: str
    due_on: date
    status: str = Field(description="The status as shown (for example `In progress`)")
    outcome: str


class PartnerMemberOut(Schema):
    name: str
    detail: str
    role_in_plan: str


class MyActionOut(Schema):
    id: UUID = Field(description="Use with PATCH .../actions/{action_id}")
    what: str
    due_on: date
    status: ActionStatus


class ContributionOut(Schema):
    id: UUID
    text: str
    written_at: datetime


class PartnerNeedOut(Schema):
    headline: str
    person: str
    severity: str
    evidence: str


class PartnerAssessmentOut(Schema):
    id: UUID
    started_on: date
    completed_on: date | None
    strengths: str
    child_views: str
    parent_views: str
    analysis: str
    conclusion: str
    needs: list[PartnerNeedOut]


class PartnerVoiceOut(Schema):
    kind: str
    person: str
    text: str


class NoteOut(Schema):
    id: UUID
    contact_type: str
    occurred_at: datetime
    about: list[str]
    note: str
    voices: list[PartnerVoiceOut]


class PartnerFamilyOut(Schema):
    id: UUID
    reference: str
    scopes: list[str] = Field(description="What the family agreed your organisation may see")
    plan_version: int
    agreed_on: date
    next_review_due: date
    people: list[str] = Field(description="The people the plan names")
    outcomes: list[PartnerOutcomeOut]
    actions: list[PartnerActionOut]
    members: list[PartnerMemberOut]
    my_actions: list[MyActionOut]
    contributions: list[ContributionOut] = Field(description="Your own contributions")
    assessments: list[PartnerAssessmentOut] | None = Field(
        description="Authorised assessments; null when the agreement does not cover them"
    )
    case_notes: list[NoteOut] | None = Field(
        description="Recent notes about the plan's people; null when the agreement does not "
        "cover case notes"
    )


class MyActionStatusIn(InputSchema):
    status: ActionStatus


class ContributionIn(InputSchema):
    text: str = Field(max_length=5000, description="Your note on the plan")
