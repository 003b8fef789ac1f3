"""Importing school inclusion observations (attendance, exclusions, SEN) keyed by UPN.

All or nothing: every row is checked first and every problem reported with its line
number; if any row is wrong nothing is recorded. People are matched by UPN only: a UPN no
one has is skipped and counted, as is one that more than one record holds (duplicates to
merge first). An observation already recorded (same person, kind and date) is not repeated,
so a file can be loaded twice safely. Messages never repeat a UPN or other value.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from earlyhelp.casework.models import Episode
from earlyhelp.core.errors import InvalidInput
from earlyhelp.core.identifiers import IdentifierError, normalise_upn
from earlyhelp.people.models import Family, FamilyMembership, Person
from earlyhelp.programmes.models import (
    ExclusionType,
    Observation,
    ObservationKind,
    ObservationSource,
    SenStatus,
)
from earlyhelp.programmes.observations import (
    ObservationInput,
    clean_observation,
    record_observation,
)

COLUMNS = (
    "upn",
    "observed_on",
    "attendance_percent",
    "period_start",
    "period_end",
    "exclusion_type",
    "exclusion_days",
    "sen_status",
)
# The school census's codes are accepted alongside ours.
SEN_CODES = {
    "n": SenStatus.NO_SEN,
    "no_sen": SenStatus.NO_SEN,
    "k": SenStatus.SEN_SUPPORT,
    "sen_support": SenStatus.SEN_SUPPORT,
    "e": SenStatus.EHC_PLAN,
    "ehc_plan": SenStatus.EHC_PLAN,
}
EXCLUSION_CODES = {
    "suspension": ExclusionType.SUSPENSION,
    "fixed": ExclusionType.SUSPENSION,
    "fixd": ExclusionType.SUSPENSION,
    "permanent": ExclusionType.PERMANENT,
    "perm": ExclusionType.PERMANENT,
}
_NO_ONE = uuid.UUID(int=0)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass
class ImportResult:
    recorded: int = 0
    already_recorded: int = 0
    rows_matched: int = 0
    unknown_upn: int = 0
    ambiguous_upn: int = 0


@dataclass(frozen=True)
class ParsedRow:
    line: int
    upn: str
    observations: list[ObservationInput]


def _date(value: str, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InvalidInput("write the date as YYYY-MM-DD or DD/MM/YYYY", field=column)


def _number(value: str, column: str) -> Decimal | None:
    value = value.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise InvalidInput("enter a number", field=column) from None


def _code(value: str, codes: Mapping[str, str], column: str) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    if value not in codes:
        raise InvalidInput(f"use one of {', '.join(sorted(codes))}", field=column)
    return codes[value]


def parse_row(line: int, row: dict[str, str]) -> ParsedRow:
    """The row's observations, checked by the same rules as a form; InvalidInput if not."""
    try:
        upn = normalise_upn(row.get("upn", ""))
    except IdentifierError as exc:
        raise InvalidInput(exc.message, field="upn") from None
    observed_on = _date(row.get("observed_on", ""), "observed_on")
    if observed_on is None:
        raise InvalidInput("enter the date of the figures", field="observed_on")
    base = ObservationInput(person_id=_NO_ONE, kind="", observed_on=observed_on)
    found: list[ObservationInput] = []
    percent = _number(row.get("attendance_percent", ""), "attendance_percent")
    start = _date(row.get("period_start", ""), "period_start")
    end = _date(row.get("period_end", ""), "period_end")
    if percent is not None or start or end:
        found.append(
            _clean(
                base,
                kind=ObservationKind.SCHOOL_ATTENDANCE,
                attendance_percent=percent,
                period_start=start,
                period_end=end,
            )
        )
    exclusion = _code(row.get("exclusion_type", ""), EXCLUSION_CODES, "exclusion_type")
    days = _number(row.get("exclusion_days", ""), "exclusion_days")
    if exclusion or days is not None:
        found.append(
            _clean(
                base, kind=ObservationKind.EXCLUSION, exclusion_type=exclusion, exclusion_days=days
            )
        )
    sen = _code(row.get("sen_status", ""), SEN_CODES, "sen_status")
    if sen:
        found.append(_clean(base, kind=ObservationKind.SEN_STATUS, sen_status=sen))
    if not found:
        raise InvalidInput("nothing to record: give attendance, an exclusion or SEN status")
    return ParsedRow(line=line, upn=upn, observations=found)


def _clean(base: ObservationInput, **values: object) -> ObservationInput:
    return clean_observation(replace(base, **values))  # type: ignore[arg-type]


def read_rows(text: str) -> tuple[list[ParsedRow], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "upn" not in header or "observed_on" not in header:
        return [], [RowError(1, "the first line must name the columns, with upn and observed_on")]
    reader.fieldnames = header
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for row in reader:
        values = {k: (v or "") for k, v in row.items() if k in COLUMNS}
        if not any(v.strip() for v in values.values()):
            continue
        try:
            parsed.append(parse_row(reader.line_num, values))
        except InvalidInput as exc:
            where = f"{exc.field}: " if exc.field else ""
            errors.append(RowError(reader.line_num, f"{where}{exc.message}"))
    return parsed, errors


def _families(people: list[Person]) -> dict[uuid.UUID, Family]:
    """Each person's family: the one with an open episode, else the one they joined last."""
    memberships = (
        FamilyMembership.objects.filter(person__in=people)
        .select_related("family")
        .order_by("joined_at", "pk")
    )
    by_person: dict[uuid.UUID, list[Family]] = defaultdict(list)
    for membership in memberships:
        by_person[membership.person_id].append(membership.family)
    open_ids = set(
        Episode.objects.filter(
            closed_at__isnull=True, family_id__in=[f.pk for fs in by_person.values() for f in fs]
        ).values_list("family_id", flat=True)
    )
    return {
        person_id: next((f for f in families if f.pk in open_ids), families[-1])
        for person_id, families in by_person.items()
    }


@transaction.atomic
def import_observations(rows: list[ParsedRow]) -> ImportResult:
    """Record the parsed rows' observations (the council's own import: no acting user)."""
    result = ImportResult()
    people_by_upn: dict[str, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(upn__in={r.upn for r in rows}):
        people_by_upn[person.upn].append(person)
    families = _families([p for ps in people_by_upn.values() for p in ps])
    for row in rows:
        matches = people_by_upn.get(row.upn, [])
        if not matches or matches[0].pk not in families:
            result.unknown_upn += 1
            continue
        if len(matches) > 1:
            result.ambiguous_upn += 1
            continue
        person = matches[0]
        result.rows_matched += 1
        for data in row.observations:
            if Observation.objects.filter(
                person=person, kind=data.kind, observed_on=data.observed_on
            ).exists():
                result.already_recorded += 1
                continue
            record_observation(
                actor=None,
                family=families[person.pk],
                data=replace(data, person_id=person.pk),
                source=ObservationSource.IMPORT,
            )
            result.recorded += 1
    return result


def run_import(text: str) -> ImportResult:
    """Check every row, then record them all, or raise ImportFailed and record nothing."""
    rows, errors = read_rows(text)
    if errors:
        raise ImportFailed(errors)
    return import_observations(rows)
