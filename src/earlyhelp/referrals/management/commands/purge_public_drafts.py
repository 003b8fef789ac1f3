"""``earlyhelp purge_public_drafts``: delete online referral drafts nobody finished.

Run it hourly (cron or a scheduled task). A draft left alone for
``EARLYHELP_PUBLIC_DRAFT_HOURS`` (3) is already refused by the form; this deletes its row, with
one audit event giving the count. Running it again changes nothing. It prints the count only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earlyhelp.referrals.public_drafts import purge_expired_drafts


class Command(BaseCommand):
    help = "Delete the answers of online referrals left unsent past their expiry."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired_drafts()
        self.stdout.write(f"Deleted {deleted} expired online referral draft(s).")
