"""A confidential address never answers a postcode search by anyone outside the family's team.

"Does M live here?" must get the same answer from the search as a postcode where nobody lives:
no row, no count, no restricted-record stub. Inside the team (the allocated practitioners and
managers, the lead practitioner) the address matches as any other.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Address, Family
from earlyhelp.people.selectors import SearchCriteria, search_people
from earlyhelp.people.services import set_address_confidential
from earlyhelp.restricted.services import restrict_family
from tests.factories import World, add_role, make_user

pytestmark = pytest.mark.django_db

REFUGE = "ZE2 9QP"
NOBODY_LIVES_HERE = "ZE3 9QP"


@pytest.fixture
def hidden_family(world: World) -> Family:
    """A north family whose members' current addresses (at REFUGE) are confidential."""
    family, _ = world.open_family(first_name="Marisol", last_name="Wrenfield", postcode=REFUGE)
    for address in Address.objects.filter(person__memberships__family=family):
        set_address_confidential(actor=world.practitioner, address=address, confidential=True)
    return family


@pytest.fixture
def neighbours(world: World) -> Family:
    """A south family at the same postcode, address not confidential."""
    family, _ = world.open_family(
        team=world.south, first_name="Tobias", last_name="Ambleside", postcode=REFUGE
    )
    return family


def _names(user: User, **criteria: object) -> list[str]:
    return sorted(m.name for m in search_people(user, SearchCriteria(**criteria)))  # type: ignore[arg-type]


def _duty_in_north(world: World) -> User:
    user = make_user(Role.PRACTITIONER, world.north, "pat-on-duty")
    add_role(user, Role.DUTY_WORKER, Team.objects.get(slug="front-door"))
    return user


@pytest.mark.usefixtures("hidden_family", "neighbours")
@pytest.mark.parametrize("who", ["duty", "practitioner_south", "manager_south"])
def test_outside_the_team_a_confidential_address_matches_nothing(world: World, who: str) -> None:
    user = getattr(world, who)
    found = _names(user, postcode=REFUGE)
    assert not any("Wrenfield" in name for name in found)
    # The same answer as a name search with a postcode where nobody lives.
    assert _names(user, name="Wrenfield", postcode=REFUGE) == []
    assert _names(user, name="Wrenfield", postcode=NOBODY_LIVES_HERE) == []
    assert (
        _names(user, name="Marisol Wrenfield", date_of_birth=date(2015, 3, 14), postcode=REFUGE)
        == []
    )


@pytest.mark.usefixtures("hidden_family", "neighbours")
def test_the_duty_worker_still_finds_everyone_else_at_the_postcode(world: World) -> None:
    assert _names(world.duty, postcode=REFUGE) == ["Marigold Ambleside", "Tobias Ambleside"]
    # ...and still finds the person by name: only the address is kept from the search.
    assert _names(world.duty, name="Wrenfield") == ["Marigold Wrenfield", "Marisol Wrenfield"]


@pytest.mark.usefixtures("hidden_family")
@pytest.mark.parametrize("who", ["practitioner", "manager"])
def test_inside_the_team_the_confidential_address_matches(world: World, who: str) -> None:
    assert _names(getattr(world, who), postcode=REFUGE) == [
        "Marigold Wrenfield",
        "Marisol Wrenfield",
    ]


@pytest.mark.usefixtures("hidden_family")
def test_a_duty_worker_who_is_also_in_the_team_matches_it(world: World) -> None:
    both = _duty_in_north(world)
    assert _names(both, postcode=REFUGE) == ["Marigold Wrenfield", "Marisol Wrenfield"]


def test_the_page_count_and_no_match_do_not_leak(
    world: World, client: Client, hidden_family: Family
) -> None:
    client.force_login(world.duty)

    def heading(postcode: str) -> str:
        html = client.post(reverse("people:search"), {"postcode": postcode}).content.decode()
        return html.split('<h2 class="govuk-heading-m">', 1)[1].split("</h2>", 1)[0]

    assert heading(REFUGE) == heading(NOBODY_LIVES_HERE) == "0 matches"
    # The audit trail records the count the searcher saw, never a hidden one.
    counts = [e.detail["count"] for e in AuditEvent.objects.filter(action="search").order_by("seq")]
    assert counts[-2:] == [0, 0]


def test_the_api_answers_the_same(world: World, api_as, hidden_family: Family) -> None:  # type: ignore[no-untyped-def]
    duty = api_as(world.duty)
    assert duty.post("/people/search", {"postcode": REFUGE}).json() == []
    pat = api_as(world.practitioner)
    assert len(pat.post("/people/search", {"postcode": REFUGE}).json()) == 2


def test_no_restricted_record_stub_gives_the_address_away(
    world: World, hidden_family: Family
) -> None:
    restrict_family(
        actor=world.manager, family=hidden_family, reason="Staff member's family", allowed=[]
    )
    exact = {"name": "Marisol Wrenfield", "date_of_birth": date(2015, 3, 14)}
    # An exact search shows the stub (a restricted record exists)...
    assert [m.restricted for m in search_people(world.duty, SearchCriteria(**exact))] == [True]
    # ...but not when the confidential address is part of the question.
    assert search_people(world.duty, SearchCriteria(**exact, postcode=REFUGE)) == []
    # The team would see the family were it not restricted, so for them it still matches.
    stubs = search_people(world.practitioner, SearchCriteria(**exact, postcode=REFUGE))
    assert [m.restricted for m in stubs] == [True]
