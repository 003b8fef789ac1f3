"""The append-only, hash-chained audit trail.

An event never holds personal data: the actor is a user id, the object an opaque id, and
``detail`` only counts and codes (enforced in ``services.record_event``). Each event's hash
covers the previous event's hash, so changing, removing or inserting a row breaks the chain
at that point and ``earlyhelp audit verify`` names it.
"""

from __future__ import annotations

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
        subjects = "actor"

    def __str__(self) -> str:
        return f"audit event {self.seq}"
