"""``earlyhelp partners import FILE.csv [--kind KIND]``: load organisations into the directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.partners.importing import (
    KIND_CHOICES,
    ImportFailed,
    decode,
    import_organisations,
    read_rows,
)


class Command(BaseCommand):
    help = (
        "Partner directory tools. `import FILE.csv` loads organisations from a CSV with a "
        "header row: name (or EstablishmentName), and optionally kind, urn (or URN), ods_code, "
        "email, phone (or TelephoneNum) and status (or EstablishmentStatus (name); Closed "
        "deactivates). A Get Information about Schools extract loads as it is. A row whose "
        "URN is already known updates it. If any row is wrong, nothing is loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--kind",
            choices=KIND_CHOICES,
            default="school",
            help="kind for rows without a kind column (default: school)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        rows, problems = read_rows(decode(raw))
        if not problems:
            try:
                result = import_organisations(actor=None, rows=rows, default_kind=options["kind"])
            except ImportFailed as failed:
                problems = failed.errors
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(problems)} problem(s) in {path.name}.")
        self.stdout.write(
            f"Imported {path.name}: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
