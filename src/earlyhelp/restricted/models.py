"""Restricted families and people, their access lists, break-glass accesses and alerts.

A restriction narrows who may open a family: only the users on its access list, plus anyone
who would otherwise see the family and has "broken the glass" (given a reason, time-limited,
alerted and reviewed). ``casework.permissions`` enforces it; this app records it.

A restriction is of a family or of a person (docs/decisions/0007-restricted-people.md). A
person's records live in their families' case files, so restricting a person closes the person
and every family they belong to; break-glass is still into one family (the case file opened).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis
from earlyhelp.people.models import Family, Person


class Restriction(models.Model):
    """One row per family or person ever restricted (exactly one of the two); lifting keeps
    the row (the audit trail keeps each change), restricting again reuses it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.OneToOneField(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="restriction"
    )
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="restriction"
    )
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["lifted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(family__isnull=False, person__isnull=True)
                    | models.Q(family__isnull=True, person__isnull=False)
                ),
                name="restriction_of_a_family_or_a_person",
            )
        ]

    class DataMap:
        # Why a family or person is restricted can say who they are ("a staff member").
        categories = [Category.FAMILY_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "family.members, person"

    def __str__(self) -> str:
        return f"restriction {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class AllowedUser(models.Model):
    """A user named on a restricted family's access list."""

    restriction = models.ForeignKey(
        Restriction, on_delete=models.CASCADE, related_name="allowed_users"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["restriction", "user"], name="one_entry_per_user")
        ]

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "user"

    def __str__(self) -> str:
        return f"access list entry {self.pk}"


class ReviewOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", "Appropriate"
    INAPPROPRIATE = "inappropriate", "Inappropriate"


class BreakGlassAccess(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="break_glass_accesses"
    )
    reason = models.TextField()
    at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices, blank=True)
    escalated = models.BooleanField(default=False)
    review_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "family", "expires_at"])]

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION, Category.FAMILY_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "audit_log"
        subjects = "user"

    def __str__(self) -> str:
        return f"break-glass access {self.pk}"

    @property
    def is_reviewed(self) -> bool:
        return bool(self.outcome)


class Notice(models.Model):
    """An in-app alert to one user (the DPO, a team manager) that needs their attention."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", "Break-glass access"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restricted_notices"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    access = models.ForeignKey(BreakGlassAccess, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "read_at"])]

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "audit_log"
        subjects = "recipient"

    def __str__(self) -> str:
        return f"notice {self.pk}"
