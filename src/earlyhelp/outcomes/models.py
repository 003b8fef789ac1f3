"""Outcomes at closure and the sustain checks that follow them.

Each outcome of the family plan is rated once per episode (achieved, partly achieved, not
achieved) with its evidence; re-rating replaces the rating and keeps the earlier one in its
history. An achieved outcome gets a sustain check, due a configured number of calendar
months later (settings.EARLYHELP_SUSTAIN_MONTHS), usually after the episode has closed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis


class Rating(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class SustainResult(models.TextChoices):
    SUSTAINED = "sustained", "Sustained"
    NOT_SUSTAINED = "not_sustained", "Not sustained"


class OutcomeRating(models.Model):
    """How far one outcome of the family plan was achieved, with the evidence for it.

    ``lineage`` is the plan outcome's lineage (the same outcome across plan versions), kept
    here so the database itself allows one rating per outcome per episode.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # PROTECT: a rated outcome is part of the closure record and must not vanish with a
    # plan edit.
    plan_outcome = models.ForeignKey(
        "plans.PlanOutcome", on_delete=models.PROTECT, related_name="ratings"
    )
    lineage = models.UUIDField()
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="outcome_ratings"
    )
    episode = models.ForeignKey(
        "casework.Episode", on_delete=models.CASCADE, related_name="outcome_ratings"
    )
    rating = models.CharField(max_length=16, choices=Rating.choices)
    evidence = models.TextField()
    achieved_on = models.DateField(null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "lineage"], name="one_rating_per_outcome_per_episode"
            ),
            models.CheckConstraint(
                condition=~models.Q(rating="achieved") | models.Q(achieved_on__isnull=False),
                name="achieved_rating_has_date",
            ),
        ]
        indexes = [models.Index(fields=["family", "episode"], name="outcome_rating_family")]

    class DataMap:
        # Outcomes and their evidence concern health, substance use and similar needs.
        categories = [Category.CASE_FILE, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "plan_outcome.people"

    def __str__(self) -> str:
        return f"outcome rating {self.pk}"

    @property
    def is_achieved(self) -> bool:
        return self.rating == Rating.ACHIEVED


class SustainCheck(models.Model):
    """Whether an achieved outcome has held, checked once it is due (usually after closure)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rating = models.ForeignKey(
        OutcomeRating, on_delete=models.CASCADE, related_name="sustain_checks"
    )
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="sustain_checks"
    )
    due_on = models.DateField()
    result = models.CharField(max_length=16, choices=SustainResult.choices, blank=True)
    evidence = models.TextField(blank=True)
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["rating"], name="one_sustain_check_per_rating"),
            models.CheckConstraint(
                condition=models.Q(result="")
                | models.Q(checked_on__isnull=False, checked_by__isnull=False),
                name="sustain_check_result_has_checker",
            ),
        ]
        # The "due" task list: unrecorded checks by due date.
        indexes = [models.Index(fields=["result", "due_on"], name="sustain_check_due")]

    class DataMap:
        categories = [Category.CASE_FILE, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "rating.plan_outcome.people"

    def __str__(self) -> str:
        return f"sustain check {self.pk}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.result)
