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
from django.db.models.sql.where import WhereNode
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
    # The links carry the entry's family and time (the person filter's index): see the model.
    person_ids = {p.pk if isinstance(p, Person) else p for p in people}
    TimelineEntryPerson.objects.bulk_create(
        [
            TimelineEntryPerson(
                entry=entry,
                person_id=pid,
                family_id=entry.family_id,
                occurred_at=entry.occurred_at,
            )
            for pid in person_ids
        ]
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
    # Ids first: the fields being corrected may include the ones ``entries`` filters on.
    entry_ids = list(entries.values_list("pk", flat=True))
    entries = TimelineEntry.objects.filter(pk__in=entry_ids)
    count = entries.update(**fields) if fields else len(entry_ids)
    if people is not None:
        for entry in entries:
            TimelineEntryPerson.objects.filter(entry=entry).delete()
            _set_people(entry, people)
    else:
        # The links' copies of the entry's family and time follow a correction of either.
        copied = {
            name: fields[name] for name in ("family", "family_id", "occurred_at") if name in fields
        }
        if copied:
            TimelineEntryPerson.objects.filter(entry__in=entry_ids).update(**copied)
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


class TimelineQuerySet(QuerySet[TimelineEntry]):
    """A family's timeline that pages through ids read from an index, then fetches the page.

    Why not keyset pagination ("older than this line")? The family page and the API show
    numbered pages and a total (GOV.UK pagination: "1 … 7 8 9 … 212"), and a practitioner
    jumps to a page; keyset can only step to the next or previous one, so the page numbers
    would become a fiction. Instead ``OFFSET`` stays, but runs over an index that holds the
    whole sort key and the id (``timeline_family_time``, ``timeline_family_kind``,
    ``timeline_person_time``): skipping 5,000 lines of a heavy family reads 5,000 index
    entries, not 5,000 scattered table rows, and only the page's 25 lines are fetched.

    ``_ids`` is the ordered id source matching this queryset's filters. Any further filter
    (however added: ``filter``, ``exclude``, ``extra``, ``none``...) or re-ordering drops it,
    falling back to the plain queryset (the same rows, only slower), so a caller can never
    get a page that disagrees with its own filters.
    """

    _ids: QuerySet[Any, Any] | None = None
    # The page query's conditions besides the ids (family, kind): the ids already carry the
    # person filter, and repeating it would join every one of the person's lines again.
    _page_where: WhereNode | None = None
    _conditions = 0  # how many conditions the queryset had when _ids was made for it

    def _clone(self) -> TimelineQuerySet:
        clone: TimelineQuerySet = super()._clone()  # type: ignore[misc]
        clone._ids, clone._page_where = self._ids, self._page_where
        clone._conditions = self._conditions
        return clone

    def _indexed(self) -> bool:
        """Whether ``_ids`` still describes this queryset: same conditions, not evaluated."""
        return (
            self._ids is not None
            and self._result_cache is None
            and not self.query.is_sliced
            and not self.query.is_empty()
            and len(self.query.where.children) == self._conditions
        )

    def _filter_or_exclude(self, negate: bool, args: Any, kwargs: Any) -> TimelineQuerySet:
        result: TimelineQuerySet = super()._filter_or_exclude(negate, args, kwargs)  # type: ignore[misc]
        result._ids = result._page_where = None
        return result

    def order_by(self, *field_names: Any) -> TimelineQuerySet:
        result: TimelineQuerySet = super().order_by(*field_names)
        result._ids = result._page_where = None
        return result

    def count(self) -> int:
        if not self._indexed():
            return super().count()
        assert self._ids is not None
        return self._ids.count()

    def __getitem__(self, k: Any) -> Any:
        if not self._indexed() or not isinstance(k, slice) or k.step is not None:
            return super().__getitem__(k)
        assert self._ids is not None
        page: TimelineQuerySet = self._chain()  # type: ignore[attr-defined]
        if self._page_where is not None:
            page.query.where = self._page_where.clone()
        # Two steps in one query: the page's ids (index-only), then those rows by key.
        return page.filter(pk__in=self._ids[k])


def entries_for(
    family: Family, *, kind: str | None = None, person_id: UUID | None = None
) -> QuerySet[TimelineEntry]:
    """``family``'s timeline, newest first, optionally only one kind and/or one person.

    Meant to be paged (see TimelineQuerySet): counting and slicing are index-backed.
    """
    entries = TimelineQuerySet(model=TimelineEntry).filter(family=family)
    if kind:
        entries = entries.filter(kind=kind)
    ids: QuerySet[Any, Any]
    if person_id:
        # The person's lines in this family, in page order, straight from the link rows'
        # copy of the time (timeline_person_time): no join over all of their lines.
        links = TimelineEntryPerson.objects.filter(family=family, person_id=person_id)
        if kind:
            links = links.filter(entry__kind=kind)
        page_where = entries.query.where
        entries = entries.filter(pk__in=links.values("entry_id"))
        ids = links.order_by("-occurred_at", "-entry_id").values("entry_id")
    else:
        page_where = entries.query.where
        ids = entries.order_by("-occurred_at", "-pk").values("pk")
    entries = entries.select_related("recorded_by").order_by("-occurred_at", "-pk")
    entries._ids, entries._page_where = ids, page_where
    entries._conditions = len(entries.query.where.children)
    return entries
