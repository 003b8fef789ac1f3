"""Loading organisations from a CSV file, such as a Get Information about Schools extract.

All or nothing: every row is checked, every problem is reported with its line number, and
if any row is wrong nothing is loaded. A row whose URN is already in the directory updates
that organisation, so a fresh monthly extract can be loaded over the last one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import transaction

from earlyhelp.accounts.models import User
from earlyhelp.core.errors import DomainError
from earlyhelp.partners import services, validators
from earlyhelp.partners.models import Organisation, OrganisationKind

# Our own column names, and the ones a GIAS "all establishment data" extract uses.
COLUMNS = {
    "name": "name",
    "establishmentname": "name",
    "kind": "kind",
    "urn": "urn",
    "ods_code": "ods_code",
    "odscode": "ods_code",
    "email": "email",
    "phone": "phone",
    "telephonenum": "phone",
    "status": "status",
    "establishmentstatus (name)": "status",
}
CLOSED = {"closed", "inactive", "deactivated"}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def decode(raw: bytes) -> str:
    """GIAS extracts come in Windows-1252; our own template in UTF-8 (perhaps with a BOM)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """(line number, row by our column names); unknown columns are ignored."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return [], [RowError(1, "The file is empty: the first line must name the columns")]
    names = [COLUMNS.get(h.strip().lower(), "") for h in header]
    if "name" not in names:
        return [], [RowError(1, "No name column: call it name or EstablishmentName")]
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {n: v.strip() for n, v in zip(names, values, strict=False) if n}
        rows.append((reader.line_num, row))
    return rows, []


def _field_label(field_name: str | None) -> str:
    return f"{field_name}: " if field_name else ""


@transaction.atomic
def import_organisations(
    *, actor: User | None, rows: Iterable[tuple[int, dict[str, str]]], default_kind: str
) -> ImportResult:
    """Create or update an organisation per row; raise ImportFailed if any row is wrong."""
    result = ImportResult()
    errors: list[RowError] = []
    seen_urns: dict[str, int] = {}
    for line, row in rows:
        urn = validators.compact(row.get("urn", ""))
        if urn and urn in seen_urns:
            errors.append(RowError(line, f"urn: the same URN is on line {seen_urns[urn]}"))
            continue
        if urn:
            seen_urns[urn] = line
        data = services.OrganisationInput(
            name=row.get("name", ""),
            kind=row.get("kind") or default_kind,
            urn=urn,
            ods_code=row.get("ods_code", ""),
            email=row.get("email", ""),
            phone=row.get("phone", ""),
            active=row.get("status", "").lower() not in CLOSED,
        )
        existing = Organisation.objects.filter(urn=urn).first() if urn else None
        try:
            if existing is None:
                services.create_organisation(actor=actor, data=data)
                result.created += 1
                continue
            # Columns the file leaves out (often email) keep what the directory holds.
            kept = {
                name: getattr(existing, name)
                for name in ("email", "phone", "ods_code")
                if not row.get(name)
            }
            if "kind" not in row:
                kept["kind"] = existing.kind
            before = [getattr(existing, f) for f in services.ORGANISATION_FIELDS]
            services.update_organisation(
                actor=actor, organisation=existing, data=replace(data, **kept)
            )
            after = [getattr(existing, f) for f in services.ORGANISATION_FIELDS]
            if before == after:
                result.unchanged += 1
            else:
                result.updated += 1
        except DomainError as exc:
            errors.append(RowError(line, f"{_field_label(exc.field)}{exc.message}"))
    if errors:
        raise ImportFailed(errors)
    return result


KIND_CHOICES = OrganisationKind.values
