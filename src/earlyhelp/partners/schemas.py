"""Request and response bodies of the partner-directory API.

Formats (URN, ODS code, email) are checked by the service, whose errors the endpoints report
at the field's path in the body, so the API and the pages refuse exactly the same input.
"""

from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.partners.models import OrganisationKind


class PartnerDirectoryQuery(InputSchema):
    kind: OrganisationKind | None = Field(None, description="Only organisations of this kind")
    name: str = Field("", max_length=200, description="Words the name contains")
    include_inactive: bool = Field(False, description="Include deactivated organisations")
    page: int = Field(1, ge=1, description="Page number, 25 organisations a page")


class PartnerContactOut(Schema):
    id: UUID
    name: str
    job_title: str
    email: str
    phone: str
    active: bool


class OrganisationSummaryOut(Schema):
    id: UUID
    name: str
    kind: OrganisationKind
    urn: str
    ods_code: str
    active: bool
    contact_count: int = Field(description="Active contacts")


class OrganisationPage(Schema):
    count: int = Field(description="Organisations matching, over all pages")
    page: int
    pages: int
    items: list[OrganisationSummaryOut]


class OrganisationOut(Schema):
    id: UUID
    name: str
    kind: OrganisationKind
    urn: str = Field(description="Schools: the 6-digit DfE URN")
    ods_code: str = Field(description="Health services: the NHS ODS code")
    email: str = Field(description="A secure team mailbox")
    phone: str
    active: bool
    contacts: list[PartnerContactOut] = Field(description="Active contacts first")


class OrganisationIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    urn: str = Field("", max_length=20, description="Required for a school: 6 digits")
    ods_code: str = Field(
        "", max_length=20, description="For a GP practice: a letter then 5 digits, e.g. A81001"
    )
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    active: bool = True


class OrganisationPatch(InputSchema):
    """Only the fields sent change; ``active: false`` deactivates the organisation."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganisationKind | None = None
    urn: str | None = Field(None, max_length=20)
    ods_code: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    active: bool | None = None


class PartnerContactIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    job_title: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    active: bool = True


class PartnerContactPatch(InputSchema):
    """Only the fields sent change; ``active: false`` deactivates the contact."""

    name: str | None = Field(None, min_length=1, max_length=200)
    job_title: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    active: bool | None = None


class DirectoryChangeOut(Schema):
    """A change to where shared information goes, awaiting a second person (or decided)."""

    id: UUID
    organisation: UUID
    contact: UUID | None = Field(description="Set when the change is to a contact's details")
    status: str = Field(description="`pending` (awaiting a second person), `applied`, `rejected`")
    previous: dict[str, str]
    proposed: dict[str, str]
    message: str
