"""The whole-family Early Help assessment against the Supporting Families headline needs.

An assessment is written as a draft, submitted by the practitioner and authorised by a team
manager who is not the person who submitted it (two people). Its start and completion dates
and the organisation completing it are what Ofsted's Annex A, List 2 reports. Each need it
records names one family member, one headline, the evidence and a severity.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis
from earlyhelp.core.fields import EncryptedTextField

# What an assessment can hold: the ten headlines between them reach every category below.
_ASSESSMENT_CATEGORIES = [
    Category.CASE_FILE,
    Category.FAMILY_DETAILS,
    Category.LIFESTYLE,
    Category.HEALTH,
    Category.EMPLOYMENT_EDUCATION,
    Category.HOUSING,
    Category.FINANCIAL,
    Category.CRIMINAL_OFFENCE,
]


def default_organisation() -> str:
    return str(settings.EARLYHELP_COUNCIL_NAME)


class Headline(models.Model):
    """One Supporting Families headline need, with the local outcome plan's descriptor.

    Loaded by a migration; a council edits labels and descriptors (``earlyhelp headlines``
    or the administrators' page) and retires headlines without a release. A retired
    headline stays so that old assessments still display.
    """

    code = models.SlugField(max_length=64, unique=True)
    label = models.CharField(max_length=200)
    descriptor = models.TextField(
        blank=True, help_text="When a family member has a need under this headline"
    )
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "label"]

    class DataMap:
        personal = False
        reason = "Configuration: the Supporting Families headline needs and their descriptors."

    def __str__(self) -> str:
        return self.code


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for authorisation"
        AUTHORISED = "authorised", "Authorised"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="assessments"
    )
    episode = models.ForeignKey(
        "casework.Episode", on_delete=models.CASCADE, related_name="assessments"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    organisation = models.CharField(max_length=200, default=default_organisation)
    # Free text about the family (strengths, analysis, the manager's comment) and the
    # child's and parents' own words: encrypted at rest like a case note (decision 0013).
    strengths = EncryptedTextField(blank=True, purpose="assessments.assessment.strengths")
    child_views = EncryptedTextField(blank=True, purpose="assessments.assessment.child_views")
    parent_views = EncryptedTextField(blank=True, purpose="assessments.assessment.parent_views")
    analysis = EncryptedTextField(blank=True, purpose="assessments.assessment.analysis")
    conclusion = EncryptedTextField(blank=True, purpose="assessments.assessment.conclusion")
    # Submitting needs either at least one need or this explicit statement.
    no_needs_identified = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last return to draft; earlier ones are in the history.
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_comment = EncryptedTextField(
        blank=True, purpose="assessments.assessment.returned_comment"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [
            # One assessment in progress (draft or awaiting authorisation) per episode.
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(status__in=["draft", "submitted"]),
                name="one_assessment_in_progress_per_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(completed_on__gte=models.F("started_on")),
                name="assessment_completed_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["family", "-started_on"], name="assessment_family_start"),
            models.Index(fields=["status", "submitted_at"], name="assessment_status"),
        ]

    class DataMap:
        categories = _ASSESSMENT_CATEGORIES
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "family.members"

    def __str__(self) -> str:
        return f"assessment {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# What each severity means, shown as the hint under each choice.
SEVERITY_HINTS: dict[str, str] = {
    Severity.LOW: "The need affects daily life a little; universal services may be enough",
    Severity.MEDIUM: "The need affects daily life and the family needs support to meet it",
    Severity.HIGH: "The need has a serious impact now and the family needs support urgently",
}


class AssessmentNeed(models.Model):
    """A headline need that applies to one family member, with the evidence for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    headline = models.ForeignKey(Headline, on_delete=models.PROTECT, related_name="+")
    # Domestic abuse, health, third parties' addresses: encrypted at rest (decision 0013).
    evidence = EncryptedTextField(purpose="assessments.assessmentneed.evidence")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["headline__position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person", "headline"], name="assessment_need_once"
            )
        ]

    class DataMap:
        categories = _ASSESSMENT_CATEGORIES
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"need {self.headline_id} in {self.assessment_id}"
