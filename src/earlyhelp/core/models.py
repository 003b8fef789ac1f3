"""Reference code lists (configuration data, editable without code)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from earlyhelp.core.datamap import Category, LawfulBasis
from earlyhelp.core.fields import EncryptedTextField


class CodeEntry(models.Model):
    """One entry of a reference code list (ethnicity, referral sources, closure reasons...).

    Loaded from ``core/data/code-lists.json`` by a migration; a council can relabel, add or
    retire entries without a release. Retired entries stay so old records still display.
    """

    list_name = models.CharField(max_length=64)
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["list_name", "position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "code"], name="code_entry_unique")
        ]

    class DataMap:
        personal = False
        reason = "Reference data: code lists."

    def __str__(self) -> str:
        return f"{self.list_name}:{self.code}"


class IdempotencyKey(models.Model):
    """One write that must happen once however often it is sent (``core.idempotency``).

    An API client's ``Idempotency-Key`` or a page form's token, each kept as a keyed hash, with
    the answer the first request got, so a retry or a double click gets that answer again
    instead of doing the write twice. The saved answer can hold personal data (a created case
    note, say): it is encrypted, and every row is deleted a day after the request
    (``purge_idempotency_keys``).
    """

    scope = models.CharField(max_length=64)  # a keyed hash of the API token, or the user's page
    key = models.CharField(max_length=64)  # a keyed hash of the client's key
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)  # None while in progress
    response = EncryptedTextField(blank=True, purpose="core.idempotencykey.response")
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once")
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "idempotency_key"
        subjects = "whoever the saved answer is about (not linked to any record)"

    def __str__(self) -> str:
        return f"idempotency key {self.pk}"
