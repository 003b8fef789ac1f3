"""Reference code lists (configuration data, editable without code)."""

from __future__ import annotations

from django.db import models


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
