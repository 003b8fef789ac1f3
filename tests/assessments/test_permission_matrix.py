"""Every role x assessment state x page: 200, 403 (known but not allowed), 409 (wrong state)
or 404 (a family the user may not know exists)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.assessments import services
from earlyhelp.casework.services import close_episode
from tests.assessments.conftest import add_needs, authorised, open_case, start, submitted
from tests.factories import MATRIX_ROLES, TWO_TEAMS

pytestmark = pytest.mark.django_db

STATES = ["draft_north", "submitted_north", "authorised_north", "submitted_closed", "draft_south"]
NORTH_OPEN = ["draft_north", "submitted_north", "authorised_north"]

# TWO_TEAMS manages North and is a practitioner in South: a manager in the north states, a
# practitioner in draft_south.
ROLES = [*MATRIX_ROLES, TWO_TEAMS]
VISIBLE = (
    {("practitioner", s) for s in NORTH_OPEN}
    | {(m, s) for m in ("manager", TWO_TEAMS) for s in [*NORTH_OPEN, "submitted_closed"]}
    | {("practitioner_south", "draft_south"), ("manager_south", "draft_south")}
    | {(TWO_TEAMS, "draft_south")}
)
CAN_START = (
    {("practitioner", s) for s in NORTH_OPEN}
    | {(m, s) for m in ("manager", TWO_TEAMS) for s in NORTH_OPEN}
    | {("practitioner_south", "draft_south"), ("manager_south", "draft_south")}
    | {(TWO_TEAMS, "draft_south")}
)
# edit and submit: the team, while it is a draft and the episode is open.
EDIT = {
    200: {
        ("practitioner", "draft_north"),
        ("manager", "draft_north"),
        ("practitioner_south", "draft_south"),
        ("manager_south", "draft_south"),
        (TWO_TEAMS, "draft_north"),
        (TWO_TEAMS, "draft_south"),
    },
    409: {
        ("practitioner", "submitted_north"),
        ("practitioner", "authorised_north"),
        ("manager", "submitted_north"),
        ("manager", "authorised_north"),
        (TWO_TEAMS, "submitted_north"),
        (TWO_TEAMS, "authorised_north"),
    },
}
# Authorising and returning are for a manager of the family's team: not TWO_TEAMS in South.
AUTHORISE = {
    200: {(m, s) for m in ("manager", TWO_TEAMS) for s in ("submitted_north", "submitted_closed")},
    409: {(m, s) for m in ("manager", TWO_TEAMS) for s in ("draft_north", "authorised_north")}
    | {("manager_south", "draft_south")},
}
RETURN = {
    200: {("manager", "submitted_north"), (TWO_TEAMS, "submitted_north")},
    409: {
        (m, s)
        for m in ("manager", TWO_TEAMS)
        for s in ("draft_north", "authorised_north", "submitted_closed")
    }
    | {("manager_south", "draft_south")},
}


def _expected(table: dict[int, set[tuple[str, str]]], role: str, state: str) -> int:
    for status, pairs in table.items():
        if (role, state) in pairs:
            return status
    return 403 if (role, state) in VISIBLE else 404


@pytest.fixture
def assessments(world):
    made = {}
    case = open_case(world, last_name="Ashgrove")
    made["draft_north"] = start(world, case)
    add_needs(made["draft_north"], world.practitioner, case, ["secure_housing"])
    made["submitted_north"] = submitted(world, open_case(world, last_name="Birchwood"))
    made["authorised_north"] = authorised(world, open_case(world, last_name="Cedarfell"))
    closed = open_case(world, last_name="Dunmore")
    made["submitted_closed"] = submitted(world, closed)
    close_episode(
        actor=world.manager, episode=closed.episode, reason="needs_met", summary="Needs met."
    )
    south = open_case(world, team=world.south, lead=world.practitioner_south, last_name="Elmley")
    made["draft_south"] = services.start_assessment(
        actor=world.practitioner_south,
        family=south.family,
        started_on=made["draft_north"].started_on,
    )
    return made


# One set of families for every role and state: building them per case would take minutes.
def test_assessment_pages(world, assessments, client):
    for role in ROLES:
        client.force_login(getattr(world, role))
        for state in STATES:
            assessment = assessments[state]
            family_args = [assessment.family_id]
            args = [assessment.family_id, assessment.pk]
            visible = 200 if (role, state) in VISIBLE else 404
            checks = {
                "list": (reverse("assessments:list", args=family_args), visible),
                "detail": (reverse("assessments:detail", args=args), visible),
                "new": (
                    reverse("assessments:new", args=family_args),
                    _expected({200: CAN_START}, role, state),
                ),
                "edit": (reverse("assessments:edit", args=args), _expected(EDIT, role, state)),
                "need_new": (
                    reverse("assessments:need_new", args=args),
                    _expected(EDIT, role, state),
                ),
                "submit": (
                    reverse("assessments:submit", args=args),
                    _expected(EDIT, role, state),
                ),
                "authorise": (
                    reverse("assessments:authorise", args=args),
                    _expected(AUTHORISE, role, state),
                ),
                "return": (
                    reverse("assessments:return", args=args),
                    _expected(RETURN, role, state),
                ),
            }
            for page, (url, expected) in checks.items():
                assert client.get(url).status_code == expected, (role, state, page)
            if state == "draft_north" or state == "submitted_north":
                need = assessment.needs.first()
                if need is not None:
                    for name in ("need_edit", "need_remove"):
                        url = reverse(f"assessments:{name}", args=[*args, need.pk])
                        expected = _expected(EDIT, role, state)
                        assert client.get(url).status_code == expected, (role, state, name)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_only_managers_see_the_awaiting_list_and_only_admins_the_headlines(world, client, role):
    client.force_login(getattr(world, role))
    awaiting = client.get(reverse("assessments:awaiting"))
    assert awaiting.status_code == (200 if role in {"manager", "manager_south"} else 403)
    headlines = client.get(reverse("assessments:headlines"))
    assert headlines.status_code == (200 if role == "admin" else 403)
    edit = client.get(reverse("assessments:headline_edit", args=["secure_housing"]))
    assert edit.status_code == (200 if role == "admin" else 403)


def test_anonymous_is_sent_to_sign_in(world, assessments, client):
    assessment = assessments["draft_north"]
    for url in (
        reverse("assessments:detail", args=[assessment.family_id, assessment.pk]),
        reverse("assessments:awaiting"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_assessment_is_not_found_through_another_family(world, assessments, client):
    client.force_login(world.manager)
    draft = assessments["draft_north"]
    other_family = assessments["submitted_north"].family_id
    url = reverse("assessments:detail", args=[other_family, draft.pk])
    assert client.get(url).status_code == 404
