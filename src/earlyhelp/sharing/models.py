"""Agreements (consent), sharing decisions, disclosure packages and the disclosure log.

domain.md section 5. An *agreement* is one family member's agreement, per recipient
organisation (or kind of organisation), per scope and purpose; it can be withdrawn at any
time and nothing new is shared under it afterwards. A *sharing decision* is a person's
recorded decision to share, share in part or not share, with every field the domain lists;
sharing without agreement names a gateway and needs a team manager's authorisation. What
actually left the team is in the *disclosure log*, one line per person whose information went.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis
from earlyhelp.partners.models import OrganisationKind


class Scope(models.TextChoices):
    """Kinds of information an agreement or a disclosure covers."""

    PLAN = "plan", "The family plan"
    ASSESSMENTS = "assessments", "Assessments"
    CASE_NOTES = "case_notes", "Case notes"
    HEALTH = "health", "Health information"
    EDUCATION = "education", "Education information"


class AgreementKind(models.TextChoices):
    RECEIVE_SUPPORT = "receive_support", "Agreement to receive Early Help"
    SHARE = "share", "Agreement to share information"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally"
    WRITTEN = "written", "In writing"
    SIGNED_FORM = "signed_form", "Signed form (uploaded)"


class Gateway(models.TextChoices):
    """Lawful routes for sharing without agreement (domain.md section 5)."""

    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding: risk of significant harm (DPA 2018 Sch 1 para 18; Children Act 2004 s11)",
    )
    CRIME = "crime", "Prevention or detection of crime (DPA 2018 Sch 2 para 2)"
    LEGAL_DUTY = "legal_duty", "Required by law or court order (DPA 2018 Sch 2 para 5)"
    VITAL_INTERESTS = "vital_interests", "Vital interests: threat to life (UK GDPR Art 6(1)(d))"


class DecisionOutcome(models.TextChoices):
    SHARE = "share", "Share"
    SHARE_IN_PART = "share_in_part", "Share in part"
    NOT_SHARE = "not_share", "Do not share"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_SOUGHT = "not_sought", "Not sought"


class TransferMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    PORTAL = "portal", "Partner access in earlyhelp"
    ENCRYPTED_FILE = "encrypted_file", "Encrypted file"
    VERBAL = "verbal", "Verbally"


class AuthorisationStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", "Not required (shared with agreement)"
    PENDING = "pending", "Waiting for a team manager"
    AUTHORISED = "authorised", "Authorised"
    REFUSED = "refused", "Refused"


class Agreement(models.Model):
    """One person's agreement to receive Early Help, or to share, recorded as given."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="agreements")
    # Whose information (or whose support) the agreement is about ...
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="agreements")
    # ... and who gave it: the person themself (an adult, a competent child) or, for a
    # young child, a parent or carer.
    given_by = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="agreements_given"
    )
    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    # For sharing: a named organisation, or every organisation of one kind.
    recipient_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    recipient_kind = models.CharField(max_length=32, choices=OrganisationKind.choices, blank=True)
    scopes = models.JSONField(default=list, blank=True)  # Scope values
    purpose = models.TextField(blank=True)
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    signed_form = models.CharField(max_length=32, blank=True)  # core.files stored name
    signed_form_name = models.CharField(max_length=255, blank=True)
    signed_form_type = models.CharField(max_length=100, blank=True)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        indexes = [models.Index(fields=["family", "kind", "withdrawn_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="receive_support")
                    | models.Q(recipient_organisation__isnull=False)
                    | ~models.Q(recipient_kind="")
                ),
                name="share_agreement_names_recipient",
            )
        ]

    class DataMap:
        categories = [Category.CASE_FILE, Category.PERSONAL_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"agreement {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @property
    def scope_labels(self) -> list[str]:
        return [Scope(value).label for value in self.scopes if value in Scope.values]

    @property
    def recipient_label(self) -> str:
        if self.recipient_organisation is not None:
            return self.recipient_organisation.name
        if self.recipient_kind:
            return f"Any {OrganisationKind(self.recipient_kind).label.lower()}"
        return ""


class SharingDecision(models.Model):
    """A recorded decision to share, share in part or not share (domain.md section 5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="sharing_decisions"
    )
    # The people whose information the decision covers; everyone else is a third party.
    people = models.ManyToManyField("people.Person", related_name="sharing_decisions")
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    decided_on = models.DateField()
    recipient_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="sharing_decisions"
    )
    recipient_contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.TextField()
    scopes = models.JSONField(default=list, blank=True)  # what may go: Scope values
    lawful_basis = models.CharField(max_length=40, default=LawfulBasis.PUBLIC_TASK.value)
    gateway = models.CharField(max_length=32, choices=Gateway.choices, blank=True)
    consent_status = models.CharField(max_length=16, choices=ConsentStatus.choices)
    consent_not_sought_reason = models.TextField(blank=True)
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="decisions")
    family_told = models.BooleanField()
    family_not_told_reason = models.TextField(blank=True)
    necessity = models.TextField(help_text="Why sharing (or not) is necessary and proportionate")
    items_shared = models.TextField(blank=True)
    identities_protected = models.TextField(blank=True)
    onward_restrictions = models.TextField(blank=True)
    transfer_method = models.CharField(max_length=20, choices=TransferMethod.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    authorisation = models.CharField(
        max_length=16,
        choices=AuthorisationStatus.choices,
        default=AuthorisationStatus.NOT_REQUIRED,
    )
    # An emergency release goes before the manager has seen it; authorisation is then due
    # within 24 hours of the release.
    emergency = models.BooleanField(default=False)
    released_at = models.DateTimeField(null=True, blank=True)
    authorisation_due_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorisation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        indexes = [
            models.Index(fields=["family", "recipient_organisation"]),
            models.Index(fields=["authorisation", "authorisation_due_at"]),
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.SAFEGUARDING
        retention = "early_help_case_file"
        subjects = "people"

    def __str__(self) -> str:
        return f"sharing decision {self.pk}"

    @property
    def without_agreement(self) -> bool:
        return bool(self.gateway)

    @property
    def scope_labels(self) -> list[str]:
        return [Scope(value).label for value in self.scopes if value in Scope.values]


class PackageStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    APPROVED = "approved", "Approved, not yet released"
    RELEASED = "released", "Released"
    REJECTED = "rejected", "Not approved"
    REFUSED = "refused", "Refused: no agreement or gateway"
    EXPIRED = "expired", "Released; the file has been deleted"


class DisclosurePackage(models.Model):
    """Selected items of a family's record, assembled for one recipient.

    ``items`` lists what goes as ``{"type": ..., "id": ...}``; ``included_people`` are the
    people positively included: anyone else named in the items is shown by their role.
    The encrypted zip is stored (core.files storage) until ``expires_at``; its passphrase is
    shown once to the sender and stored nowhere.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="disclosure_packages"
    )
    recipient_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recipient_contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.TextField()
    items = models.JSONField(default=list)
    included_people = models.ManyToManyField("people.Person", related_name="+")
    decision = models.ForeignKey(
        SharingDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages",
    )
    status = models.CharField(
        max_length=20, choices=PackageStatus.choices, default=PackageStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    stored_file = models.CharField(max_length=32, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "included_people"

    def __str__(self) -> str:
        return f"disclosure package {self.pk}"


class DisclosureChannel(models.TextChoices):
    PACKAGE = "package", "Encrypted disclosure package"
    TAF_EMAIL = "taf_email", "Family plan e-mailed to the TAF"
    PARTNER_READ = "partner_read", "Read by a partner in earlyhelp"
    API = "api", "Read by a partner system through the API"


class DisclosureLogEntry(models.Model):
    """What of one person's information left the team: to whom, when, on what basis, by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="disclosures"
    )
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="disclosures"
    )
    disclosed_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=20, choices=DisclosureChannel.choices)
    what = models.CharField(max_length=300)  # a description of the items, never their text
    scopes = models.JSONField(default=list, blank=True)
    recipient_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recipient_contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.ForeignKey(
        SharingDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    package = models.ForeignKey(
        DisclosurePackage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-disclosed_at"]
        indexes = [models.Index(fields=["family", "disclosed_at"])]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"disclosure {self.pk}"

    @property
    def basis_label(self) -> str:
        if self.decision is not None and self.decision.gateway:
            return Gateway(self.decision.gateway).label
        if self.agreement is not None:
            return "Agreement"
        return ""


class PartnerContribution(models.Model):
    """A TAF partner's note on the plan, written through partner access (what they
    contribute; they never see the council's case notes unless an agreement covers them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="partner_contributions"
    )
    plan = models.ForeignKey(
        "plans.FamilyPlan", on_delete=models.CASCADE, related_name="partner_contributions"
    )
    contact = models.ForeignKey(
        "partners.PartnerContact", on_delete=models.PROTECT, related_name="contributions"
    )
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at"]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "family.members"

    def __str__(self) -> str:
        return f"partner contribution {self.pk}"
