"""The directory over JSON: list, create, read, patch; contacts; errors at field paths."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from earlyhelp.accounts.services import issue_token
from earlyhelp.audit.models import AuditEvent
from earlyhelp.partners.models import Organisation, PartnerContact
from tests.api.conftest import documented_statuses
from tests.partners.conftest import make_school

pytestmark = pytest.mark.django_db


def test_list_pages_and_filters(world, api_as):
    for n in range(26):
        make_school(world, name=f"School {n:02d}", urn=f"1{n:05d}")
    api = api_as(world.practitioner)
    first = api.get("/partners").json()
    assert (first["count"], first["page"], first["pages"]) == (26, 1, 2)
    assert [o["name"] for o in first["items"]][:2] == ["School 00", "School 01"]
    assert len(first["items"]) == 25
    second = api.get("/partners", page=2).json()
    assert [o["name"] for o in second["items"]] == ["School 25"]
    assert api.get("/partners", page=3).json()["items"] == []
    assert api.get("/partners", kind="gp_practice").json()["count"] == 0
    assert api.get("/partners", name="school 07").json()["items"][0]["urn"] == "100007"
    assert api.get("/partners", kind="bakery").status_code == 422


def test_roles_without_directory_access_get_403(world, api_as, school):
    for role in ("analyst", "partner"):
        api = api_as(getattr(world, role))
        assert api.get("/partners").status_code == 403
        assert api.get(f"/partners/{school.pk}").status_code == 403


def test_create_read_and_patch_an_organisation(world, api_as):
    api = api_as(world.manager)
    created = api.post(
        "/partners",
        {"name": "Riverside Surgery", "kind": "gp_practice", "ods_code": "a81001"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["ods_code"] == "A81001" and body["contacts"] == [] and body["active"] is True
    org_id = body["id"]
    patched = api.patch(f"/partners/{org_id}", {"phone": "01632 960111", "active": False})
    assert patched.status_code == 200
    assert patched.json()["phone"] == "01632 960111" and patched.json()["active"] is False
    organisation = Organisation.objects.get(pk=org_id)
    assert (organisation.name, organisation.ods_code) == ("Riverside Surgery", "A81001")
    assert api.get(f"/partners/{org_id}").json()["active"] is False


def test_rule_errors_come_back_at_the_fields_path(world, api_as, school):
    api = api_as(world.admin)
    missing = api.post("/partners", {"name": "Oakfield", "kind": "school"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["body", "payload", "urn"]
    taken = api.post("/partners", {"name": "Oakfield", "kind": "school", "urn": school.urn})
    assert taken.json()["errors"][0]["msg"].startswith("An organisation with this URN")
    bad_patch = api.patch(f"/partners/{school.pk}", {"email": "nope"})
    assert bad_patch.status_code == 422
    assert bad_patch.json()["errors"][0]["loc"] == ["body", "payload", "email"]
    assert api.patch(f"/partners/{uuid.uuid4()}", {"phone": "1"}).status_code == 404


def test_practitioners_read_but_may_not_write(world, api_as, school):
    api = api_as(world.practitioner)
    assert api.get(f"/partners/{school.pk}").status_code == 200
    assert api.post("/partners", {"name": "X", "kind": "police"}).status_code == 403
    assert api.patch(f"/partners/{school.pk}", {"name": "Renamed"}).status_code == 403
    assert api.post(f"/partners/{school.pk}/contacts", {"name": "A"}).status_code == 403
    school.refresh_from_db()
    assert school.name == "Brookfield Primary School"


def test_contacts_are_added_and_patched(world, api_as, school):
    api = api_as(world.admin)
    added = api.post(
        f"/partners/{school.pk}/contacts",
        {"name": "Ellis Thornbury", "job_title": "Head of year", "email": "e.t@example.org"},
    )
    assert added.status_code == 201
    contact_id = added.json()["id"]
    patched = api.patch(f"/partners/{school.pk}/contacts/{contact_id}", {"active": False})
    assert patched.json()["active"] is False and patched.json()["job_title"] == "Head of year"
    assert PartnerContact.objects.get(pk=contact_id).active is False
    read = api.get(f"/partners/{school.pk}").json()
    assert [c["name"] for c in read["contacts"]] == ["Ellis Thornbury"]
    other = make_school(world, name="Oakfield", urn="654321")
    wrong_org = api.patch(f"/partners/{other.pk}/contacts/{contact_id}", {"active": True})
    assert wrong_org.status_code == 404


def test_reads_are_audited(world, api_as, school):
    api_as(world.dpo).get(f"/partners/{school.pk}")
    event = AuditEvent.objects.filter(action="view", object_type="organisation").last()
    assert event.actor_id == world.dpo.pk and event.object_id == str(school.pk)


def test_openapi_documents_the_directory(world):
    token = issue_token(actor=None, user=world.admin)
    spec = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    paths = spec.json()["paths"]
    # Schemas are named globally: a same-named schema elsewhere must not replace ours.
    schemas = spec.json()["components"]["schemas"]
    ref = schemas["OrganisationOut"]["properties"]["contacts"]["items"]["$ref"]
    assert set(schemas[ref.rsplit("/", 1)[1]]["properties"]) == {
        "id",
        "name",
        "job_title",
        "email",
        "phone",
        "active",
    }
    expected = {
        ("/api/v1/partners", "get"): {"200", "401", "403", "422"},
        ("/api/v1/partners", "post"): {"201", "401", "403", "422"},
        ("/api/v1/partners/{organisation_id}", "get"): {"200", "401", "403", "404", "422"},
        ("/api/v1/partners/{organisation_id}", "patch"): {
            "200",
            "202",  # a change awaiting a second person (decision 0014)
            "401",
            "403",
            "404",
            "422",
        },
        ("/api/v1/partners/{organisation_id}/contacts", "post"): {
            "201",
            "401",
            "403",
            "404",
            "422",
        },
        ("/api/v1/partners/{organisation_id}/contacts/{contact_id}", "patch"): {
            "200",
            "202",
            "401",
            "403",
            "404",
            "422",
        },
        ("/api/v1/partners/changes", "get"): {"200", "401", "403"},
        ("/api/v1/partners/changes/{change_id}/approve", "post"): {
            "200",
            "401",
            "403",
            "404",
            "409",
            "422",
        },
        ("/api/v1/partners/changes/{change_id}/reject", "post"): {
            "200",
            "401",
            "403",
            "404",
            "409",
            "422",
        },
    }
    for (path, method), codes in expected.items():
        operation = paths[path][method]
        assert operation["tags"] == ["partners"]
        assert operation["summary"] and len(operation["description"]) > 80
        assert documented_statuses(operation) == codes, (path, method)
