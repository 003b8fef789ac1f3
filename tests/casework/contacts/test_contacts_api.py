"""The contacts API over HTTP with real bearer tokens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import Contact
from tests.casework.contacts.conftest import person, record

pytestmark = pytest.mark.django_db


def _body(family, **overrides):
    child, parent = person(family, "Zoë"), person(family, "Marigold")
    body = {
        "contact_type": "phone_call",
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "note": "Called mum about the new bedtime routine; going well.",
        "subjects": [str(child.pk)],
        "present_members": [str(parent.pk)],
        "professionals": [{"name": "Sam Lee", "organisation": "Brookfield Primary School"}],
        "child_words": [],
        "parent_views": [
            {"person_id": str(parent.pk), "text": "Bedtimes are easier.", "recorded_as": "verbatim"}
        ],
        "next_contact_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    body.update(overrides)
    return body


def test_recording_and_reading_a_contact(world, north, api_as):
    family, episode = north
    api = api_as(world.practitioner)
    created = api.post(f"/families/{family.pk}/contacts", _body(family))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["contact_type"] == "phone_call" and data["contact_type_label"] == "Phone call"
    assert data["episode_id"] == str(episode.pk)
    assert {s["name"] for s in data["subjects"]} == {"Zoë Ashgrove", "Marigold Ashgrove"}
    assert data["parent_views"][0]["recorded_as"] == "verbatim"
    assert data["recorded_by"] == "pat" and data["deleted"] is False
    read = api.get(f"/families/{family.pk}/contacts/{data['id']}")
    assert read.status_code == 200
    assert read.json()["note"].startswith("Called mum") and read.json()["earlier_versions"] == []


def test_the_list_is_paginated_with_a_count(world, north, api_as):
    family, _ = north
    for _ in range(27):
        record(world.practitioner, family, child_words=[], parent_views=[])
    api = api_as(world.manager)
    first = api.get(f"/families/{family.pk}/contacts").json()
    assert first["count"] == 27 and first["pages"] == 2 and len(first["items"]) == 25
    second = api.get(f"/families/{family.pk}/contacts", page=2).json()
    assert second["page"] == 2 and len(second["items"]) == 2
    about_parent = api.get(
        f"/families/{family.pk}/contacts", person=str(person(family, "Marigold").pk)
    ).json()
    assert about_parent["count"] == 0


def test_invalid_input_names_its_path(world, north, api_as):
    family, _ = north
    other, _ = world.open_family(last_name="Birchwood")
    api = api_as(world.practitioner)
    url = f"/families/{family.pk}/contacts"
    response = api.post(url, _body(family, subjects=[str(person(other, "Zoë").pk)]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "subjects"]
    child = person(family, "Zoë")
    wrong = [{"person_id": str(child.pk), "text": "Fine.", "recorded_as": "verbatim"}]
    response = api.post(url, _body(family, parent_views=wrong))
    assert response.json()["errors"][0]["loc"] == [
        "body",
        "payload",
        "parent_views",
        0,
        "person_id",
    ]
    response = api.post(url, _body(family, contact_type="telegram"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "contact_type"]
    assert not Contact.objects.exists()


def test_another_familys_name_is_a_409_until_confirmed(world, north, api_as):
    family, _ = north
    world.open_family(last_name="Birchwood")
    api = api_as(world.practitioner)
    url = f"/families/{family.pk}/contacts"
    body = _body(family, note="Zoë Birchwood's mum called too.")
    refused = api.post(url, body)
    assert refused.status_code == 409
    assert "another family" in refused.json()["detail"]
    assert "birchwood" not in refused.content.decode().lower()
    accepted = api.post(url, {**body, "confirm_other_family_names": True})
    assert accepted.status_code == 201 and accepted.json()["names_other_family"] is True


def test_a_closed_family_refuses_with_409_and_strangers_get_404(world, north, api_as):
    family, _ = world.closed_family(last_name="Cedarfell")
    response = api_as(world.manager).post(f"/families/{family.pk}/contacts", _body(family))
    assert response.status_code == 409 and "no open episode" in response.json()["detail"]
    open_family, _ = north
    response = api_as(world.practitioner_south).post(
        f"/families/{open_family.pk}/contacts", _body(open_family)
    )
    assert response.status_code == 404
    assert (
        api_as(world.practitioner_south).get(f"/families/{open_family.pk}/contacts").status_code
        == 404
    )


def test_correcting_over_the_api_keeps_the_earlier_version(world, north, api_as):
    family, _ = north
    contact = record(world.practitioner, family)
    api = api_as(world.practitioner)
    url = f"/families/{family.pk}/contacts/{contact.pk}/corrections"
    body = _body(
        family, note="Corrected: it was a phone call.", occurred_at=contact.occurred_at.isoformat()
    )
    assert api.post(url, body).status_code == 422  # no reason
    response = api.post(url, {**body, "reason": "It was a phone call, not a visit"})
    assert response.status_code == 200, response.content
    assert response.json()["corrected_by"] == "pat"
    read = api.get(f"/families/{family.pk}/contacts/{contact.pk}").json()
    (earlier,) = read["earlier_versions"]
    assert earlier["contact_type"] == "home_visit"
    assert earlier["note"].startswith("Visited at home.")
    assert earlier["child_words"][0]["text"] == "I like it when mum walks me to school."


def test_deletion_is_for_the_team_manager_with_a_reason(world, north, api_as):
    family, _ = north
    contact = record(world.practitioner, family)
    url = f"/families/{family.pk}/contacts/{contact.pk}/deletion"
    assert api_as(world.practitioner).post(url, {"reason": "Mine"}).status_code == 403
    assert api_as(world.manager).post(url, {"reason": ""}).status_code == 422
    response = api_as(world.manager).post(url, {"reason": "Recorded on the wrong family"})
    assert response.status_code == 200
    tombstone = response.json()
    assert tombstone["deleted"] is True and tombstone["note"] == ""
    assert tombstone["subjects"] == [] and tombstone["child_words"] == []
    assert tombstone["deletion_reason"] == "Recorded on the wrong family"
    assert api_as(world.manager).post(url, {"reason": "Again"}).status_code == 409


def test_no_personal_data_reaches_the_audit_trail(world, north, api_as):
    family, _ = north
    world.open_family(last_name="Birchwood")
    api = api_as(world.practitioner)
    body = _body(family, note="Zoë Birchwood's mum called too.")
    api.post(f"/families/{family.pk}/contacts", body)
    created = api.post(
        f"/families/{family.pk}/contacts", {**body, "confirm_other_family_names": True}
    )
    api.get(f"/families/{family.pk}/contacts")
    api.get(f"/families/{family.pk}/contacts/{created.json()['id']}")
    text = json.dumps(list(AuditEvent.objects.values()), default=str).lower()
    for personal in ("ashgrove", "birchwood", "zoë", "marigold", "bedtime", "sam lee"):
        assert personal not in text
    actions = set(AuditEvent.objects.filter(object_type="contact").values_list("action", flat=True))
    assert actions == {"create", "view"}


def test_the_operations_are_documented(world, api_as):
    spec = api_as(world.practitioner).get("/openapi.json").json()
    operations = {
        op["operationId"]: op
        for path in spec["paths"].values()
        for op in path.values()
        if "contacts" in op.get("tags", [])
    }
    assert set(operations) == {
        "list_contacts",
        "record_contact",
        "get_contact",
        "correct_contact",
        "delete_contact",
    }
    for op in operations.values():
        assert op["summary"] and op["description"]
        assert {"401", "404"} <= set(op["responses"])
    assert "409" in operations["record_contact"]["responses"]
    assert "web form only" in operations["record_contact"]["description"]


# Token lookup, grants, the family gatekeeper and its audit event, the count, the page and
# its four prefetches (subjects, present, voices, attachments), and the list's audit event,
# savepoints included. PostgreSQL adds the audit chain's lock twice. The token's first use
# also stamps it, so the client is warmed up first.
API_LIST_QUERIES = {"sqlite": 18, "postgresql": 20}


def test_list_query_count_is_pinned(world, north, api_as):
    family, _ = north
    api = api_as(world.practitioner)
    url = f"/families/{family.pk}/contacts"
    for _ in range(2):
        record(world.practitioner, family)
    api.get(url)
    assert _count(api, url) == API_LIST_QUERIES[connection.vendor]
    for _ in range(5):
        record(world.manager, family)
    assert _count(api, url) == API_LIST_QUERIES[connection.vendor]


def _count(api, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)
