"""The family page's timeline: everything about the family, filterable by type and person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineKind
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db


def _page(client, family, **params) -> str:
    response = client.get(reverse("casework:family", args=[family.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _add_lines(family, count: int, *, person: Person | None = None, kind=TimelineKind.CONTACT):
    start = timezone.now() - timedelta(days=count)
    for n in range(count):
        timeline.record_entry(
            family=family,
            kind=kind,
            occurred_at=start + timedelta(days=n),
            object_type="test",
            object_id=f"00000000-0000-0000-0000-{n:012d}",
            title=f"Synthetic line {n:02d}",
            people=[person] if person else [],
        )


def test_the_referral_and_the_episode_are_on_the_timeline(world, login):
    family, _ = world.open_family()
    page = _page(login(world.practitioner), family)
    referral = family.referrals.get()
    assert f"Referral {referral.reference}" in page
    assert reverse("referrals:detail", args=[referral.pk]) in page
    assert "Episode opened, allocated to North Family Support" in page


def test_filtering_by_type_shows_only_that_type(world, login):
    family, _ = world.open_family()
    page = _page(login(world.practitioner), family, kind="episode")
    assert "Episode opened" in page
    assert "Referral " not in page


def test_filtering_by_person_shows_only_lines_about_them(world, login):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    _add_lines(family, 1, person=child)
    client = login(world.practitioner)

    about_child = _page(client, family, person=str(child.pk))
    assert "Synthetic line 00" in about_child
    assert "Episode opened, allocated" not in about_child  # not about anyone in particular


def test_a_person_from_another_family_is_not_a_filter(world, login):
    family, _ = world.open_family()
    other_family, _ = world.open_family(first_name="Ignatius", last_name="Fairweather")
    stranger = Person.objects.get(first_name="Ignatius")
    _add_lines(other_family, 1, person=stranger)
    page = _page(login(world.practitioner), family, person=str(stranger.pk))
    # Not a member: the filter is refused and nothing of the other family shows.
    assert "Synthetic line" not in page
    assert "Select a valid choice" in page


def test_pages_keep_the_filter(world, login):
    family, _ = world.open_family()
    _add_lines(family, 30)
    client = login(world.practitioner)
    first = _page(client, family, kind="contact")
    assert "Synthetic line 29" in first and "Synthetic line 04" not in first
    assert "?page=2&amp;kind=contact#timeline" in first
    second = _page(client, family, kind="contact", page=2)
    assert "Synthetic line 04" in second and "Synthetic line 29" not in second


def test_family_page_query_count_does_not_grow_with_the_timeline(world, client):
    family, _ = world.open_family()
    client.force_login(world.practitioner)
    url = reverse("casework:family", args=[family.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _add_lines(family, 40, person=Person.objects.get(first_name="Zoë"))
    assert count() == few


def test_the_api_pages_and_filters_the_timeline(world, api_as):
    family, _ = world.open_family()
    child = Person.objects.get(first_name="Zoë")
    _add_lines(family, 3, person=child)
    api = api_as(world.practitioner)

    everything = api.get(f"/families/{family.pk}/timeline").json()
    assert everything["count"] == 5  # referral, episode opened, three lines
    titles = [item["title"] for item in everything["items"]]
    assert titles.index("Synthetic line 02") < titles.index("Synthetic line 01")

    about_child = api.get(f"/families/{family.pk}/timeline", person=str(child.pk)).json()
    assert about_child["count"] == 4  # the referral names the child too
    assert all(str(child.pk) in item["person_ids"] for item in about_child["items"])

    assert api.get(f"/families/{family.pk}/timeline", kind="nonsense").status_code == 422
    outsider = api_as(world.practitioner_south)
    assert outsider.get(f"/families/{family.pk}/timeline").status_code == 404
