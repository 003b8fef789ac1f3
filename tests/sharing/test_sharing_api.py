"""The agreements, sharing decisions and disclosure log API over HTTP: round trips, 401, 403,
404, 409, 422, four eyes, and the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.accounts.services import issue_token
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.sharing.models import Agreement, AuthorisationStatus, SharingDecision
from tests.api.conftest import documented_statuses
from tests.factories import agree_to_share
from tests.sharing.test_decision_pages import make_overdue, record_gateway_decision
from tests.sharing.test_disclosure_log_pages import log_package_under_gateway, log_plan_sent

pytestmark = pytest.mark.django_db


def _agreement_body(setup, **overrides) -> dict:
    body = {
        "person": str(setup.parent.pk),
        "given_by": str(setup.parent.pk),
        "kind": "share",
        "recipient_organisation": str(setup.school.pk),
        "scopes": ["plan", "education"],
        "purpose": "So the school can support the morning routine.",
        "method": "written",
        "given_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    body.update(overrides)
    return body


def _decision_body(setup, **overrides) -> dict:
    body = {
        "outcome": "share",
        "decided_on": timezone.localdate().isoformat(),
        "people": [str(setup.child.pk)],
        "recipient_organisation": str(setup.school.pk),
        "recipient_contact": str(setup.teacher.pk),
        "purpose": "The designated safeguarding lead needs the plan.",
        "scopes": ["plan"],
        "consent_status": "not_sought",
        "consent_not_sought_reason": "Asking would increase the risk.",
        "gateway": "safeguarding",
        "family_told": False,
        "family_not_told_reason": "Telling them would increase the risk.",
        "necessity": "Only the plan goes.",
        "items_shared": "Family plan version 1",
        "identities_protected": "Household members removed.",
        "onward_restrictions": "Not to be passed on.",
        "transfer_method": "encrypted_file",
    }
    body.update(overrides)
    return body


def test_every_operation_needs_a_token(world, setup, anonymous_api):
    family = setup.family.pk
    some = uuid4()
    events = AuditEvent.objects.count()
    for method, path in (
        ("get", f"/families/{family}/agreements"),
        ("post", f"/families/{family}/agreements"),
        ("get", f"/families/{family}/agreements/{some}"),
        ("post", f"/families/{family}/agreements/{some}/withdrawal"),
        ("get", f"/families/{family}/sharing-decisions"),
        ("post", f"/families/{family}/sharing-decisions"),
        ("get", f"/families/{family}/sharing-decisions/{some}"),
        ("post", f"/families/{family}/sharing-decisions/{some}/authorisation"),
        ("get", f"/families/{family}/disclosure-log"),
    ):
        response = anonymous_api.get(path) if method == "get" else anonymous_api.post(path, {})
        assert response.status_code == 401, (method, path)
    assert AuditEvent.objects.count() == events  # nothing was read


def test_an_agreement_round_trip_and_withdrawal(world, setup, api_as):
    api = api_as(world.practitioner)
    base = f"/families/{setup.family.pk}/agreements"
    created = api.post(base, _agreement_body(setup))
    assert created.status_code == 201
    body = created.json()
    assert body["person_id"] == str(setup.parent.pk) and body["active"] is True
    assert body["recipient"] == "Brookfield Primary School"
    assert body["scopes"] == ["plan", "education"] and body["method"] == "written"

    listed = api.get(base).json()
    assert [a["id"] for a in listed] == [body["id"]]
    assert api.get(f"{base}/{body['id']}").json() == body

    today = timezone.localdate().isoformat()
    withdrawal = {"withdrawn_on": today, "withdrawn_by": str(setup.parent.pk), "note": "Phoned."}
    withdrawn = api.post(f"{base}/{body['id']}/withdrawal", withdrawal)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["active"] is False and withdrawn.json()["withdrawn_on"] == today
    assert api.get(base).json()[0]["withdrawn_by_id"] == str(setup.parent.pk)
    again = api.post(f"{base}/{body['id']}/withdrawal", withdrawal)
    assert again.status_code == 409


def test_agreement_errors_name_the_field(world, setup, api_as):
    api = api_as(world.practitioner)
    base = f"/families/{setup.family.pk}/agreements"
    child = api.post(
        base, _agreement_body(setup, person=str(setup.child.pk), given_by=str(setup.child.pk))
    )
    assert child.status_code == 422
    assert child.json()["errors"][0]["loc"] == ["body", "payload", "given_by"]
    bad_scope = api.post(base, _agreement_body(setup, scopes=["everything"]))
    assert bad_scope.status_code == 422
    assert bad_scope.json()["errors"][0]["loc"][:3] == ["body", "payload", "scopes"]
    signed = api.post(base, _agreement_body(setup, method="signed_form"))
    assert signed.status_code == 422
    assert signed.json()["errors"][0]["loc"] == ["body", "payload", "signed_form"]
    assert api.get(f"{base}/not-a-uuid").status_code == 422
    assert not Agreement.objects.exists()


def test_other_teams_get_404_and_closed_cases_403(world, setup, api_as):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    base = f"/families/{setup.family.pk}/agreements"
    outsider = api_as(world.practitioner_south)
    assert outsider.get(base).status_code == 404
    assert outsider.get(f"{base}/{agreement.pk}").status_code == 404
    assert outsider.post(base, _agreement_body(setup)).status_code == 404
    assert outsider.get(f"/families/{setup.family.pk}/disclosure-log").status_code == 404
    assert api_as(world.practitioner).get(f"{base}/{uuid4()}").status_code == 404

    world.close(setup.episode)
    manager = api_as(world.manager)
    assert manager.get(base).status_code == 200
    assert manager.post(base, _agreement_body(setup)).status_code == 403


def test_a_gateway_decision_round_trip_with_four_eyes(world, setup, api_as):
    practitioner = api_as(world.practitioner)
    base = f"/families/{setup.family.pk}/sharing-decisions"
    created = practitioner.post(base, _decision_body(setup))
    assert created.status_code == 201
    body = created.json()
    assert body["authorisation"] == "pending" and body["gateway"] == "safeguarding"
    assert body["people"] == [str(setup.child.pk)]
    assert body["onward_restrictions"] == "Not to be passed on."
    assert body["decided_by"] == world.practitioner.display_name
    assert practitioner.get(base).json()[0]["id"] == body["id"]
    assert practitioner.get(f"{base}/{body['id']}").json() == body

    authorisation = f"{base}/{body['id']}/authorisation"
    assert practitioner.post(authorisation, {"authorise": True}).status_code == 403
    assert api_as(world.manager_south).post(authorisation, {"authorise": True}).status_code == 404
    manager = api_as(world.manager)
    no_reason = manager.post(authorisation, {"authorise": False})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "payload", "note"]

    refused = manager.post(authorisation, {"authorise": False, "note": "Ask the family first."})
    assert refused.status_code == 200
    assert refused.json()["authorisation"] == "refused"
    assert refused.json()["authorised_by"] == world.manager.display_name
    assert manager.post(authorisation, {"authorise": True}).status_code == 409


def test_a_manager_cannot_authorise_their_own_decision(world, setup, api_as):
    manager = api_as(world.manager)
    base = f"/families/{setup.family.pk}/sharing-decisions"
    decision = manager.post(base, _decision_body(setup)).json()
    response = manager.post(f"{base}/{decision['id']}/authorisation", {"authorise": True})
    assert response.status_code == 403
    assert SharingDecision.objects.get().authorisation == AuthorisationStatus.PENDING


def test_decision_errors_name_the_field(world, setup, api_as):
    api = api_as(world.practitioner)
    base = f"/families/{setup.family.pk}/sharing-decisions"
    no_gateway = api.post(base, _decision_body(setup, gateway=None))
    assert no_gateway.status_code == 422
    assert no_gateway.json()["errors"][0]["loc"] == ["body", "payload", "gateway"]
    other, _ = world.open_family(last_name="Ashgrove")
    stranger = api.post(base, _decision_body(setup, people=[str(other.members.first().pk)]))
    assert stranger.json()["errors"][0]["loc"] == ["body", "payload", "people", 0]
    assert api.post(base, _decision_body(setup, gateway="because")).status_code == 422
    not_a_decision = api.post(f"{base}/{uuid4()}/authorisation", {"authorise": True})
    assert not_a_decision.status_code == 404
    assert not SharingDecision.objects.exists()


def test_an_overdue_emergency_release_is_flagged(world, setup, api_as):
    decision = record_gateway_decision(world, setup, emergency=True)
    api = api_as(world.practitioner)
    url = f"/families/{setup.family.pk}/sharing-decisions/{decision.pk}"
    assert api.get(url).json()["authorisation_overdue"] is False
    make_overdue(decision)
    body = api.get(url).json()
    assert body["authorisation_overdue"] is True and body["emergency"] is True


def test_the_disclosure_log_for_the_family_and_one_person(world, setup, plan, api_as):
    log_plan_sent(world, setup)
    log_package_under_gateway(world, setup)
    api = api_as(world.practitioner)
    url = f"/families/{setup.family.pk}/disclosure-log"
    everything = api.get(url).json()
    assert everything["count"] == 3 and everything["pages"] == 1
    latest = everything["items"][0]
    assert latest["channel"] == "package" and latest["approved_by"] == world.manager.display_name
    assert latest["basis"].startswith("Safeguarding")
    assert latest["recipient_contact"] == "Ms Hollis Partridge"
    assert {item["basis"] for item in everything["items"][1:]} == {"Agreement"}

    parent = api.get(url, person=str(setup.parent.pk)).json()
    assert parent["count"] == 1 and parent["items"][0]["person_id"] == str(setup.parent.pk)
    other, _ = world.open_family(last_name="Ashgrove")
    assert api.get(url, person=str(other.members.first().pk)).status_code == 404
    assert api.get(url, person="nobody").status_code == 422
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="disclosure").last()
    assert event is not None and event.detail == {"count": 1, "list": True}


SHARING_RESPONSES = {
    ("/api/v1/families/{family_id}/agreements", "get"): {"200", "401", "404", "422"},
    ("/api/v1/families/{family_id}/agreements", "post"): {"201", "401", "403", "404", "409", "422"},
    ("/api/v1/families/{family_id}/agreements/{agreement_id}", "get"): {"200", "401", "404", "422"},
    ("/api/v1/families/{family_id}/agreements/{agreement_id}/withdrawal", "post"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/v1/families/{family_id}/sharing-decisions", "get"): {"200", "401", "404", "422"},
    ("/api/v1/families/{family_id}/sharing-decisions", "post"): {
        "201",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/v1/families/{family_id}/sharing-decisions/{decision_id}", "get"): {
        "200",
        "401",
        "404",
        "422",
    },
    ("/api/v1/families/{family_id}/sharing-decisions/{decision_id}/authorisation", "post"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/v1/families/{family_id}/disclosure-log", "get"): {"200", "401", "404", "422"},
}


def test_openapi_documents_the_sharing_operations(world):
    token = issue_token(actor=None, user=world.practitioner)
    spec = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}).json()
    operations = {
        (path, method): operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if (path, method) in SHARING_RESPONSES
    }
    assert set(operations) == set(SHARING_RESPONSES)
    all_ids = [op["operationId"] for methods in spec["paths"].values() for op in methods.values()]
    assert len(all_ids) == len(set(all_ids))
    for key, operation in operations.items():
        assert operation["summary"] and len(operation["description"]) > 40, key
        assert documented_statuses(operation) == SHARING_RESPONSES[key], key
        assert operation["security"] == [{"BearerToken": []}], key
        for status, response in operation["responses"].items():
            ref = response["content"]["application/json"]["schema"].get("$ref", "")
            if status == "422":
                assert ref.endswith("/ValidationErrorSchema"), key
            elif status.startswith("4"):
                assert ref.endswith("/Error"), key
