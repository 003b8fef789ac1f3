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
