"""Contacts and referrals from every channel, the people they name, and their attachments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis
from earlyhelp.core.fields import EncryptedTextField
from earlyhelp.core.ids import opaque_reference
from earlyhelp.people.models import FamilyRole, Sex


def new_referral_reference() -> str:
    return opaque_reference("RF-", 7)


class Channel(models.TextChoices):
    ONLINE_FORM = "online_form", "Online form"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    FACE_TO_FACE = "face_to_face", "Face to face"
    OTHER_SERVICE = "other_service", "From another service"


class Status(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Awaiting triage"
    DECIDED = "decided", "Decided"


class Outcome(models.TextChoices):
    NFA = "nfa", "No further action"
    SIGNPOSTED = "signposted", "Advice and signposting"
    ACCEPTED = "accepted", "Accepted for Early Help"
    SOCIAL_CARE = "social_care", "Passed to children's social care"
    LINKED = "linked", "Linked to an open episode"
    DECLINED = "declined", "Declined by the family"


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_referral_reference)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    source = models.CharField(max_length=64, help_text="Code from the referral_sources list")
    received_at = models.DateTimeField(db_index=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    referrer_name = models.CharField(max_length=200)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)

    family_aware = models.BooleanField(null=True)
    family_consents = models.BooleanField(null=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_town = models.CharField(max_length=100, blank=True)
    address_postcode = models.CharField(max_length=8, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    # The privacy notice version the referrer was shown on the online form.
    privacy_notice = models.ForeignKey(
        "datamap.PrivacyNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.AWAITING_TRIAGE, db_index=True
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    signposted_to = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "people.Family",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    episode = models.ForeignKey(
        "casework.Episode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    # Set when a declined referral was cut down to its minimal record.
    minimised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    class DataMap:
        categories = [
            Category.PERSONAL_DETAILS,
            Category.FAMILY_DETAILS,
            Category.CASE_FILE,
            Category.HEALTH,
            Category.LIFESTYLE,
        ]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "referral"
        subjects = "people.person"

    def __str__(self) -> str:
        return self.reference


class ReferralPerson(models.Model):
    """A person as the referrer described them; linked to a Person record at triage."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="people")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    role = models.CharField(max_length=32, choices=FamilyRole.choices)
    nhs_number = EncryptedTextField(blank=True, purpose="referrals.referralperson.nhs_number")
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    class DataMap:
        categories = [Category.PERSONAL_DETAILS, Category.NHS_NUMBER]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "referral"
        subjects = "person"

    def __str__(self) -> str:
        return f"person named in {self.referral_id}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.first_name, self.last_name] if p) or "Name not given"


class ReferralAttachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where the bytes are, relative to EARLYHELP_PRIVATE_FILES_DIR: a random name, never the
    # uploaded one.
    stored_name = models.CharField(max_length=100, unique=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class DataMap:
        categories = [Category.CASE_FILE, Category.IMAGES, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "referral_attachment"
        subjects = "referral.people.person"

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class PublicReferralDraft(models.Model):
    """The answers of an online referral not yet sent, while the referrer fills in /refer/.

    The referrer's session holds only this row's id. The answers (names, dates of birth, the
    address, the concern) are one encrypted JSON document. The row is deleted when the
    referral is sent; an abandoned one is refused once ``expires_at`` has passed (a few hours
    after the last answer, ``EARLYHELP_PUBLIC_DRAFT_HOURS``) and deleted by
    ``earlyhelp purge_public_drafts``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answers = EncryptedTextField(blank=True, purpose="referrals.publicreferraldraft.answers")
    # The privacy notice version the check page showed: the one recorded with the referral.
    notice_version = models.PositiveIntegerField(null=True, blank=True)
    # A refusal from the service waiting to be shown on the page that asked (the step, the
    # person's position, the field and the service's fixed message; never an answer).
    pending_error = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class DataMap:
        categories = [
            Category.PERSONAL_DETAILS,
            Category.FAMILY_DETAILS,
            Category.NHS_NUMBER,
            Category.CASE_FILE,
            Category.HEALTH,
            Category.LIFESTYLE,
        ]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "public_referral_draft"
        # Nobody is matched to a record until the referral is sent and triaged.
        subjects = "answers (the referrer and the people named, not linked to any record)"

    def __str__(self) -> str:
        return f"online referral draft {self.pk}"
