"""Every role x family state x action, through the real pages and the search selector."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.casework.permissions import can_view_access_log, can_view_family, visible_families
from earlyhelp.core.errors import PermissionDenied
from earlyhelp.people.selectors import SearchCriteria, search_people

pytestmark = pytest.mark.django_db

ROLES = [
    "practitioner",
    "practitioner_south",
    "manager",
    "manager_south",
    "duty",
    "dpo",
    "analyst",
    "admin",
    "partner",
]
STATES = ["open_north", "open_south", "closed_north"]

# (role, state) pairs that may open the family page; everything else is a 404.
VISIBLE = {
    ("practitioner", "open_north"),
    ("practitioner_south", "open_south"),
    ("manager", "open_north"),
    ("manager", "closed_north"),
    ("manager_south", "open_south"),
}
CAN_REALLOCATE = {("manager", "open_north"), ("manager_south", "open_south")}
CAN_CLOSE = {
    ("practitioner", "open_north"),
    ("manager", "open_north"),
    ("practitioner_south", "open_south"),
    ("manager_south", "open_south"),
}
CAN_SEE_ACCESS_LOG = {
    ("manager", "open_north"),
    ("manager", "closed_north"),
    ("manager_south", "open_south"),
} | {("dpo", s) for s in STATES}
SURNAMES = {"open_north": "Ashgrove", "open_south": "Birchwood", "closed_north": "Cedarfell"}


@pytest.fixture
def families(world):
    made = {
        "open_north": world.open_family(last_name=SURNAMES["open_north"])[0],
        "open_south": world.open_family(team=world.south, last_name=SURNAMES["open_south"])[0],
        "closed_north": world.closed_family(last_name=SURNAMES["closed_north"])[0],
    }
    return made


def _expected_status(allowed: set[tuple[str, str]], role: str, state: str) -> int:
    if (role, state) in allowed:
        return 200
    return 403 if (role, state) in VISIBLE else 404


@pytest.mark.parametrize("role", ROLES)
def test_family_page_and_actions(world, families, client, role):
    user = getattr(world, role)
    client.force_login(user)
    for state in STATES:
        family = families[state]
        page = client.get(reverse("casework:family", args=[family.pk]))
        assert page.status_code == (200 if (role, state) in VISIBLE else 404), (role, state)
        assert can_view_family(user, family) == ((role, state) in VISIBLE)
        assert visible_families(user).filter(pk=family.pk).exists() == ((role, state) in VISIBLE)
        reallocate = client.get(reverse("casework:reallocate", args=[family.pk]))
        assert reallocate.status_code == _expected_status(CAN_REALLOCATE, role, state), (
            role,
            state,
        )
        close = client.get(reverse("casework:close", args=[family.pk]))
        assert close.status_code == _expected_status(CAN_CLOSE, role, state), (role, state)
        assert can_view_access_log(user, family) == ((role, state) in CAN_SEE_ACCESS_LOG)


@pytest.mark.parametrize("state", STATES)
def test_anonymous_is_sent_to_sign_in(families, client, state):
    response = client.get(reverse("casework:family", args=[families[state].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ROLES)
def test_search_is_scoped(world, families, role):
    user = getattr(world, role)
    for state, surname in SURNAMES.items():
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
            expected = 1 if (role, state) in VISIBLE else 0
            assert len(results) == expected, (role, state)
            if expected:
                assert results[0].family_id == families[state].pk
