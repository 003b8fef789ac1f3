"""Episodes: one period of Early Help for a family, from acceptance to closure."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis


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
    summary = models.TextField(blank=True)
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
            models.Index(fields=["family", "-occurred_at"], name="timeline_family_time"),
            models.Index(fields=["family", "kind", "-occurred_at"], name="timeline_family_kind"),
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
    """The people a timeline entry is about (the filter "show only this person")."""

    entry = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "person"], name="timeline_person_once")
        ]
        indexes = [models.Index(fields=["person", "entry"], name="timeline_person")]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.person_id} in {self.entry_id}"
