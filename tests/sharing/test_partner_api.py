"""The partner API (/api/v1/partner/...): the same checks as the pages, and the staff
operations closed to a partner's token, so the API cannot bypass the sharing check."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from earlyhelp.accounts.services import issue_token
from earlyhelp.plans.models import PlanAction
from earlyhelp.sharing.models import DisclosureLogEntry, PartnerContribution, Scope
from tests.api.conftest import documented_statuses
from tests.sharing.test_partner_access import (
    NEVER_SHOWN,
    agree_scope,
    authorised_assessment,
    hide_in_record,
    link,
    object_to_sharing,
    withdraw_all,
)

pytestmark = pytest.mark.django_db

FAMILY = "/partner/families/{}"


def test_a_partner_lists_their_families(world, setup, bare_plan, api_as):
    link(world, setup)
    api = api_as(world.partner)
    response = api.get("/partner/families")
    assert response.status_code == 200
    assert response.json() == []

    agree_scope(world, setup, Scope.PLAN)
    rows = api.get("/partner/families").json()
    assert [row["id"] for row in rows] == [str(setup.family.pk)]
    assert rows[0]["reference"] == setup.family.reference
    assert rows[0]["plan_version"] == 1
    assert rows[0]["my_open_actions"] == 1


def test_the_partner_list_is_for_partners(world, setup, plan, api_as):
    response = api_as(world.practitioner).get("/partner/families")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_partner_reads_the_plan(world, setup, plan, api_as):
    link(world, setup)
    response = api_as(world.partner).get(FAMILY.format(setup.family.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["scopes"] == ["plan"]
    assert body["assessments"] is None and body["case_notes"] is None
    assert [a["what"] for a in body["my_actions"]] == ["Weekly attendance check-in"]
    assert {o["description"] for o in body["outcomes"]} == {
        "Zoë is in school every day and on time.",
        "Mornings are calm at home.",
    }
    assert DisclosureLogEntry.objects.filter(channel="partner_read").count() == 2


def test_withdrawn_or_objected_gives_404_and_no_new_log(world, setup, plan, api_as):
    link(world, setup)
    api = api_as(world.partner)
    assert api.get(FAMILY.format(setup.family.pk)).status_code == 200
    logged = DisclosureLogEntry.objects.count()
    object_to_sharing(world, setup, plan)
    assert api.get(FAMILY.format(setup.family.pk)).status_code == 404
    withdraw_all(world, setup)
    assert api.get(FAMILY.format(setup.family.pk)).status_code == 404
    assert api.get("/partner/families").json() == []
    assert DisclosureLogEntry.objects.count() == logged


def test_case_notes_appear_only_with_their_scope(world, setup, plan, api_as):
    link(world, setup)
    hide_in_record(world, setup)
    api = api_as(world.partner)
    assert api.get(FAMILY.format(setup.family.pk)).json()["case_notes"] is None
    agree_scope(world, setup, Scope.CASE_NOTES)
    notes = api.get(FAMILY.format(setup.family.pk)).json()["case_notes"]
    assert [n["contact_type"] for n in notes] == ["Home visit"]


def test_no_address_and_no_excluded_person_in_partner_json(world, setup, plan, api_as):
    link(world, setup)
    hide_in_record(world, setup)
    authorised_assessment(world, setup)
    agree_scope(world, setup, Scope.CASE_NOTES)
    agree_scope(world, setup, Scope.ASSESSMENTS)
    api = api_as(world.partner)
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    action.what = "Attendance check-in; Wystan brings Zoë on Mondays"
    action.save()
    responses = [
        api.get("/partner/families"),
        api.get(FAMILY.format(setup.family.pk)),
        api.patch(
            FAMILY.format(setup.family.pk) + f"/actions/{action.pk}", {"status": "in_progress"}
        ),
        api.post(FAMILY.format(setup.family.pk) + "/contributions", {"text": "Going well."}),
    ]
    body = responses[1].json()
    assert body["case_notes"] and body["assessments"]
    for response in responses:
        assert response.status_code in (200, 201)
        text = json.dumps(response.json(), ensure_ascii=False).lower()
        for secret in NEVER_SHOWN:
            assert secret.lower() not in text, secret
    assert "[other household member]" in responses[2].json()["what"]


def test_a_partner_updates_only_their_own_action(world, setup, plan, api_as):
    link(world, setup)
    api = api_as(world.partner)
    mine = PlanAction.objects.get(owner_contact=setup.teacher)
    parents = PlanAction.objects.get(owner_person=setup.parent)
    base = FAMILY.format(setup.family.pk) + "/actions/{}"

    response = api.patch(base.format(mine.pk), {"status": "done"})
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    mine.refresh_from_db()
    assert mine.status == "done"

    assert api.patch(base.format(parents.pk), {"status": "done"}).status_code == 404
    parents.refresh_from_db()
    assert parents.status == "not_started"

    bad = api.patch(base.format(mine.pk), {"status": "soon"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"][:3] == ["body", "payload", "status"]


def test_a_partner_adds_a_contribution(world, setup, plan, api_as):
    link(world, setup)
    api = api_as(world.partner)
    url = FAMILY.format(setup.family.pk) + "/contributions"
    response = api.post(url, {"text": "Zoë joined the breakfast club."})
    assert response.status_code == 201
    assert response.json()["text"] == "Zoë joined the breakfast club."
    assert PartnerContribution.objects.get().contact == setup.teacher

    empty = api.post(url, {"text": "   "})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["loc"] == ["body", "payload", "text"]


def test_the_api_cannot_bypass_the_check(world, setup, plan, api_as):
    """The partner's token opens none of the staff operations on the family, even though
    the plan names them and the family agreed to their organisation seeing it."""
    link(world, setup)
    api = api_as(world.partner)
    family = setup.family.pk
    for path in [
        f"/families/{family}",
        f"/families/{family}/plans",
        f"/families/{family}/plans/{plan.pk}",
        f"/families/{family}/timeline",
        f"/families/{family}/contacts",
        f"/families/{family}/assessments",
    ]:
        assert api.get(path).status_code == 404, path
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    staff_patch = api.patch(
        f"/families/{family}/plans/{plan.pk}/actions/{action.pk}", {"status": "done"}
    )
    assert staff_patch.status_code == 404
    action.refresh_from_db()
    assert action.status == "not_started"
    # ...and the partner operations refuse a family the plan does not name them in.
    other = api_as(world.practitioner)
    assert other.get(FAMILY.format(family)).status_code == 404


def test_every_operation_needs_a_token(world, setup, plan):
    anonymous = Client()
    for method, path in [
        ("get", "/api/v1/partner/families"),
        ("get", f"/api/v1/partner/families/{setup.family.pk}"),
    ]:
        assert getattr(anonymous, method)(path).status_code == 401


PARTNER_RESPONSES = {
    ("/api/v1/partner/families", "get"): {"200", "401", "403"},
    ("/api/v1/partner/families/{family_id}", "get"): {"200", "401", "404", "422"},
    ("/api/v1/partner/families/{family_id}/actions/{action_id}", "patch"): {
        "200",
        "401",
        "404",
        "409",
        "422",
    },
    ("/api/v1/partner/families/{family_id}/contributions", "post"): {
        "201",
        "401",
        "404",
        "422",
    },
}


def test_openapi_documents_the_partner_operations(world):
    token = issue_token(actor=None, user=world.partner)
    spec = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}).json()
    operations = {
        (path, method): operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if "partner" in operation.get("tags", [])
    }
    assert set(operations) == set(PARTNER_RESPONSES)
    all_ids = [op["operationId"] for methods in spec["paths"].values() for op in methods.values()]
    assert len(all_ids) == len(set(all_ids))
    for key, operation in operations.items():
        assert operation["summary"] and len(operation["description"]) > 40, key
        assert documented_statuses(operation) == PARTNER_RESPONSES[key], key
        assert operation["security"] == [{"BearerToken": []}], key
        for status, response in operation["responses"].items():
            ref = response["content"]["application/json"]["schema"].get("$ref", "")
            if status == "422":
                assert ref.endswith("/ValidationErrorSchema"), key
            elif status.startswith("4"):
                assert ref.endswith("/Error"), key
