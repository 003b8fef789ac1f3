"""The append-only, hash-chained audit trail.

An event never holds personal data: the actor is a user id, the object an opaque id, and
``detail`` only counts and codes (enforced in ``services.record_event``). Each event's hash
is keyed (HMAC, key outside the database) and covers the previous event's hash, so changing,
removing or inserting a row breaks the chain at that point and ``earlyhelp audit verify``
names it; checkpoints kept outside the database show the newest rows removed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    DECISION = "decision", "Decision recorded"
    EXPORT = "export", "Exported"
    SHARE = "share", "Shared"
    DOWNLOAD = "download", "Downloaded"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    BREAK_GLASS = "break_glass", "Break-glass access"
    # A refused attempt to open a record out of the user's scope (the 404 they were shown).
    DENIED = "denied", "Refused access"


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # Which EARLYHELP_AUDIT_KEYS entry keyed this event's hash (rotation keeps old ones).
    key_id = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    class DataMap:
        # Staff activity: which user did what, when. No family member's data is held here.
        categories = [Category.PERSONAL_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "audit_log"
        subjects = "actor_id"  # a user id: the trail holds no family member's data

    def __str__(self) -> str:
        return f"audit event {self.seq}"


class DenialAlert(models.Model):
    """A burst of refused attempts by one user to open records out of their scope, for the
    data protection officer to look into (``services.flush_denials``).

    One alert covers a burst while it lasts: further refusals within the window add to its
    count instead of raising another. The refused records themselves are in the audit trail
    (action ``denied``, this user, between ``first_at`` and ``last_at``), never here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="denial_alerts"
    )
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    denials = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # What the DPO found (e.g. "a mistyped reference; spoken to"); about staff, not families.
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_at"]
        indexes = [models.Index(fields=["user", "reviewed_at", "last_at"])]

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "audit_log"
        subjects = "user"

    def __str__(self) -> str:
        return f"denial alert {self.pk}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None
