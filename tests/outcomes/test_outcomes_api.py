"""The outcomes API over HTTP with a real bearer token."""

from __future__ import annotations

import json

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.outcomes.models import OutcomeRating, SustainCheck
from tests.outcomes.conftest import DESCRIPTIONS, months_ago

pytestmark = pytest.mark.django_db


def _rating_body(outcome, **overrides):
    body = {
        "plan_outcome_id": str(outcome.pk),
        "rating": "achieved",
        "evidence": "School confirms full attendance.",
        "achieved_on": months_ago(7).isoformat(),
    }
    body.update(overrides)
    return body


def test_rate_an_outcome_then_re_rate_it(ready, api_as):
    api = api_as(ready.worker)
    url = f"/families/{ready.family.pk}/outcome-ratings"
    outcome = ready.outcomes[0]
    created = api.post(url, _rating_body(outcome))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["rating"] == "achieved" and body["lineage"] == str(outcome.lineage)
    assert body["headline_code"] == "getting_a_good_education"
    assert body["sustain_check"]["due_on"] == SustainCheck.objects.get().due_on.isoformat()
    assert body["sustain_check"]["is_due"] is True and body["sustain_check"]["result"] is None
    replaced = api.post(url, _rating_body(outcome, rating="partly_achieved", achieved_on=None))
    assert replaced.status_code == 200
    assert replaced.json()["id"] == body["id"] and replaced.json()["sustain_check"] is None
    assert OutcomeRating.objects.count() == 1 and not SustainCheck.objects.exists()
    listed = api.get(url)
    assert listed.status_code == 200
    assert [r["rating"] for r in listed.json()] == ["partly_achieved"]


def test_rating_errors_name_the_request_path(ready, api_as):
    api = api_as(ready.worker)
    url = f"/families/{ready.family.pk}/outcome-ratings"
    missing_date = api.post(url, _rating_body(ready.outcomes[0], achieved_on=None))
    assert missing_date.status_code == 422
    assert missing_date.json()["errors"][0]["loc"] == ["body", "payload", "achieved_on"]
    bad_rating = api.post(url, _rating_body(ready.outcomes[0], rating="mostly"))
    assert bad_rating.status_code == 422
    assert bad_rating.json()["errors"][0]["loc"][:3] == ["body", "payload", "rating"]
    stranger = api.post(url, _rating_body(ready.outcomes[0], plan_outcome_id=str(ready.family.pk)))
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["loc"] == ["body", "payload", "plan_outcome_id"]
    assert not OutcomeRating.objects.exists()


def test_rating_refusals(ready, world, api_as, anonymous_api):
    url = f"/families/{ready.family.pk}/outcome-ratings"
    body = _rating_body(ready.outcomes[0])
    assert anonymous_api.post(url, body).status_code == 401
    assert api_as(world.practitioner_south).post(url, body).status_code == 404
    assert api_as(world.practitioner_south).get(url).status_code == 404
    ready.close()
    manager = api_as(world.manager)
    assert manager.post(url, body).status_code == 201
    ready.sustain_all()
    conflict = manager.post(url, _rating_body(ready.outcomes[0], rating="not_achieved"))
    assert conflict.status_code == 409
    assert "sustain check" in conflict.json()["detail"]


def test_sustain_checks_listed_and_recorded(ready, world, api_as):
    ready.rate(ready.outcomes[0], achieved_on=months_ago(7))
    ready.rate(ready.outcomes[1], achieved_on=months_ago(1))
    ready.close()
    due, not_due = ready.checks()
    former_lead = api_as(world.practitioner)
    listed = former_lead.get(f"/families/{ready.family.pk}/sustain-checks")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [str(due.pk), str(not_due.pk)]
    assert [c["is_due"] for c in listed.json()] == [True, False]
    early = former_lead.post(
        f"/families/{ready.family.pk}/sustain-checks/{not_due.pk}/result",
        {"result": "sustained", "evidence": "Too early."},
    )
    assert early.status_code == 409 and "not due until" in early.json()["detail"]
    before_due = former_lead.post(
        f"/families/{ready.family.pk}/sustain-checks/{due.pk}/result",
        {
            "result": "sustained",
            "evidence": "Held.",
            "checked_on": months_ago(3).isoformat(),
        },
    )
    assert before_due.status_code == 422
    assert before_due.json()["errors"][0]["loc"] == ["body", "payload", "checked_on"]
    recorded = former_lead.post(
        f"/families/{ready.family.pk}/sustain-checks/{due.pk}/result",
        {"result": "not_sustained", "evidence": "Attendance fell again."},
    )
    assert recorded.status_code == 200
    assert recorded.json()["result"] == "not_sustained"
    assert recorded.json()["checked_by"] == world.practitioner.username
    stranger = api_as(world.practitioner_south)
    assert stranger.get(f"/families/{ready.family.pk}/sustain-checks").status_code == 404
    assert (
        stranger.post(
            f"/families/{ready.family.pk}/sustain-checks/{due.pk}/result",
            {"result": "sustained", "evidence": "x"},
        ).status_code
        == 404
    )


def test_claim_status(ready, world, api_as):
    api = api_as(ready.worker)
    url = f"/families/{ready.family.pk}/claim-status"
    response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "in_progress" and body["reasons"] == ["3 outcomes not yet rated"]
    assert "No automated decision" in body["advisory"]
    ready.achieve_all()
    ready.close()
    ready.sustain_all()
    assert api_as(world.manager).get(url).json()["code"] == "claimable"
    assert api_as(world.practitioner_south).get(url).status_code == 404


def test_the_api_audits_reads_without_personal_data(ready, api_as):
    ready.achieve_all()
    api = api_as(ready.worker)
    before = AuditEvent.objects.count()
    api.get(f"/families/{ready.family.pk}/outcome-ratings")
    api.get(f"/families/{ready.family.pk}/sustain-checks")
    api.get(f"/families/{ready.family.pk}/claim-status")
    events = AuditEvent.objects.order_by("seq")[before:]
    assert {e.object_type for e in events} >= {"family", "outcome_rating", "sustain_check"}
    text = json.dumps([e.detail for e in AuditEvent.objects.all()])
    for description in DESCRIPTIONS.values():
        assert description not in text


def test_the_operations_are_documented(ready, api_as):
    schema = api_as(ready.worker).get("/openapi.json").json()
    operations = {
        op["operationId"]: op
        for path in schema["paths"].values()
        for op in path.values()
        if "outcomes" in op.get("tags", [])
    }
    assert set(operations) == {
        "list_outcome_ratings",
        "rate_outcome",
        "list_sustain_checks",
        "record_sustain_check",
        "get_claim_status",
    }
    for op in operations.values():
        assert op["summary"] and op["description"]
        assert {"401", "404", "422"} <= set(op["responses"])
