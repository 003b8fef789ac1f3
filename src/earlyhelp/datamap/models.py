"""The privacy notice, versioned: the version a family was shown is recorded with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PrivacyNotice(models.Model):
    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; blank lines separate paragraphs; '## ' heads")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]

    class DataMap:
        personal = False
        reason = "The council's published privacy notice text."

    def __str__(self) -> str:
        return f"privacy notice v{self.version}"
