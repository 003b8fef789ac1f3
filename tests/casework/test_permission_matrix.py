"""Every role x family state x action, through the real pages and the search selector."""

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
    WORKS_ON_FAMILY,
    expected_status,
    family_states,
)

pytestmark = pytest.mark.django_db

# SEES_FAMILY may open the family page; everyone else gets a 404.
CAN_REALLOCATE = {("manager", "open_north"), ("manager_south", "open_south")}
CAN_SEE_ACCESS_LOG = {
    ("manager", "open_north"),
    ("manager", "closed_north"),
    ("manager_south", "open_south"),
} | {("dpo", s) for s in FAMILY_STATES}


@pytest.fixture
def families(world):
    made = {}
    for spec in family_states(world):
        family, episode = world.open_family(team=spec.team, last_name=spec.last_name)
        if spec.closed:
            world.close(episode)
        made[spec.state] = family
    return made


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_family_page_and_actions(world, families, client, role):
    user = getattr(world, role)
    client.force_login(user)
    for state in FAMILY_STATES:
        family = families[state]
        page = client.get(reverse("casework:family", args=[family.pk]))
        assert page.status_code == (200 if (role, state) in SEES_FAMILY else 404), (role, state)
        assert can_view_family(user, family) == ((role, state) in SEES_FAMILY)
        assert visible_families(user).filter(pk=family.pk).exists() == (
            (role, state) in SEES_FAMILY
        )
        reallocate = client.get(reverse("casework:reallocate", args=[family.pk]))
        assert reallocate.status_code == expected_status(CAN_REALLOCATE, role, state), (
            role,
            state,
        )
        close = client.get(reverse("casework:close", args=[family.pk]))
        assert close.status_code == expected_status(WORKS_ON_FAMILY, role, state), (role, state)
        assert can_view_access_log(user, family) == ((role, state) in CAN_SEE_ACCESS_LOG)


@pytest.mark.parametrize("state", FAMILY_STATES)
def test_anonymous_is_sent_to_sign_in(families, client, state):
    response = client.get(reverse("casework:family", args=[families[state].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_search_is_scoped(world, families, role):
    user = getattr(world, role)
    for spec in family_states(world):
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
            expected = 1 if (role, state) in SEES_FAMILY else 0
            assert len(results) == expected, (role, state)
            if expected:
                assert results[0].family_id == families[state].pk
