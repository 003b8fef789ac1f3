"""Episodes: one period of Early Help for a family, from acceptance to closure."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis
from earlyhelp.core.fields import EncryptedTextField

if TYPE_CHECKING:
    from earlyhelp.people.models import Person


class Episode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="episodes")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="episodes")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_episodes",
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=64, blank=True)
    closure_note = models.TextField(blank=True)
    closing_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # The database itself refuses a second open episode for a family.
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_episode_per_family",
            )
        ]
        indexes = [models.Index(fields=["team", "closed_at"])]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "family.members"

    def __str__(self) -> str:
        return f"episode {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Allocation(models.Model):
    """Each allocation and re-allocation of an episode, kept as history."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["allocated_at"]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "episode.family.members"

    def __str__(self) -> str:
        return f"allocation of {self.episode_id}"


class OnwardReferral(models.Model):
    """A referral made at closure: step-up to children's social care, or step-down."""

    class Direction(models.TextChoices):
        STEP_UP = "step_up", "Step-up to children's social care"
        STEP_DOWN = "step_down", "Step-down to universal services"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="onward_referrals")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    destination = models.CharField(max_length=200, help_text="The service referred to")
    reason = models.TextField(help_text="Why, and what the receiving service needs to know")
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["made_at"]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "episode.family.members"

    def __str__(self) -> str:
        return f"{self.direction} from {self.episode_id}"


class TimelineKind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    EPISODE = "episode", "Episode opened or closed"
    CONTACT = "contact", "Contact"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Family plan"
    REVIEW = "review", "Plan review"
    PROGRAMME = "programme", "Programme"
    OBSERVATION = "observation", "Observation"
    OUTCOME = "outcome", "Outcome"
    SHARING = "sharing", "Information sharing"


class TimelineEntry(models.Model):
    """One line of a family's timeline, written by the service that made the record.

    The timeline is read by family and time on every family page, across tens of millions
    of notes; one indexed table answers that in one query where a union over every record
    type could not. Entries point at their record (object_type, object_id) and link to it
    through ``link_name`` reversed with (family id, object id).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=TimelineKind.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=36)
    title = models.CharField(max_length=200)
    # Often the opening of a case note: encrypted like the note.
    summary = EncryptedTextField(blank=True, purpose="casework.timelineentry.summary")
    link_name = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    people: models.ManyToManyField[models.Model, models.Model] = models.ManyToManyField(
        "people.Person", through="TimelineEntryPerson", related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            # The id ends each key so a page is read (and skipped) from the index alone: see
            # casework.timeline.entries_for.
            models.Index(fields=["family", "-occurred_at", "-id"], name="timeline_family_time"),
            models.Index(
                fields=["family", "kind", "-occurred_at", "-id"], name="timeline_family_kind"
            ),
            models.Index(fields=["object_type", "object_id"], name="timeline_object"),
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "people"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class TimelineEntryPerson(models.Model):
    """The people a timeline entry is about (the filter "show only this person").

    ``family`` and ``occurred_at`` are copies of the entry's, kept in step by casework.timeline
    (the only writer): with them "this person's lines in this family, newest first" is one
    range of the ``timeline_person_time`` index instead of a join over every line about a
    person who appears in thousands of them.
    """

    entry = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    # No index of its own: timeline_person_time leads with it.
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "person"], name="timeline_person_once")
        ]
        indexes = [
            models.Index(fields=["person", "entry"], name="timeline_person"),
            models.Index(
                fields=["family", "person", "-occurred_at", "-entry"], name="timeline_person_time"
            ),
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.person_id} in {self.entry_id}"


# --- Contacts and case notes ---------------------------------------------------------------


class ContactType(models.TextChoices):
    """The ``contact_types`` code list (core/data/code-lists.json) with its labels."""

    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    SCHOOL_VISIT = "school_visit", "School visit"
    PHONE_CALL = "phone_call", "Phone call"
    VIDEO_CALL = "video_call", "Video call"
    TAF_MEETING = "taf_meeting", "Team Around the Family (TAF) meeting"
    MULTI_AGENCY_MEETING = "multi_agency_meeting", "Multi-agency meeting"
    EMAIL_OR_LETTER = "email_or_letter", "Email or letter"
    UNSUCCESSFUL_VISIT = "unsuccessful_visit", "Unsuccessful visit (no one home)"


class RecordedAs(models.TextChoices):
    VERBATIM = "verbatim", "Verbatim (in their own words)"
    SUMMARISED = "summarised", "Summarised by the practitioner"


class VoiceKind(models.TextChoices):
    CHILD = "child", "The child's own words"
    PARENT_CARER = "parent_carer", "The parent's or carer's views"


class ContactSubject(models.Model):
    """A person a contact is about: shown on the note, and the key for subject access."""

    contact = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="contact_subject_once")
        ]
        indexes = [models.Index(fields=["person", "contact"], name="contact_subject_person")]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.person_id} subject of {self.contact_id}"


class ContactPresence(models.Model):
    """A family member who was present at the contact."""

    contact = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="contact_present_once")
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.person_id} present at {self.contact_id}"


class ContactVoice(models.Model):
    """A child's own words, or a parent's or carer's views, kept apart from the analysis."""

    contact = models.ForeignKey("Contact", on_delete=models.CASCADE, related_name="voices")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=VoiceKind.choices)
    text = EncryptedTextField(purpose="casework.contactvoice.text")
    recorded_as = models.CharField(max_length=16, choices=RecordedAs.choices)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "person", "kind"], name="contact_voice_once_per_person"
            )
        ]

    class DataMap:
        categories = [Category.CASE_FILE, Category.HEALTH, Category.LIFESTYLE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.kind} voice in {self.contact_id}"


# The history object is kept so the service can write exactly one version per save: the
# version is recorded after the people and voices are in place, so it snapshots them too.
CONTACT_HISTORY = HistoricalRecords(
    m2m_fields=["subjects", "present_members", "voice_people"],
    history_change_reason_field=models.TextField(null=True),
)


class Contact(models.Model):
    """A visit, call or meeting with a family, and the practitioner's case note of it.

    Notes are corrected, never silently edited: each save is a version in the history
    (with the people, voices and professionals as they were), and a deleted note is cut
    down to a tombstone that says what it was, when, and who deleted it and why.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="contacts")
    # The episode open when the contact was recorded.
    episode = models.ForeignKey(
        Episode, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    contact_type = models.CharField(max_length=32, choices=ContactType.choices)
    occurred_at = models.DateTimeField()
    next_contact_on = models.DateField(
        null=True, blank=True, help_text="Next contact planned for (the caseload's next visits)"
    )
    note = EncryptedTextField(
        blank=True, purpose="casework.contact.note", help_text="The practitioner's note"
    )
    # Professionals present: [{"name": ..., "organisation": ..., "role": ...}], kept on the row
    # so each version in the history holds them as they were.
    professionals = models.JSONField(default=list, blank=True)
    subjects: models.ManyToManyField[Person, ContactSubject] = models.ManyToManyField(
        "people.Person", through=ContactSubject, related_name="contacts_about"
    )
    present_members: models.ManyToManyField[Person, ContactPresence] = models.ManyToManyField(
        "people.Person", through=ContactPresence, related_name="+"
    )
    voice_people: models.ManyToManyField[Person, ContactVoice] = models.ManyToManyField(
        "people.Person", through=ContactVoice, related_name="+"
    )
    # Set when the text named someone from another family's record and the recorder
    # confirmed it: copying between records stays visible on the note.
    names_other_family = models.BooleanField(default=False)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    corrected_at = models.DateTimeField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_reason = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deletion_reason = models.TextField(blank=True)

    history = CONTACT_HISTORY

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["family", "-occurred_at"], name="contact_family_time"),
            models.Index(fields=["episode", "next_contact_on"], name="contact_next_contact"),
        ]

    class DataMap:
        categories = [
            Category.CASE_FILE,
            Category.FAMILY_DETAILS,
            Category.HEALTH,
            Category.LIFESTYLE,
            Category.APPEARANCE_BEHAVIOUR,
        ]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "subjects"

    def __str__(self) -> str:
        return f"contact {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ContactAttachment(models.Model):
    """A document or photograph on a case note, stored like a referral's attachments."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # A random name under EARLYHELP_PRIVATE_FILES_DIR, never the uploaded one.
    stored_name = models.CharField(max_length=100, unique=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "original_name"]

    class DataMap:
        categories = [Category.CASE_FILE, Category.IMAGES, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "contact.subjects"

    def __str__(self) -> str:
        return f"contact attachment {self.pk}"

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")
