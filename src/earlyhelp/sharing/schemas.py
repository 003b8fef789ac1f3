"""Request and response bodies of the agreements, sharing decisions and disclosure log API."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.partners.models import OrganisationKind
from earlyhelp.sharing.models import (
    AgreementKind,
    AuthorisationStatus,
    ConsentMethod,
    ConsentStatus,
    DecisionOutcome,
    DisclosureChannel,
    Gateway,
    Scope,
    TransferMethod,
)


class AgreementIn(InputSchema):
    person: UUID = Field(description="The family member whose information (or support) it is")
    given_by: UUID = Field(
        description=(
            "Who gave it: the person themself if an adult, or a competent child "
            "(`child_competent`); for a young child, a parent or carer in the family"
        )
    )
    child_competent: bool = Field(
        False, description="The practitioner judged the child competent to decide (Gillick)"
    )
    kind: AgreementKind = AgreementKind.SHARE
    recipient_organisation: UUID | None = Field(
        None, description="For sharing: a partner directory organisation; or"
    )
    recipient_kind: OrganisationKind | None = Field(
        None, description="every organisation of this kind"
    )
    scopes: list[Scope] = Field(default_factory=list, description="What may be shared")
    purpose: str = Field("", max_length=2000)
    method: ConsentMethod = Field(
        description="How it was given. `signed_form` needs the upload on the staff site"
    )
    given_on: date


class AgreementWithdrawalIn(InputSchema):
    withdrawn_on: date
    withdrawn_by: UUID = Field(description="The family member who withdrew it")
    note: str = Field("", max_length=2000)


class AgreementOut(Schema):
    id: UUID
    family_id: UUID
    person_id: UUID
    given_by_id: UUID
    kind: AgreementKind
    recipient_organisation_id: UUID | None
    recipient_kind: str = Field(description="An organisation kind, or empty")
    recipient: str = Field(description="The recipient as shown to staff")
    scopes: list[str]
    purpose: str
    method: ConsentMethod
    has_signed_form: bool
    given_on: date
    recorded_at: datetime
    active: bool
    withdrawn_on: date | None
    withdrawn_by_id: UUID | None
    withdrawal_note: str


class SharingDecisionIn(InputSchema):
    outcome: DecisionOutcome
    decided_on: date
    people: list[UUID] = Field(description="Family members whose information it is about")
    recipient_organisation: UUID
    recipient_contact: UUID | None = Field(None, description="A professional there")
    purpose: str = Field(max_length=5000)
    scopes: list[Scope] = Field(default_factory=list, description="Empty for `not_share`")
    consent_status: ConsentStatus
    consent_not_sought_reason: str = Field("", max_length=5000)
    agreements: list[UUID] = Field(
        default_factory=list,
        description="Standing agreements relied on (required when consent was given)",
    )
    gateway: Gateway | None = Field(
        None, description="Required to share when agreement was refused or not sought"
    )
    emergency: bool = Field(
        False,
        description=(
            "With a gateway only: released at once; a team manager must authorise it within "
            "24 hours"
        ),
    )
    family_told: bool
    family_not_told_reason: str = Field("", max_length=5000)
    necessity: str = Field(max_length=5000, description="Why necessary and proportionate")
    items_shared: str = Field("", max_length=5000, description="Exactly what is shared")
    identities_protected: str = Field("", max_length=5000)
    onward_restrictions: str = Field("", max_length=5000)
    transfer_method: TransferMethod | None = None


class AuthorisationIn(InputSchema):
    authorise: bool = Field(description="True to authorise, false to refuse")
    note: str = Field("", max_length=5000, description="Required when refusing")


class SharingDecisionOut(Schema):
    id: UUID
    family_id: UUID
    outcome: DecisionOutcome
    decided_on: date
    people: list[UUID]
    recipient_organisation_id: UUID
    recipient_contact_id: UUID | None
    purpose: str
    scopes: list[str]
    lawful_basis: str
    gateway: str
    consent_status: ConsentStatus
    consent_not_sought_reason: str
    agreements: list[UUID]
    family_told: bool
    family_not_told_reason: str
    necessity: str
    items_shared: str
    identities_protected: str
    onward_restrictions: str
    transfer_method: str
    decided_by: str = Field(description="The decision-maker's name")
    recorded_at: datetime
    emergency: bool
    released_at: datetime | None
    authorisation: AuthorisationStatus
    authorisation_due_at: datetime | None
    authorisation_overdue: bool
    authorised_by: str | None = Field(description="The authorising (or refusing) manager")
    authorised_at: datetime | None
    authorisation_note: str


class DisclosureOut(Schema):
    id: UUID
    person_id: UUID
    disclosed_at: datetime
    channel: DisclosureChannel
    what: str
    scopes: list[str]
    recipient_organisation_id: UUID
    recipient_organisation: str
    recipient_contact_id: UUID | None
    recipient_contact: str | None
    basis: str = Field(description="`Agreement`, or the gateway's label")
    agreement_id: UUID | None
    decision_id: UUID | None
    package_id: UUID | None
    disclosed_by: str
    approved_by: str | None


class DisclosureLogOut(Schema):
    count: int
    page: int
    pages: int
    items: list[DisclosureOut]
