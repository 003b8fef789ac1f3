"""The family timeline: every service that makes a record about a family adds a line here.

Writers call ``record_entry`` inside their own transaction (so a rolled-back record leaves
no line), ``update_entries`` when the record is corrected, and ``remove_entries`` when it is
destroyed. Readers go through ``family_timeline`` in casework.selectors, behind the family
gatekeeper, like every other read of a family's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from earlyhelp.accounts.models import User
from earlyhelp.casework.models import TimelineEntry, TimelineEntryPerson, TimelineKind
from earlyhelp.people.models import Family, Person

SUMMARY_LENGTH = 300


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def record_entry(
    *,
    family: Family,
    kind: TimelineKind | str,
    occurred_at: datetime,
    object_type: str,
    object_id: UUID | str,
    title: str,
    summary: str = "",
    people: Iterable[Person | UUID] = (),
    link_name: str = "",
    recorded_by: User | None = None,
) -> TimelineEntry:
    """Add a line to ``family``'s timeline; ``link_name`` is reversed with (family, object)."""
    entry = TimelineEntry.objects.create(
        family=family,
        kind=TimelineKind(kind),
        occurred_at=occurred_at,
        object_type=object_type,
        object_id=str(object_id),
        title=title[:200],
        summary=_shorten(summary),
        link_name=link_name,
        recorded_by=recorded_by,
    )
    _set_people(entry, people)
    return entry


def _set_people(entry: TimelineEntry, people: Iterable[Person | UUID]) -> None:
    person_ids = {p.pk if isinstance(p, Person) else p for p in people}
    TimelineEntryPerson.objects.bulk_create(
        [TimelineEntryPerson(entry=entry, person_id=pid) for pid in person_ids]
    )


def update_entries(
    *,
    object_type: str,
    object_id: UUID | str,
    people: Iterable[Person | UUID] | None = None,
    **fields: Any,
) -> int:
    """Bring the lines for a corrected record up to date (title, summary, occurred_at...)."""
    if "summary" in fields:
        fields["summary"] = _shorten(fields["summary"])
    entries = TimelineEntry.objects.filter(object_type=object_type, object_id=str(object_id))
    count = entries.update(**fields) if fields else entries.count()
    if people is not None:
        for entry in entries:
            TimelineEntryPerson.objects.filter(entry=entry).delete()
            _set_people(entry, people)
    return count


def remove_entries(*, object_type: str, object_id: UUID | str) -> int:
    deleted, _ = TimelineEntry.objects.filter(
        object_type=object_type, object_id=str(object_id)
    ).delete()
    return deleted


def _link(entry: TimelineEntry) -> str | None:
    # Pages inside a family take (family id, object id); a few (a referral) take the object's.
    for args in ([entry.family_id, entry.object_id], [entry.object_id]):
        try:
            return reverse(entry.link_name, args=args)
        except NoReverseMatch:
            continue
    return None


@dataclass(frozen=True)
class TimelineLine:
    entry: TimelineEntry
    href: str | None


def lines(entries: Iterable[TimelineEntry]) -> list[TimelineLine]:
    """Entries with their links resolved (a record whose page has gone gets no link)."""
    result = []
    for entry in entries:
        href = None
        if entry.link_name:
            href = _link(entry)
        result.append(TimelineLine(entry=entry, href=href))
    return result


def entries_for(
    family: Family, *, kind: str | None = None, person_id: UUID | None = None
) -> QuerySet[TimelineEntry]:
    entries = TimelineEntry.objects.filter(family=family)
    if kind:
        entries = entries.filter(kind=kind)
    if person_id:
        entries = entries.filter(
            pk__in=TimelineEntryPerson.objects.filter(person_id=person_id).values("entry_id")
        )
    return entries.select_related("recorded_by").order_by("-occurred_at", "-pk")
