"""The plans API over HTTP with bearer tokens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.plans.models import FamilyPlan
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _base(setup) -> str:
    return f"/families/{setup.family.pk}/plans"


def _plan_path(setup, plan) -> str:
    return f"{_base(setup)}/{plan.pk}"


def test_start_read_and_list_a_plan(world, setup, api_as):
    api = api_as(world.practitioner)
    response = api.post(
        _base(setup),
        {
            "review_interval_weeks": 8,
            "outcomes": [
                {
                    "headline_code": "getting_a_good_education",
                    "description": "In school every day.",
                    "people": [str(setup.child.pk)],
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"]["number"] == 1 and body["version"]["is_current"] is True
    assert body["review_interval_weeks"] == 8
    assert body["next_review_due"] == str(timezone.localdate() + timedelta(weeks=8))
    outcome = body["version"]["outcomes"][0]
    assert outcome["people"] == [str(setup.child.pk)] and outcome["lineage"]
    assert body["sharing_objected"] is False
    listed = api.get(_base(setup)).json()
    assert [p["id"] for p in listed] == [body["id"]] and listed[0]["current_version"] == 1
    again = api.get(f"{_base(setup)}/{body['id']}")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_bad_input_names_its_path(world, setup, api_as):
    api = api_as(world.practitioner)
    response = api.post(
        _base(setup),
        {"outcomes": [{"headline_code": "nonsense", "description": "x"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == [
        "body",
        "payload",
        "outcomes",
        0,
        "headline_code",
    ]
    too_long = api.post(_base(setup), {"review_interval_weeks": 60})
    assert too_long.status_code == 422
    assert not FamilyPlan.objects.exists()


def test_a_second_plan_and_a_closed_episode_conflict(world, setup, api_as):
    api = api_as(world.practitioner)
    assert api.post(_base(setup), {}).status_code == 201
    assert api.post(_base(setup), {}).status_code == 409
    family, _ = world.closed_family(last_name="Cedarfell")
    assert api_as(world.manager).post(f"/families/{family.pk}/plans", {}).status_code == 409


def test_out_of_scope_and_anonymous(world, plan, setup, api_as):
    path = _plan_path(setup, plan)
    assert api_as(world.practitioner_south).get(path).status_code == 404
    assert api_as(world.partner).get(_base(setup)).status_code == 404
    assert ApiClient(None).get(path).status_code == 401
    assert api_as(world.practitioner_south).post(f"{path}/share", {}).status_code == 404


def test_editing_the_current_version(world, plan, setup, api_as):
    api = api_as(world.practitioner)
    path = _plan_path(setup, plan)
    outcome = api.post(
        f"{path}/outcomes", {"headline_code": "secure_housing", "description": "A secure home."}
    )
    assert outcome.status_code == 201 and outcome.json()["position"] == 2
    due = str(timezone.localdate() + timedelta(days=5))
    both = api.post(
        f"{path}/actions",
        {
            "what": "Visit",
            "due_on": due,
            "owner_person_id": str(setup.parent.pk),
            "owner_contact_id": str(setup.nurse.pk),
        },
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["loc"] == ["body", "payload", "owner_person_id"]
    action = api.post(
        f"{path}/actions",
        {
            "what": "Visit",
            "due_on": due,
            "owner_contact_id": str(setup.nurse.pk),
            "outcome_id": outcome.json()["id"],
        },
    )
    assert action.status_code == 201 and action.json()["status"] == "not_started"
    patched = api.patch(f"{path}/actions/{action.json()['id']}", {"status": "in_progress"})
    assert patched.status_code == 200 and patched.json()["status"] == "in_progress"
    assert api.patch(f"{path}/actions/{action.json()['id']}", {"status": "nope"}).status_code == 422
    member = api.post(
        f"{path}/members", {"person_id": str(setup.child.pk), "role_in_plan": "Child"}
    )
    assert member.status_code == 201 and member.json()["name"] == "Zoë Quillfeather"
    duplicate = api.post(f"{path}/members", {"contact_id": str(setup.teacher.pk)})
    assert duplicate.status_code == 409
    read = api.get(path).json()["version"]
    assert len(read["outcomes"]) == 3 and len(read["actions"]) == 3 and len(read["members"]) == 5
    manager_of_another_team = api_as(world.manager_south)
    assert manager_of_another_team.post(f"{path}/members", {}).status_code == 404


def test_a_review_makes_version_two_and_old_actions_are_read_only(world, plan, setup, api_as):
    api = api_as(world.practitioner)
    path = _plan_path(setup, plan)
    current = api.get(path).json()["version"]
    first_action = current["actions"][0]["id"]
    response = api.post(
        f"{path}/reviews",
        {
            "held_on": str(timezone.localdate()),
            "summary": "Good progress.",
            "change_summary": "First action done.",
            "progress": [
                {"outcome_id": o["id"], "rating": "on_track"} for o in current["outcomes"]
            ],
            "action_changes": [{"action_id": first_action, "status": "done"}],
        },
    )
    assert response.status_code == 201, response.content
    review = response.json()
    assert (review["reviewed_version"], review["new_version"]) == (1, 2)
    assert review["next_review_due"] == str(timezone.localdate() + timedelta(weeks=6))
    version_one = api.get(f"{path}/versions/1").json()
    assert version_one["is_current"] is False
    assert version_one["actions"][0]["status"] == "not_started"
    version_two = api.get(f"{path}/versions/2").json()
    lineages = {a["lineage"]: a["status"] for a in version_two["actions"]}
    assert lineages[version_one["actions"][0]["lineage"]] == "done"
    assert api.get(f"{path}/versions/3").status_code == 404
    stale = api.patch(f"{path}/actions/{first_action}", {"status": "stopped"})
    assert stale.status_code == 409
    missing = api.post(
        f"{path}/reviews",
        {
            "held_on": str(timezone.localdate()),
            "summary": "s",
            "change_summary": "c",
            "progress": [],
        },
    )
    assert missing.status_code == 422


def test_objection_blocks_share_until_withdrawn(
    world, plan, setup, api_as, mailoutbox, django_capture_on_commit_callbacks
):
    api = api_as(world.practitioner)
    path = _plan_path(setup, plan)
    objection = api.post(
        f"{path}/objections",
        {"objected_by": str(setup.parent.pk), "objected_on": str(timezone.localdate())},
    )
    assert objection.status_code == 201 and objection.json()["active"] is True
    assert api.get(path).json()["sharing_objected"] is True
    refused = api.post(f"{path}/share", {})
    assert refused.status_code == 409 and "objected" in refused.json()["detail"]
    assert mailoutbox == []
    withdrawn = api.post(f"{path}/objections/{objection.json()['id']}/withdrawal", {})
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    again = api.post(f"{path}/objections/{objection.json()['id']}/withdrawal", {})
    assert again.status_code == 409
    outsider = api.post(f"{path}/share", {"recipients": [str(setup.worker.pk)]})
    assert outsider.status_code == 422
    assert outsider.json()["errors"][0]["loc"] == ["body", "payload", "recipients", 0]
    with django_capture_on_commit_callbacks(execute=True):
        shared = api.post(f"{path}/share", {"recipients": [str(setup.teacher.pk)]})
    assert shared.status_code == 200
    assert shared.json() == {
        "version": 1,
        "sent_to": [str(setup.teacher.pk)],
        "not_sent": 1,
        "sent_to_addresses": [setup.teacher.email],
    }
    assert [m.to for m in mailoutbox] == [["h.partridge@brookfield.example.org"]]


def test_no_names_reach_the_audit_trail(
    world, plan, setup, api_as, django_capture_on_commit_callbacks
):
    api = api_as(world.practitioner)
    path = _plan_path(setup, plan)
    api.get(path)
    api.post(
        f"{path}/objections",
        {
            "objected_by": str(setup.parent.pk),
            "objected_on": str(timezone.localdate()),
            "note": "Marigold does not want Brookfield to see it.",
        },
    )
    dumped = json.dumps(
        list(AuditEvent.objects.values_list("object_id", "purpose", "detail")), default=str
    ).lower()
    for secret in ("quillfeather", "marigold", "zoë", "brookfield", "partridge", "routine"):
        assert secret not in dumped
