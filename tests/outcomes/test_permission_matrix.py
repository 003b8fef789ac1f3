"""Who may rate outcomes and record sustain checks: every role x episode state.

The sustain check comes after closure, when the team's practitioners no longer see the
family: the former lead practitioner (while still in the team) and the team's managers
keep the task; a lead who has moved to another team hands it to the manager.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Membership, Role
from earlyhelp.accounts.permissions import forget_grants
from earlyhelp.outcomes.models import SustainCheck
from earlyhelp.outcomes.permissions import (
    can_rate_outcomes,
    can_record_sustain_check,
    recordable_sustain_checks,
)
from tests.factories import MATRIX_ROLES, add_role, make_user

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, "mover"]
STATES = ["open_north", "closed_north", "closed_north_lead_moved", "open_south"]

CAN_RECORD = {
    ("practitioner", "open_north"),
    ("manager", "open_north"),
    ("practitioner", "closed_north"),
    ("manager", "closed_north"),
    ("manager", "closed_north_lead_moved"),
    ("practitioner_south", "open_south"),
    ("manager_south", "open_south"),
    ("mover", "open_south"),
}
CAN_RATE = {
    ("practitioner", "open_north"),
    ("manager", "open_north"),
    ("manager", "closed_north"),
    ("manager", "closed_north_lead_moved"),
    ("practitioner_south", "open_south"),
    ("manager_south", "open_south"),
    ("mover", "open_south"),
}


@pytest.fixture
def matrix(world, programme):
    mover = make_user(Role.PRACTITIONER, world.north, "mo")
    made = {
        "open_north": programme(),
        "closed_north": programme(),
        "closed_north_lead_moved": programme(lead=mover),
        "open_south": programme(team="south"),
    }
    for state, family in made.items():
        family.make_plan(headlines=["secure_housing"])
        family.rate(family.outcomes[0])
        if state.startswith("closed"):
            family.close()
    # The former lead moves from North to South after the episode closed.
    Membership.objects.filter(user=mover, team=world.north).delete()
    add_role(mover, Role.PRACTITIONER, world.south)
    forget_grants(mover)
    world.users["mover"] = mover
    return made


def _user(world, role):
    return world.users["mover"] if role == "mover" else getattr(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_record_sustain_check_matrix(world, matrix, role):
    user = _user(world, role)
    recordable = set(recordable_sustain_checks(user).values_list("pk", flat=True))
    for state in STATES:
        check = SustainCheck.objects.get(family=matrix[state].family)
        expected = (role, state) in CAN_RECORD
        assert can_record_sustain_check(user, check) == expected, (role, state)
        # The queryset filter (the due list, the API) agrees with the predicate.
        assert (check.pk in recordable) == expected, (role, state)


@pytest.mark.parametrize("role", ROLES)
def test_rate_outcomes_matrix(world, matrix, role):
    user = _user(world, role)
    for state in STATES:
        matrix[state].episode.refresh_from_db()
        assert can_rate_outcomes(user, matrix[state].episode) == ((role, state) in CAN_RATE), (
            role,
            state,
        )


@pytest.mark.parametrize("role", ROLES)
def test_sustain_check_page_matrix(world, matrix, client, role):
    client.force_login(_user(world, role))
    for state in STATES:
        check = SustainCheck.objects.get(family=matrix[state].family)
        url = reverse("outcomes:sustain_check", args=[check.family_id, check.pk])
        expected = 200 if (role, state) in CAN_RECORD else 404
        assert client.get(url).status_code == expected, (role, state)


def test_a_check_is_not_reachable_through_another_familys_url(world, matrix, client):
    client.force_login(world.manager)
    check = SustainCheck.objects.get(family=matrix["open_north"].family)
    other = matrix["closed_north"].family
    url = reverse("outcomes:sustain_check", args=[other.pk, check.pk])
    assert client.get(url).status_code == 404
