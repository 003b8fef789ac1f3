"""Programmes, registers, enrolments and observations over JSON."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client

from earlyhelp.accounts.services import issue_token
from earlyhelp.audit.models import AuditEvent
from earlyhelp.partners.services import OrganisationInput, create_organisation
from earlyhelp.programmes.models import Attendance, Enrolment, Observation
from earlyhelp.programmes.services import enrol
from tests.api.conftest import documented_statuses
from tests.programmes.conftest import TODAY, make_programme, member

pytestmark = pytest.mark.django_db


def _iso(days: int = 0) -> str:
    return (TODAY() + timedelta(days=days)).isoformat()


def test_list_and_read_programmes(world, api_as, programme, session):
    for n in range(25):
        make_programme(world, name=f"Group {n:02d}", starts_on=TODAY() - timedelta(days=40 + n))
    api = api_as(world.duty)
    first = api.get("/programmes").json()
    assert (first["count"], first["pages"], len(first["items"])) == (26, 2, 25)
    assert first["items"][0]["name"] == "Incredible Years parenting course"
    assert first["items"][0]["team"] == {"slug": "north", "name": "North Family Support"}
    assert api.get("/programmes", page=2).json()["items"][0]["name"] == "Group 24"
    one = api.get(f"/programmes/{programme.pk}").json()
    assert one["sessions"][0]["number"] == 1 and one["places_taken"] == 0
    assert api.get(f"/programmes/{uuid.uuid4()}").status_code == 404
    assert api_as(world.analyst).get("/programmes").status_code == 403


def test_a_manager_sets_up_a_programme_with_a_provider(world, api_as):
    provider = create_organisation(
        actor=world.admin, data=OrganisationInput(name="Families First", kind="voluntary_sector")
    )
    api = api_as(world.manager)
    body = {
        "name": "Triple P",
        "kind": "parenting_course",
        "team": "north",
        "provider_id": str(provider.pk),
        "starts_on": _iso(),
        "capacity": 12,
    }
    created = api.post("/programmes", body)
    assert created.status_code == 201
    assert created.json()["provider_id"] == str(provider.pk)
    unknown_team = api.post("/programmes", {**body, "team": "nowhere"})
    assert unknown_team.status_code == 422
    assert unknown_team.json()["errors"][0]["loc"] == ["body", "payload", "team"]
    bad_dates = api.post("/programmes", {**body, "ends_on": _iso(-1)})
    assert bad_dates.json()["errors"][0]["loc"] == ["body", "payload", "ends_on"]
    unknown_provider = api.post("/programmes", {**body, "provider_id": str(uuid.uuid4())})
    assert unknown_provider.json()["errors"][0]["loc"] == ["body", "payload", "provider_id"]
    assert api.post("/programmes", {**body, "team": "south"}).status_code == 403


def test_sessions_and_the_register(world, api_as, programme, family):
    api = api_as(world.practitioner)
    added = api.post(
        f"/programmes/{programme.pk}/sessions", {"date": _iso(-1), "start_time": "10:00"}
    )
    assert added.status_code == 201 and added.json()["number"] == 1
    session_id = added.json()["id"]
    a, b = enrol(
        actor=world.practitioner,
        family=family,
        programme=programme,
        people=[member(family, "child"), member(family, "parent_or_carer")],
        enrolled_on=TODAY() - timedelta(days=5),
    )
    url = f"/programmes/{programme.pk}/sessions/{session_id}/attendance"
    saved = api.put(url, {"marks": [{"enrolment_id": str(a.pk), "status": "attended"}]})
    assert saved.status_code == 200
    marks = {m["enrolment_id"]: m["status"] for m in saved.json()["marks"]}
    assert marks == {str(a.pk): "attended", str(b.pk): None}
    # The body is the whole register: leaving someone out clears their mark.
    api.put(url, {"marks": [{"enrolment_id": str(b.pk), "status": "absent"}]})
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {b.pk: "absent"}
    stranger = api.put(url, {"marks": [{"enrolment_id": str(uuid.uuid4()), "status": "absent"}]})
    assert stranger.status_code == 422
    assert api_as(world.practitioner_south).put(url, {"marks": []}).status_code == 403


def test_enrol_then_complete(world, api_as, programme, family):
    api = api_as(world.practitioner)
    child = member(family, "child")
    created = api.post(
        f"/families/{family.pk}/enrolments",
        {"programme_id": str(programme.pk), "person_ids": [str(child.pk)]},
    )
    assert created.status_code == 201
    [body] = created.json()
    assert body["person_id"] == str(child.pk) and body["status"] == "enrolled"
    again = api.post(
        f"/families/{family.pk}/enrolments",
        {"programme_id": str(programme.pk), "person_ids": [str(child.pk)]},
    )
    assert again.json()["errors"][0]["loc"] == ["body", "payload", "person_ids"]
    outsider = api.post(
        f"/families/{family.pk}/enrolments",
        {"programme_id": str(programme.pk), "person_ids": [str(uuid.uuid4())]},
    )
    assert outsider.status_code == 422
    no_programme = api.post(
        f"/families/{family.pk}/enrolments",
        {"programme_id": str(uuid.uuid4()), "person_ids": [str(child.pk)]},
    )
    assert no_programme.json()["errors"][0]["loc"] == ["body", "payload", "programme_id"]
    listed = api.get(f"/families/{family.pk}/enrolments").json()
    assert [e["id"] for e in listed] == [body["id"]]
    outcome_url = f"/programmes/{programme.pk}/enrolments/{body['id']}/outcome"
    no_reason = api.put(outcome_url, {"status": "withdrawn", "on": _iso()})
    assert no_reason.json()["errors"][0]["loc"] == ["body", "payload", "reason"]
    done = api.put(outcome_url, {"status": "completed", "on": _iso()})
    assert done.status_code == 200 and done.json()["completed_on"] == _iso()
    assert api.put(outcome_url, {"status": "completed", "on": _iso()}).status_code == 409
    assert (
        api_as(world.duty).put(outcome_url, {"status": "completed", "on": _iso()}).status_code
        == 404
    )


def test_families_out_of_sight_are_404(world, api_as, programme, family):
    api = api_as(world.practitioner_south)
    child = member(family, "child")
    assert (
        api.post(
            f"/families/{family.pk}/enrolments",
            {"programme_id": str(programme.pk), "person_ids": [str(child.pk)]},
        ).status_code
        == 404
    )
    assert api.get(f"/families/{family.pk}/observations").status_code == 404
    assert (
        api.post(
            f"/families/{family.pk}/observations",
            {
                "person_id": str(child.pk),
                "kind": "sen_status",
                "observed_on": _iso(),
                "sen_status": "no_sen",
            },
        ).status_code
        == 404
    )
    assert not Enrolment.objects.exists() and not Observation.objects.exists()


def test_observations_are_recorded_listed_and_read(world, api_as, family):
    api = api_as(world.manager)
    child = member(family, "child")
    url = f"/families/{family.pk}/observations"
    created = api.post(
        url,
        {
            "person_id": str(child.pk),
            "kind": "school_attendance",
            "observed_on": _iso(-1),
            "attendance_percent": "91.25",
            "period_start": _iso(-60),
            "period_end": _iso(-1),
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["attendance_percent"] in ("91.25", 91.25) and body["source"] == "manual"
    too_high = api.post(
        url,
        {
            "person_id": str(child.pk),
            "kind": "school_attendance",
            "observed_on": _iso(-1),
            "attendance_percent": 100.5,
            "period_start": _iso(-60),
            "period_end": _iso(-1),
        },
    )
    assert too_high.json()["errors"][0]["loc"] == ["body", "payload", "attendance_percent"]
    not_a_member = api.post(
        url,
        {
            "person_id": str(uuid.uuid4()),
            "kind": "sen_status",
            "observed_on": _iso(),
            "sen_status": "no_sen",
        },
    )
    assert not_a_member.json()["errors"][0]["loc"] == ["body", "payload", "person_id"]
    page = api.get(url).json()
    assert page["count"] == 1 and page["items"][0]["id"] == body["id"]
    assert api.get(url, person_id=str(uuid.uuid4())).json()["count"] == 0
    read = api.get(f"{url}/{body['id']}")
    assert read.json()["kind"] == "school_attendance"
    assert AuditEvent.objects.filter(object_type="observation", object_id=body["id"], action="view")


OPERATIONS = {
    ("/api/v1/programmes", "get"): {"200", "401", "403", "422"},
    ("/api/v1/programmes", "post"): {"201", "401", "403", "422"},
    ("/api/v1/programmes/{programme_id}", "get"): {"200", "401", "403", "404", "422"},
    ("/api/v1/programmes/{programme_id}/sessions", "post"): {"201", "401", "403", "404", "422"},
    ("/api/v1/programmes/{programme_id}/sessions/{session_id}/attendance", "put"): {
        "200",
        "401",
        "403",
        "404",
        "422",
    },
    ("/api/v1/programmes/{programme_id}/enrolments/{enrolment_id}/outcome", "put"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/v1/families/{family_id}/enrolments", "post"): {"201", "401", "404", "422"},
    ("/api/v1/families/{family_id}/enrolments", "get"): {"200", "401", "404", "422"},
    ("/api/v1/families/{family_id}/observations", "get"): {"200", "401", "404", "422"},
    ("/api/v1/families/{family_id}/observations", "post"): {"201", "401", "404", "422"},
    ("/api/v1/families/{family_id}/observations/{observation_id}", "get"): {
        "200",
        "401",
        "404",
        "422",
    },
}


def test_openapi_documents_every_operation(world):
    token = issue_token(actor=None, user=world.practitioner)
    spec = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    paths = spec.json()["paths"]
    schemas = spec.json()["components"]["schemas"]
    ref = schemas["ProgrammeOut"]["properties"]["sessions"]["items"]["$ref"]
    assert set(schemas[ref.rsplit("/", 1)[1]]["properties"]) == {
        "id",
        "number",
        "date",
        "start_time",
        "location",
    }
    for (path, method), codes in OPERATIONS.items():
        operation = paths[path][method]
        assert operation["tags"] == ["programmes"], path
        assert operation["summary"] and len(operation["description"]) > 80, path
        assert documented_statuses(operation) == codes, (path, method)


@pytest.mark.parametrize(("path", "method"), sorted(OPERATIONS))
def test_every_operation_needs_a_token(world, path, method):
    url = path.format(
        programme_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        enrolment_id=uuid.uuid4(),
        family_id=uuid.uuid4(),
        observation_id=uuid.uuid4(),
    )
    client = Client()
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, "{}", content_type="application/json")
    assert response.status_code == 401
