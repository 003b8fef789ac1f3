"""``earlyhelp observations import FILE.csv``: school inclusion figures matched by UPN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.programmes.importing import ImportFailed, run_import


class Command(BaseCommand):
    help = (
        "Observation tools. `import FILE.csv` records school attendance, suspensions and "
        "exclusions and SEN status from a UTF-8 CSV with a header row: upn, observed_on "
        "(YYYY-MM-DD or DD/MM/YYYY), and any of attendance_percent with period_start and "
        "period_end; exclusion_type (suspension or permanent) with exclusion_days; "
        "sen_status (no_sen, sen_support, ehc_plan, or the census codes N, K, E). People are "
        "matched by UPN only; unknown UPNs are skipped and counted. If any row is wrong, "
        "nothing is recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path.name} is not UTF-8 text: save it as CSV UTF-8.") from None
        try:
            result = run_import(text)
        except ImportFailed as failed:
            for problem in failed.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was recorded: {len(failed.errors)} problem(s) in {path.name}."
            ) from None
        self.stdout.write(
            f"Imported {path.name}: {result.recorded} observation(s) recorded for "
            f"{result.rows_matched} matched row(s); {result.already_recorded} already "
            f"recorded; {result.unknown_upn} row(s) with an unknown UPN skipped; "
            f"{result.ambiguous_upn} row(s) whose UPN more than one record holds skipped."
        )
