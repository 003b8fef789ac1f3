"""Every role x every programme page: who may open it, and who sees names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from earlyhelp.programmes.observations import ObservationInput, record_observation
from earlyhelp.programmes.services import enrol
from tests.factories import MATRIX_ROLES
from tests.programmes.conftest import TODAY, member

pytestmark = pytest.mark.django_db

PROGRAMME_VIEWERS = {"practitioner", "practitioner_south", "manager", "manager_south", "duty"}
MANAGERS = {"manager", "manager_south"}
RUNNING_TEAM = {"practitioner", "manager"}  # North runs the programme
FAMILY_TEAM = {"practitioner", "manager"}  # North holds the family


def _status(role: str, allowed: set[str], known: set[str]) -> int:
    """200 if allowed; 403 if the role knows the object exists; 404 otherwise."""
    if role in allowed:
        return 200
    return 403 if role in known else 404


@pytest.fixture
def things(world, programme, session, family):  # type: ignore[no-untyped-def]
    child = member(family, "child")
    [enrolment] = enrol(
        actor=world.practitioner,
        family=family,
        programme=programme,
        people=[child],
        enrolled_on=TODAY() - timedelta(days=8),
    )
    observation = record_observation(
        actor=world.practitioner,
        family=family,
        data=ObservationInput(
            person_id=child.pk, kind="sen_status", observed_on=TODAY(), sen_status="sen_support"
        ),
    )
    return {
        "programme": programme,
        "session": session,
        "family": family,
        "enrolment": enrolment,
        "observation": observation,
    }


def _pages(t) -> dict[str, tuple[str, set[str], set[str]]]:  # type: ignore[no-untyped-def]
    p, s, f, e, o = t["programme"], t["session"], t["family"], t["enrolment"], t["observation"]
    everyone = set(MATRIX_ROLES)
    return {
        "list": (reverse("programmes:list"), PROGRAMME_VIEWERS, everyone),
        "new": (reverse("programmes:new"), MANAGERS, everyone),
        "detail": (reverse("programmes:detail", args=[p.pk]), PROGRAMME_VIEWERS, everyone),
        "session_new": (
            reverse("programmes:session_new", args=[p.pk]),
            RUNNING_TEAM,
            everyone,
        ),
        "register": (
            reverse("programmes:register", args=[p.pk, s.pk]),
            RUNNING_TEAM,
            everyone,
        ),
        # People outside the programme's team and the family's may not learn who is on it;
        # roles without access to programmes are refused before that question arises.
        "complete": (
            reverse("programmes:complete", args=[p.pk, e.pk]),
            RUNNING_TEAM | FAMILY_TEAM,
            everyone - PROGRAMME_VIEWERS,
        ),
        "enrol": (reverse("programmes:enrol", args=[f.pk]), FAMILY_TEAM, set()),
        "enrolment": (
            reverse("programmes:enrolment", args=[f.pk, e.pk]),
            FAMILY_TEAM,
            set(),
        ),
        "observations": (reverse("programmes:observations", args=[f.pk]), FAMILY_TEAM, set()),
        "observation_new": (
            reverse("programmes:observation_new", args=[f.pk]),
            FAMILY_TEAM,
            set(),
        ),
        "observation": (
            reverse("programmes:observation", args=[f.pk, o.pk]),
            FAMILY_TEAM,
            set(),
        ),
    }


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_who_may_open_each_page(world, things, client, role):
    client.force_login(getattr(world, role))
    for name, (url, allowed, known) in _pages(things).items():
        expected = _status(role, allowed, known)
        assert client.get(url).status_code == expected, (role, name)


@pytest.mark.parametrize("role", sorted(PROGRAMME_VIEWERS))
def test_only_the_running_team_sees_names_on_the_programme_page(world, things, client, role):
    client.force_login(getattr(world, role))
    page = client.get(reverse("programmes:detail", args=[things["programme"].pk]))
    html = page.content.decode()
    assert ("Zoë Quillfeather" in html) == (role in RUNNING_TEAM), role
    assert ("Register for session 1" in html) == (role in RUNNING_TEAM), role


def test_a_family_of_another_team_is_followed_by_its_own_workers(world, programme, client):
    south_family = world.open_family(team=world.south, lead=world.practitioner_south)[0]
    [enrolment] = enrol(
        actor=world.practitioner_south,
        family=south_family,
        programme=programme,
        people=[member(south_family, "child")],
    )
    url = reverse("programmes:enrolment", args=[south_family.pk, enrolment.pk])
    complete = reverse("programmes:complete", args=[programme.pk, enrolment.pk])
    client.force_login(world.practitioner_south)
    assert client.get(url).status_code == 200
    assert client.get(complete).status_code == 200
    client.force_login(world.practitioner)  # runs the programme, cannot open the family
    assert client.get(url).status_code == 404
    assert client.get(complete).status_code == 200


@pytest.mark.parametrize("name", ["list", "detail", "enrol", "observations"])
def test_signed_out_users_are_sent_to_sign_in(things, client, name):
    url = _pages(things)[name][0]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
