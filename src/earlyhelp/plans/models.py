"""Family plans (Team Around the Family): versions, outcomes, actions, members, reviews.

A plan is a chain of versions. Only the highest-numbered version is current and editable;
a review freezes it and copies it forward as the next version, so every version the family
and the TAF agreed to stays as it was. Outcomes, actions and members carry a ``lineage``
id that is copied unchanged, so the same outcome can be followed from version to version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis
from earlyhelp.core.fields import EncryptedTextField
from earlyhelp.people.models import Person


def default_review_weeks() -> int:
    return int(settings.EARLYHELP_PLAN_REVIEW_WEEKS)


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class ProgressRating(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    SOME_PROGRESS = "some_progress", "Some progress"
    NO_PROGRESS = "no_progress", "No progress"
    ACHIEVED = "achieved", "Achieved"


class FamilyPlan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="plans")
    episode = models.ForeignKey("casework.Episode", on_delete=models.CASCADE, related_name="plans")
    review_interval_weeks = models.PositiveSmallIntegerField(default=default_review_weeks)
    next_review_due = models.DateField(db_index=True)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(status="active"),
                name="one_active_plan_per_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(review_interval_weeks__gte=1),
                name="plan_review_interval_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_due"], name="plan_review_due")]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "family.members"

    def __str__(self) -> str:
        return f"plan {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE


class PlanVersion(models.Model):
    """One agreed version of the plan; read-only once a later version exists."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    change_summary = EncryptedTextField(
        blank=True, purpose="plans.planversion.change_summary", help_text="What changed, and why"
    )
    review = models.ForeignKey(
        "PlanReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="produced_versions",
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="plan_version_number_positive"
            ),
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "plan.family.members"

    def __str__(self) -> str:
        return f"plan version {self.pk}"


class PlanOutcome(models.Model):
    """A desired outcome, tied to one of the assessed headline needs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    headline_code = models.CharField(max_length=64)
    people: models.ManyToManyField[Person, models.Model] = models.ManyToManyField(
        "people.Person", blank=True, related_name="+"
    )
    # The plan's free text is encrypted at rest like a case note (decision 0013).
    description = EncryptedTextField(
        purpose="plans.planoutcome.description", help_text="The desired outcome, in plain words"
    )
    measure = EncryptedTextField(
        blank=True, purpose="plans.planoutcome.measure", help_text="How we will know"
    )
    position = models.PositiveSmallIntegerField(default=0)
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="plan_outcome_lineage_once")
        ]

    class DataMap:
        # Outcomes name needs such as mental and physical health or substance use.
        categories = [Category.CASE_FILE, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "people"

    def __str__(self) -> str:
        return f"plan outcome {self.pk}"


class PlanAction(models.Model):
    """What will be done, by whom (a family member or a partner professional), by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(
        PlanOutcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    what = EncryptedTextField(purpose="plans.planaction.what")
    owner_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(owner_person__isnull=False, owner_contact__isnull=True)
                    | models.Q(owner_person__isnull=True, owner_contact__isnull=False)
                ),
                name="plan_action_one_owner",
            ),
            models.UniqueConstraint(fields=["version", "lineage"], name="plan_action_lineage_once"),
        ]

    class DataMap:
        categories = [Category.CASE_FILE, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "version.plan.family.members"

    def __str__(self) -> str:
        return f"plan action {self.pk}"

    @property
    def owner_is_family(self) -> bool:
        return self.owner_person_id is not None


class TafMember(models.Model):
    """Someone in the Team Around the Family: a partner professional or a family member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role_in_plan = models.CharField(max_length=200, blank=True)
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contact__isnull=False, person__isnull=True)
                    | models.Q(contact__isnull=True, person__isnull=False)
                ),
                name="taf_member_one_kind",
            ),
            models.UniqueConstraint(
                fields=["version", "contact"],
                condition=models.Q(contact__isnull=False),
                name="taf_contact_once_per_version",
            ),
            models.UniqueConstraint(
                fields=["version", "person"],
                condition=models.Q(person__isnull=False),
                name="taf_person_once_per_version",
            ),
        ]

    class DataMap:
        categories = [Category.CASE_FILE, Category.PERSONAL_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"TAF member {self.pk}"

    @property
    def is_professional(self) -> bool:
        return self.contact_id is not None


class PlanReview(models.Model):
    """A TAF review of one version; it produces the next version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="reviews"
    )
    held_on = models.DateField()
    summary = EncryptedTextField(blank=True, purpose="plans.planreview.summary")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            # A review replaces its version, so a version can be reviewed only once.
            models.UniqueConstraint(fields=["reviewed_version"], name="plan_version_reviewed_once")
        ]

    class DataMap:
        categories = [Category.CASE_FILE, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "plan.family.members"

    def __str__(self) -> str:
        return f"plan review {self.pk}"


class ReviewProgress(models.Model):
    """Progress on one outcome of the reviewed version, as the review judged it."""

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(
        PlanOutcome, on_delete=models.PROTECT, related_name="progress_ratings"
    )
    rating = models.CharField(max_length=16, choices=ProgressRating.choices)
    note = EncryptedTextField(blank=True, purpose="plans.reviewprogress.note")

    class Meta:
        ordering = ["review", "outcome__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="review_outcome_once")
        ]

    class DataMap:
        categories = [Category.CASE_FILE, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "outcome.people"

    def __str__(self) -> str:
        return f"{self.rating} for {self.outcome_id}"


class PlanObjection(models.Model):
    """A family member's objection to the plan being shared with the TAF members.

    While it stands (``withdrawn_on`` is empty) the plan is not sent to anyone.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="objections")
    objected_on = models.DateField()
    objected_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True, purpose="plans.planobjection.note")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-objected_on", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "objected_by"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_active_objection_per_person",
            )
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "objected_by"

    def __str__(self) -> str:
        return f"plan objection {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
