"""The timeline's person filter and paging read indexes (issue 4, benchmark targets).

The person links carry their entry's family and time so "this person's lines, newest first"
is one index range; pages are ids read from an index, then those lines. These tests pin the
behaviour that makes that safe: the copies stay in step with the entries, and a page through
the index path holds exactly the lines the plain query would.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineEntry, TimelineEntryPerson, TimelineKind
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("earlyhelp.casework.migrations.0005_timeline_person_time")


def _line(family, n: int, *, people=(), kind=TimelineKind.CONTACT, at=None):
    return timeline.record_entry(
        family=family,
        kind=kind,
        occurred_at=at or timezone.now() - timedelta(days=100 - n),
        object_type="test",
        object_id=f"00000000-0000-0000-0000-{n:012d}",
        title=f"Synthetic line {n:02d}",
        people=people,
    )


def _expected(family, *, kind=None, person=None) -> list[str]:
    """The timeline as the plain join would give it: the order the pages must follow."""
    entries = TimelineEntry.objects.filter(family=family)
    if kind:
        entries = entries.filter(kind=kind)
    if person:
        entries = entries.filter(person_links__person=person)
    return [e.title for e in entries.order_by("-occurred_at", "-pk")]


def test_links_copy_the_entrys_family_and_time(world):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    entry = _line(family, 1, people=[child])
    link = TimelineEntryPerson.objects.get(entry=entry)
    assert (link.family_id, link.occurred_at) == (family.pk, entry.occurred_at)


def test_a_corrected_time_moves_the_links_with_the_entry(world):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    entry = _line(family, 1, people=[child])
    later = entry.occurred_at + timedelta(days=5)

    timeline.update_entries(object_type="test", object_id=entry.object_id, occurred_at=later)

    assert TimelineEntryPerson.objects.get(entry=entry).occurred_at == later
    # Re-linking the people takes the entry's time as it is now.
    sooner = later - timedelta(days=9)
    timeline.update_entries(
        object_type="test", object_id=entry.object_id, occurred_at=sooner, people=[child]
    )
    assert TimelineEntryPerson.objects.get(entry=entry).occurred_at == sooner


def test_the_person_filter_follows_a_corrected_time(world):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    first, second = _line(family, 1, people=[child]), _line(family, 2, people=[child])
    timeline.update_entries(
        object_type="test",
        object_id=first.object_id,
        occurred_at=second.occurred_at + timedelta(hours=1),
    )
    titles = [e.title for e in timeline.entries_for(family, person_id=child.pk)[:10]]
    assert titles.index("Synthetic line 01") < titles.index("Synthetic line 02")


@pytest.mark.parametrize(
    "filters", [{}, {"kind": "contact"}, {"person": True}, {"kind": "contact", "person": True}]
)
def test_every_page_holds_what_the_plain_query_would(world, filters):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    same_time = timezone.now() - timedelta(days=3)
    for n in range(23):
        about = [child] if n % 3 else []
        kind = TimelineKind.PLAN if n % 5 == 0 else TimelineKind.CONTACT
        # Some lines share a time: the id breaks the tie the same way on both paths.
        _line(family, n, people=about, kind=kind, at=same_time if n % 4 == 0 else None)
    person = child if filters.get("person") else None
    expected = _expected(family, kind=filters.get("kind"), person=person)

    entries = timeline.entries_for(
        family, kind=filters.get("kind"), person_id=person.pk if person else None
    )
    paginator = Paginator(entries, 4)
    assert paginator.count == len(expected)
    paged = [e.title for n in paginator.page_range for e in paginator.page(n).object_list]
    assert paged == expected


def test_a_later_page_fetches_only_its_own_lines_by_id(world):
    family, _ = world.open_family()
    for n in range(12):
        _line(family, n)
    with CaptureQueriesContext(connection) as ctx:
        page = list(timeline.entries_for(family)[5:10])
    assert [e.title for e in page] == _expected(family)[5:10]
    [sql] = [q["sql"] for q in ctx.captured_queries]
    # The offset is applied to the ids in the subquery; the outer query fetches the page.
    inner = sql[sql.index("IN (SELECT") :]
    assert "OFFSET 5" in inner and "LIMIT 5" in inner


def test_the_person_filter_reads_the_links_time_not_the_entries(world):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    for n in range(6):
        _line(family, n, people=[child])
    with CaptureQueriesContext(connection) as ctx:
        list(timeline.entries_for(family, person_id=child.pk)[2:4])
    [sql] = [q["sql"] for q in ctx.captured_queries]
    inner = sql[sql.index("IN (SELECT") : sql.index(")) ORDER BY")]
    # Ordered and sliced on the links alone: no join to the entries inside.
    assert 'FROM "casework_timelineentryperson"' in inner
    assert '"occurred_at" DESC' in inner and "OFFSET 2" in inner
    assert 'casework_timelineentry"' not in inner


def test_a_caller_filtering_further_still_gets_consistent_pages(world):
    family, _ = world.open_family()
    for n in range(8):
        _line(family, n)
    entries = timeline.entries_for(family).filter(title__endswith="1")
    assert entries.count() == 1
    assert [e.title for e in entries[0:5]] == ["Synthetic line 01"]
    extra = timeline.entries_for(family).extra(where=["title = 'Synthetic line 02'"])
    assert extra.count() == 1
    assert [e.title for e in extra[0:5]] == ["Synthetic line 02"]
    nothing = timeline.entries_for(family).none()
    assert nothing.count() == 0 and list(nothing[0:5]) == []


def test_the_migration_fills_the_links_from_their_entries(world):
    family, _ = world.open_family()
    other, _ = world.open_family(first_name="Ignatius", last_name="Fairweather")
    child = Person.objects.get(first_name="Zoë")
    entry = _line(family, 1, people=[child])
    # As a link looked before the migration filled it: nothing to go on but the entry.
    TimelineEntryPerson.objects.filter(entry=entry).update(
        family=other, occurred_at=entry.occurred_at - timedelta(days=400)
    )

    # Not entered: its statements run in the test's transaction (SQLite would refuse).
    fill_migration.fill_links(apps, connection.schema_editor())

    link = TimelineEntryPerson.objects.get(entry=entry)
    assert (link.family_id, link.occurred_at) == (family.pk, entry.occurred_at)
