"""Request and response bodies of the disclosure packages API."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.sharing.models import PackageStatus
from earlyhelp.sharing.packages.items import ItemType
from earlyhelp.sharing.packages.services import MAX_NOTE, MAX_PURPOSE


class ItemIn(InputSchema):
    type: ItemType = Field(description="plan_version, assessment, contact or attachment")
    id: UUID


class PackageIn(InputSchema):
    recipient_organisation_id: UUID = Field(description="An organisation of the directory")
    recipient_contact_id: UUID | None = Field(None, description="A contact there (optional)")
    purpose: str = Field(max_length=MAX_PURPOSE)
    items: list[ItemIn] = Field(
        description="This family's items: the current plan version, assessments, case notes, "
        "and attachments of case notes that are also selected"
    )
    people: list[UUID] = Field(
        description="Family members whose information goes; everyone else is shown by role"
    )
    decision_id: UUID | None = Field(
        None, description="A sharing decision under a gateway, to share without agreement"
    )


class NoteIn(InputSchema):
    note: str = Field("", max_length=MAX_NOTE)


class CheckOut(Schema):
    verdict: str = Field(description="allowed, needs_authorisation or refused")
    reason: str


class PackageOut(Schema):
    id: UUID
    family_id: UUID
    status: PackageStatus
    recipient_organisation_id: UUID
    recipient_contact_id: UUID | None
    purpose: str
    items: list[ItemIn]
    people: list[UUID]
    scopes: list[str]
    decision_id: UUID | None
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    approval_note: str
    released_at: datetime | None
    expires_at: datetime | None
    file_deleted_at: datetime | None
    check: CheckOut | None = Field(
        None, description="What the sharing check says now (before release only)"
    )


class ReleaseOut(Schema):
    package: PackageOut
    passphrase: str = Field(
        description="Shown this once and stored nowhere: send it by a different channel "
        "from the file"
    )
    download_url: str
