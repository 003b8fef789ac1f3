"""Every role x family state x action, through the real pages, the API and the search
selector. Beyond the shared states, a South family closed: only South's manager still sees
it, and the user who manages North and is a practitioner in South (TWO_TEAMS) does not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.casework.permissions import can_view_access_log, can_view_family, visible_families
from earlyhelp.core.errors import PermissionDenied
from earlyhelp.people.selectors import SearchCriteria, search_people
from tests.factories import (
    FAMILY_STATES,
    MATRIX_ROLES,
    SEES_FAMILY,
    TWO_TEAMS,
    WORKS_ON_FAMILY,
    FamilyState,
    family_states,
)

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, TWO_TEAMS]
STATES = [*FAMILY_STATES, "closed_south"]
# SEES may open the family page; everyone else gets a 404.
SEES = SEES_FAMILY | {("manager_south", "closed_south")}
CAN_REALLOCATE = {
    ("manager", "open_north"),
    ("manager_south", "open_south"),
    (TWO_TEAMS, "open_north"),  # not South's: a practitioner there
}
CAN_SEE_ACCESS_LOG = {
    ("manager", "open_north"),
    ("manager", "closed_north"),
    ("manager_south", "open_south"),
    ("manager_south", "closed_south"),
    (TWO_TEAMS, "open_north"),
    (TWO_TEAMS, "closed_north"),
} | {("dpo", s) for s in STATES}


def expected(allowed: set[tuple[str, str]], role: str, state: str) -> int:
    if (role, state) in allowed:
        return 200
    return 403 if (role, state) in SEES else 404


def all_states(world) -> list[FamilyState]:
    closed_south = FamilyState("closed_south", world.south, world.practitioner_south, "Dunmore")
    return [*family_states(world), closed_south]


@pytest.fixture
def families(world):
    made = {}
    for spec in all_states(world):
        family, episode = world.open_family(team=spec.team, last_name=spec.last_name)
        if spec.closed:
            world.close(episode)
        made[spec.state] = family
    return made


def test_the_two_team_user_has_both_memberships(world):
    user = world.manager_north_practitioner_south
    assert set(user.memberships.values_list("role", "team__slug")) == {
        ("team_manager", "north"),
        ("practitioner", "south"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_family_page_and_actions(world, families, client, api_as, role):
    user = getattr(world, role)
    client.force_login(user)
    api = api_as(user)
    for state in STATES:
        family = families[state]
        sees = (role, state) in SEES
        page = client.get(reverse("casework:family", args=[family.pk]))
        assert page.status_code == (200 if sees else 404), (role, state)
        assert api.get(f"/families/{family.pk}").status_code == (200 if sees else 404), (
            role,
            state,
        )
        assert can_view_family(user, family) == sees, (role, state)
        assert visible_families(user).filter(pk=family.pk).exists() == sees, (role, state)
        reallocate = client.get(reverse("casework:reallocate", args=[family.pk]))
        assert reallocate.status_code == expected(CAN_REALLOCATE, role, state), (role, state)
        close = client.get(reverse("casework:close", args=[family.pk]))
        assert close.status_code == expected(WORKS_ON_FAMILY, role, state), (role, state)
        assert can_view_access_log(user, family) == ((role, state) in CAN_SEE_ACCESS_LOG), (
            role,
            state,
        )


@pytest.mark.parametrize("state", FAMILY_STATES)
def test_anonymous_is_sent_to_sign_in(families, client, state):
    response = client.get(reverse("casework:family", args=[families[state].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ROLES)
def test_search_is_scoped(world, families, role):
    user = getattr(world, role)
    for spec in all_states(world):
        state, surname = spec.state, spec.last_name
        criteria = SearchCriteria(name=f"zoe {surname}")
        if role in {"dpo", "analyst", "admin", "partner"}:
            with pytest.raises(PermissionDenied):
                search_people(user, criteria)
            continue
        results = search_people(user, criteria)
        if role == "duty":
            assert len(results) == 1, state
            assert results[0].family_id is None  # match fields only, no route into the case
            assert results[0].year_of_birth == 2015
        else:
            found = 1 if (role, state) in SEES else 0
            assert len(results) == found, (role, state)
            if found:
                assert results[0].family_id == families[state].pk
