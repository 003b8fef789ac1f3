"""A restricted family in no list; an exact search shows a stub, a partial one nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.people.selectors import RESTRICTED_STUB, SearchCriteria, search_people
from tests.restricted.conftest import NHS_CHILD

pytestmark = pytest.mark.django_db

EXACT = SearchCriteria(name="Zoë Thistlewood", date_of_birth=date(2015, 3, 14))


def test_home_list_of_families_leaves_it_out_for_the_team_but_not_the_named(setup, client):
    setup.restrict()
    client.force_login(setup.world.manager)
    assert setup.family.reference not in client.get(reverse("core:home")).content.decode()
    client.force_login(setup.named)
    assert setup.family.reference in client.get(reverse("core:home")).content.decode()


def test_home_list_query_count_does_not_change_with_a_restriction(setup, client):
    setup.world.open_family(last_name="Wrenfield")
    client.force_login(setup.world.manager)
    client.get(reverse("core:home"))  # warm the session
    with CaptureQueriesContext(connection) as unrestricted:
        client.get(reverse("core:home"))
    setup.restrict()
    with CaptureQueriesContext(connection) as restricted:
        html = client.get(reverse("core:home")).content.decode()
    assert "Wrenfield" in html and "Thistlewood" not in html
    assert len(restricted) == len(unrestricted)


@pytest.mark.parametrize("who", ["practitioner", "manager"])
def test_partial_search_shows_nothing(setup, who):
    setup.restrict()
    user = getattr(setup.world, who)
    for criteria in (
        SearchCriteria(name="Thistlewood"),
        SearchCriteria(name="Zoë Thistle", date_of_birth=date(2015, 3, 14)),
        SearchCriteria(date_of_birth=date(2015, 3, 14)),
        SearchCriteria(postcode="AB1 2XY"),
    ):
        assert search_people(user, criteria) == []


@pytest.mark.parametrize(
    "criteria",
    [
        EXACT,
        SearchCriteria(nhs_number=NHS_CHILD),
        SearchCriteria(name="zoe THISTLEWOOD", date_of_birth=date(2015, 3, 14)),
    ],
)
def test_exact_search_shows_a_stub_with_the_way_to_break_the_glass(setup, criteria):
    setup.restrict()
    [stub] = search_people(setup.world.practitioner, criteria)
    assert stub.restricted and stub.name == RESTRICTED_STUB
    assert stub.family_id is None and stub.year_of_birth is None and stub.current_team is None
    assert stub.break_glass_family_id == setup.family.pk


def test_exact_search_by_the_named_user_finds_the_person(setup):
    setup.restrict()
    [match] = search_people(setup.named, EXACT)
    assert not match.restricted and match.family_id == setup.family.pk


def test_exact_search_outside_the_team_finds_nothing(setup):
    setup.restrict()
    assert search_people(setup.world.practitioner_south, EXACT) == []


def test_duty_worker_partial_search_hides_and_exact_search_stubs_without_a_way_in(setup):
    assert [
        m.name for m in search_people(setup.world.duty, SearchCriteria(name="thistlewood"))
    ] == [
        "Marigold Thistlewood",
        "Zoë Thistlewood",
    ]
    setup.restrict()
    assert search_people(setup.world.duty, SearchCriteria(name="thistlewood")) == []
    [stub] = search_people(setup.world.duty, EXACT)
    assert stub.restricted and stub.break_glass_family_id is None


def test_search_page_shows_the_stub_linking_to_the_interstitial(setup, client):
    setup.restrict()
    client.force_login(setup.world.practitioner)
    html = client.post(
        reverse("people:search"),
        {
            "name": "Zoë Thistlewood",
            "date_of_birth-day": "14",
            "date_of_birth-month": "3",
            "date_of_birth-year": "2015",
        },
    ).content.decode()
    assert RESTRICTED_STUB in html and "Restricted" in html
    assert reverse("restricted:break_glass", args=[setup.family.pk]) in html
    assert f'href="{reverse("casework:family", args=[setup.family.pk])}"' not in html
    html = client.post(reverse("people:search"), {"name": "Thistlewood"}).content.decode()
    assert "0 matches" in html and RESTRICTED_STUB not in html


def test_family_page_says_it_is_restricted_and_links_to_the_access_list(setup, client):
    setup.restrict()
    client.force_login(setup.named)
    html = client.get(reverse("casework:family", args=[setup.family.pk])).content.decode()
    assert "Only named people may open this family" in html
    assert reverse("restricted:manage", args=[setup.family.pk]) in html
    # An unrestricted family has no such alert.
    other, _ = setup.world.open_family(last_name="Wrenfield")
    client.force_login(setup.world.practitioner)
    html = client.get(reverse("casework:family", args=[other.pk])).content.decode()
    assert "Only named people may open this family" not in html
