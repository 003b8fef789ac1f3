"""``earlyhelp purge_disclosure_packages``: delete released packages' files once expired.

Run it daily (cron or a scheduled task). Each released package past its ``expires_at``
(``EARLYHELP_DISCLOSURE_PACKAGE_DAYS`` after release) has its encrypted zip deleted and
becomes "expired"; the package record and its disclosure log stay. Running it again
changes nothing. It prints counts only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earlyhelp.sharing.packages.services import purge_expired_packages


class Command(BaseCommand):
    help = "Delete the encrypted files of disclosure packages past their expiry date."

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_expired_packages()
        self.stdout.write(
            f"Expired {result.expired} disclosure package(s); deleted {result.files_deleted} "
            "file(s)."
        )
