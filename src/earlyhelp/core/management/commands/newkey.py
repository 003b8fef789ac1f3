"""``earlyhelp newkey <id>``: print a new random key in the configuration format.

The output goes into a secrets store, then first in EARLYHELP_FIELD_KEYS (or
EARLYHELP_BLIND_INDEX_KEYS): never into the repository or the database.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.core.encryption import generate_key_line


class Command(BaseCommand):
    help = "Print a new 256-bit key as 'id:base64' for EARLYHELP_FIELD_KEYS or _BLIND_INDEX_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_id", help="A short name for the key, e.g. 2026-12")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(generate_key_line(options["key_id"]))
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
