"""``earlyhelp purge_idempotency_keys``: delete repeat-protection keys older than a day.

Run it hourly (cron or a scheduled task), beside ``purge_public_drafts``. Each row holds the
first answer to a write (encrypted) so a repeat can be given it again; after a day no client
retries, and the answer is deleted. Running it again changes nothing. It prints the count only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earlyhelp.core.idempotency import purge


class Command(BaseCommand):
    help = "Delete Idempotency-Key and form-token records older than a day."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge()} repeat-protection record(s) older than a day.")
