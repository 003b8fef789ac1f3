"""POST /people/search: intake search, scoped by role and audited without its terms."""

from __future__ import annotations

import pytest

from earlyhelp.audit.models import Action, AuditEvent
from tests.api.conftest import NHS_CHILD, audit_text, last_seq

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_family(world):  # type: ignore[no-untyped-def]
    family, _ = world.open_family(
        first_name="Ottoline", last_name="Quillfeather", nhs_number=NHS_CHILD, postcode="TQ9 4WU"
    )
    return family


def test_the_allocated_practitioner_finds_the_child_with_the_family_link(
    world, api_as, north_family
):
    response = api_as(world.practitioner).post(
        "/people/search", dict(q="ottoline quillfeather", date_of_birth="2015-03-14")
    )
    assert response.status_code == 200
    [match] = response.json()
    assert match["name"] == "Ottoline Quillfeather"
    assert match["year_of_birth"] == 2015
    assert match["current_team"] == "North Family Support"
    assert match["family_id"] == str(north_family.pk)
    assert set(match) == {"person_id", "name", "year_of_birth", "current_team", "family_id"}


def test_search_by_nhs_number_or_postcode(world, api_as, north_family):
    api = api_as(world.practitioner)
    by_nhs = api.post(
        "/people/search", dict(nhs_number=f"{NHS_CHILD[:3]} {NHS_CHILD[3:6]} {NHS_CHILD[6:]}")
    )
    assert [m["name"] for m in by_nhs.json()] == ["Ottoline Quillfeather"]
    by_postcode = api.post("/people/search", dict(postcode="tq94wu"))
    assert sorted(m["name"] for m in by_postcode.json()) == [
        "Marigold Quillfeather",
        "Ottoline Quillfeather",
    ]


def test_another_teams_practitioner_cannot_find_the_child(world, api_as, north_family):
    response = api_as(world.practitioner_south).post("/people/search", dict(q="Quillfeather"))
    assert response.status_code == 200
    assert response.json() == []


def test_the_duty_worker_sees_a_match_level_result_without_the_family(world, api_as, north_family):
    response = api_as(world.duty).post("/people/search", dict(q="Ottoline", nhs_number=NHS_CHILD))
    assert response.status_code == 200
    [match] = response.json()
    assert match["name"] == "Ottoline Quillfeather"
    assert match["current_team"] == "North Family Support"
    assert match["family_id"] is None


@pytest.mark.parametrize("who", ["analyst", "admin", "dpo", "partner"])
def test_roles_without_search_rights_get_403(world, api_as, north_family, who):
    response = api_as(getattr(world, who)).post("/people/search", dict(q="Quillfeather"))
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({}, ["body", "terms", "q"]),
        ({"q": "   "}, ["body", "terms", "q"]),
        ({"nhs_number": "9991045381"}, ["body", "terms", "nhs_number"]),
        ({"postcode": "not a postcode"}, ["body", "terms", "postcode"]),
        ({"date_of_birth": "14/03/2015"}, ["body", "terms", "date_of_birth"]),
    ],
    ids=["nothing", "blank", "nhs_number", "postcode", "date_of_birth"],
)
def test_missing_or_malformed_criteria_are_422(world, api_as, params, loc):
    response = api_as(world.duty).post("/people/search", dict(**params))
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [loc]


def test_a_search_is_audited_with_its_count_and_never_its_terms(world, api_as, north_family):
    api = api_as(world.duty)
    seq = last_seq()
    api.post("/people/search", dict(q="Ottoline Quillfeather", postcode="TQ9 4WU"))

    event = AuditEvent.objects.get(seq__gt=seq)
    assert event.action == Action.SEARCH and event.actor_id == world.duty.pk
    assert event.detail == {"count": 1, "by": ["name", "postcode"]}
    text = audit_text()
    for term in ("ottoline", "quillfeather", "tq9 4wu", NHS_CHILD):
        assert term not in text


def test_search_terms_never_travel_in_the_url(world, api_as, north_family):
    # The old GET form would put names and NHS numbers in URLs (browser history, proxy logs).
    api = api_as(world.duty)
    assert api.get("/people", q="Quillfeather").status_code in {404, 405}
    assert api.get("/people/search", q="Quillfeather").status_code == 405
