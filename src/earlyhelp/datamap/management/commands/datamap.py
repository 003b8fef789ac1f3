"""``earlyhelp datamap export``: the register of personal data as CSV or JSON (for the RoPA)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.datamap.selectors import REGISTER_COLUMNS, register_rows


def to_csv(rows: list[dict[str, str | bool]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # Spreadsheets read "yes"/"no" more kindly than Python's True/False.
        writer.writerow(
            {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in row.items()}
        )
    return out.getvalue()


def to_json(rows: list[dict[str, str | bool]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "The register of personal data, read from every model's DataMap declaration. "
        "`export` writes one row per record type and category."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export"])
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output", type=Path, help="write to this file (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = register_rows()
        text = to_csv(rows) if options["format"] == "csv" else to_json(rows)
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {len(rows)} rows to {output}")
