"""Request and response bodies of the referrals API.

Identifier formats are checked here, with ``earlyhelp.core.identifiers``, so that pydantic
reports the exact path of a bad value (``body.payload.people.1.nhs_number``). Code lists
(sources, reasons) live in the database and are checked by the service, whose error the
endpoint moves to the same kind of path.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.core.identifiers import IdentifierError, normalise_nhs_number, normalise_postcode
from earlyhelp.people.models import FamilyRole, Sex
from earlyhelp.referrals.models import Outcome

# The online form is the public's channel (with its privacy notice and rate limit); staff and
# partner systems record what reached them some other way.
ApiChannel = Literal["phone", "email", "letter", "face_to_face", "other_service"]


class ReferrerIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    organisation: str = Field("", max_length=200)
    role: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise PydanticCustomError(
                    "invalid_email", "Enter an email address like name@example.org"
                ) from None
        return value


class AddressIn(InputSchema):
    line1: str = Field("", max_length=200)
    town: str = Field("", max_length=100)
    postcode: str = Field("", max_length=16, description="A full UK postcode, e.g. AB1 2XY")

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_postcode(value)
        except IdentifierError as exc:
            # A custom error keeps the message as written (no "Value error, " prefix).
            raise PydanticCustomError(exc.code, exc.message) from None


class ReferralPersonIn(InputSchema):
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    date_of_birth: date | None = None
    sex: Sex = Sex.UNKNOWN
    role: FamilyRole
    nhs_number: str = Field("", max_length=16, description="10 digits; spaces allowed")

    @field_validator("nhs_number")
    @classmethod
    def _nhs_number(cls, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_nhs_number(value)
        except IdentifierError as exc:
            raise PydanticCustomError(exc.code, exc.message) from None


class ReferralIn(InputSchema):
    channel: ApiChannel
    source: str = Field("other", max_length=64, description="A code from the referral_sources list")
    received_at: datetime = Field(
        description="When the referral reached the service; without an offset, UK time"
    )
    referrer: ReferrerIn
    family_aware: bool | None = None
    family_consents: bool | None = None
    address: AddressIn = AddressIn(line1="", town="", postcode="")
    people: list[ReferralPersonIn] = Field(min_length=1, max_length=30)
    reasons: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=30, description="Codes from the referral_reasons list"
    )
    summary: str = Field("", max_length=20_000)

    @field_validator("received_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class ReferralCreated(Schema):
    id: UUID
    reference: str = Field(examples=["RF-7K2Q9HD"])


class TriageDecisionIn(InputSchema):
    outcome: Outcome
    team: str | None = Field(
        None, max_length=50, description="Slug of the team to allocate to (accepted)"
    )
    lead_practitioner: str | None = Field(
        None, max_length=150, description="Username of the lead practitioner"
    )
    signposted_to: str = Field("", max_length=2_000, description="Required when signposted")
    links: dict[int, UUID] = Field(
        default_factory=dict,
        description=(
            "Referral person id -> id of a person already known, to link instead of creating "
            "a new person record"
        ),
    )


class TriageDecisionOut(Schema):
    referral_id: UUID
    outcome: Outcome
    family_id: UUID | None
    episode_id: UUID | None


class ReferrerOut(Schema):
    name: str = Field(
        description="Empty once a declined self-referral was cut down to its minimal record: "
        "the referrer was the family, and `source` says so"
    )
    organisation: str
    role: str
    phone: str
    email: str


class ReferralPersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date | None
    sex: str
    role: str


class ReferralOut(Schema):
    id: UUID
    reference: str
    channel: str
    source: str
    received_at: datetime
    status: str
    outcome: str | None = Field(description="Null until a decision is recorded")
    referrer: ReferrerOut
    people: list[ReferralPersonOut] = Field(
        description="Empty once a declined referral has been cut down to its minimal record"
    )
    reasons: list[str]
    summary: str
