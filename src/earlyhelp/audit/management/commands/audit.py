"""``earlyhelp audit verify``: walk the hash chain and report the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks the hash chain from the first event to the last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at sequence number {broken.seq}: {broken.reason} "
                f"({checked} events before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {checked} events verified.")
