"""Request and response bodies of the contacts API."""

from datetime import date, datetime
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from earlyhelp.casework.models import ContactType, RecordedAs
from earlyhelp.core.api_schemas import InputSchema


class VoiceIn(InputSchema):
    person_id: UUID = Field(description="A member of this family")
    text: str = Field(min_length=1, max_length=20_000)
    recorded_as: RecordedAs = Field(
        description="`verbatim` for their own words as said, `summarised` for a summary"
    )


class ProfessionalIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    organisation: str = Field("", max_length=200)
    role: str = Field("", max_length=200)


class ContactIn(InputSchema):
    contact_type: ContactType
    occurred_at: datetime = Field(
        description="When the contact happened; without an offset, UK time"
    )
    note: str = Field(min_length=1, max_length=50_000, description="The practitioner's note")
    subjects: list[UUID] = Field(
        default_factory=list,
        max_length=50,
        description=(
            "Ids of the family members the note is about. People whose words or views are "
            "given are added. At least one is needed overall."
        ),
    )
    present_members: list[UUID] = Field(
        default_factory=list, max_length=50, description="Ids of family members present"
    )
    professionals: list[ProfessionalIn] = Field(default_factory=list, max_length=30)
    child_words: list[VoiceIn] = Field(
        default_factory=list,
        max_length=30,
        description="Each child's own words: views, wishes and feelings (children only)",
    )
    parent_views: list[VoiceIn] = Field(
        default_factory=list,
        max_length=30,
        description="Each parent's or carer's views (not children)",
    )
    next_contact_on: date | None = Field(None, description="Next contact planned for")
    confirm_other_family_names: bool = Field(
        False,
        description=(
            "Save even though the text names someone from another family's record that you "
            "can see. Without it such a note is refused with 409."
        ),
    )

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class CorrectionIn(ContactIn):
    reason: str = Field(min_length=1, max_length=2_000, description="Why the note is corrected")


class DeletionIn(InputSchema):
    reason: str = Field(min_length=1, max_length=2_000, description="Why the note is deleted")


class PersonRef(Schema):
    id: UUID
    name: str


class VoiceOut(Schema):
    person_id: UUID
    name: str
    text: str
    recorded_as: str


class ProfessionalOut(Schema):
    name: str
    organisation: str
    role: str


class AttachmentOut(Schema):
    id: UUID
    original_name: str
    content_type: str
    size: int
    sha256: str
    is_photo: bool


class ContactOut(Schema):
    id: UUID
    family_id: UUID
    episode_id: UUID | None
    contact_type: str
    contact_type_label: str
    occurred_at: datetime
    next_contact_on: date | None
    subjects: list[PersonRef] = Field(description="Who the note is about")
    present_members: list[PersonRef]
    professionals: list[ProfessionalOut]
    note: str
    child_words: list[VoiceOut]
    parent_views: list[VoiceOut]
    attachments: list[AttachmentOut]
    names_other_family: bool = Field(
        description="The text named someone from another family's record and this was confirmed"
    )
    recorded_by: str = Field(description="Username")
    recorded_at: datetime
    corrected_at: datetime | None
    corrected_by: str | None
    correction_reason: str
    deleted: bool = Field(description="A deleted note is a tombstone: type, date and who/why")
    deleted_at: datetime | None
    deleted_by: str | None
    deletion_reason: str


class ContactVersionOut(Schema):
    number: int
    saved_at: datetime
    saved_by: str | None = Field(description="Username")
    reason: str = Field(description="Why this version was saved (empty for the first)")
    contact_type: str
    occurred_at: datetime
    note: str
    subjects: list[str]
    present_members: list[str]
    professionals: list[ProfessionalOut]
    child_words: list[VoiceOut]
    parent_views: list[VoiceOut]


class ContactDetailOut(ContactOut):
    earlier_versions: list[ContactVersionOut] = Field(
        description="Versions before the current one, oldest first (none for a deleted note)"
    )


class ContactPage(Schema):
    items: list[ContactOut]
    count: int = Field(description="Contacts in all pages")
    page: int
    pages: int
