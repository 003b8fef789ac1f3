"""The partner directory: organisations that work with families, and their professionals."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years_setting", "Early years setting"
    GP_PRACTICE = "gp_practice", "GP practice"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    OTHER_HEALTH = "other_health", "Other health service"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary_sector", "Voluntary or community sector"
    SOCIAL_CARE = "childrens_social_care", "Children's social care"
    COUNCIL = "council_service", "Other council service"
    OTHER = "other", "Other"


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    # Schools: the DfE unique reference number (GIAS); GP practices: the NHS ODS code.
    urn = models.CharField(max_length=6, blank=True, db_index=True)
    ods_code = models.CharField(max_length=10, blank=True)
    email = models.EmailField(blank=True, help_text="A secure team mailbox, not a person's")
    phone = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the kind was last changed (None: as created). An agreement to share with "every
    # organisation of a kind" covers an organisation only if it already had that kind when
    # the agreement was recorded (sharing.policy), so a later change never widens one.
    kind_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=~models.Q(urn=""), name="one_organisation_per_urn"
            )
        ]

    class DataMap:
        personal = False
        reason = "Organisations (schools, GP practices, services): no individual's data."

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A professional at a partner organisation: named in plans as a TAF member or owner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The contact's own sign-in, when they use earlyhelp as a partner (role ``partner``):
    # what they see follows the plans that name this contact and their organisation's
    # agreements (sharing.partner_access).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contact",
    )

    class Meta:
        ordering = ["name"]

    class DataMap:
        categories = [Category.PERSONAL_DETAILS, Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "partner_directory"
        subjects = "self"

    def __str__(self) -> str:
        return f"partner contact {self.pk}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Awaiting a second person"
    APPLIED = "applied", "Applied"
    REJECTED = "rejected", "Rejected"


class DirectoryChange(models.Model):
    """A change to where shared information goes, waiting for a second person (decision 0014).

    A change of an organisation's kind or e-mail address, or of a professional's e-mail
    address, for an organisation that families' agreements or TAFs use, is proposed by one
    editor and applied only when a different editor approves it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pending_changes"
    )
    # Set for a change to a professional's details; empty for the organisation's own.
    contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pending_changes",
    )
    # {field: value} before and after: only the guarded fields (kind, email).
    previous = models.JSONField(default=dict)
    proposed = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    class DataMap:
        categories = [Category.PERSONAL_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "partner_directory"
        subjects = "contact"

    def __str__(self) -> str:
        return f"directory change {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeStatus.PENDING

    @property
    def fields(self) -> list[str]:
        return sorted(self.proposed)


class DirectoryNotice(models.Model):
    """Told to a family's lead practitioner: a directory change their family's sharing uses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    change = models.ForeignKey(DirectoryChange, on_delete=models.PROTECT, related_name="notices")
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="directory_notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["change", "family"], name="one_notice_per_family")
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "family.members"

    def __str__(self) -> str:
        return f"directory notice {self.pk}"
