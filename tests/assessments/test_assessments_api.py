"""/api/v1/families/{id}/assessments over HTTP with a bearer token: the same rules as the
pages, with 403 for the submitter authorising, 409 for the wrong state, 422 with paths."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.assessments.models import Assessment
from earlyhelp.audit.models import Action, AuditEvent
from tests.api.conftest import documented_statuses, last_seq
from tests.assessments.conftest import STARTED, open_case, ready, start, submitted

pytestmark = pytest.mark.django_db


def _base(case) -> str:
    return f"/families/{case.family.pk}/assessments"


def test_a_practitioner_runs_an_assessment_through_the_api(world, case, api_as):
    api = api_as(world.practitioner)
    created = api.post(_base(case), {"started_on": STARTED.isoformat()})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["organisation"] == "Exampleshire County Council"
    assert body["episode_id"] == str(case.episode.pk) and body["created_by"] == "pat"
    one = f"{_base(case)}/{body['id']}"

    patched = api.patch(one, {"strengths": "Close to grandparents.", "conclusion": "Support."})
    assert patched.status_code == 200
    assert patched.json()["strengths"] == "Close to grandparents."

    need_ids = []
    for person, code in [
        (case.child, "getting_a_good_education"),
        (case.parent, "secure_housing"),
        (case.parent, "financial_stability"),
    ]:
        added = api.post(
            f"{one}/needs",
            {
                "person_id": str(person.pk),
                "headline": code,
                "severity": "medium",
                "evidence": "Seen.",
            },
        )
        assert added.status_code == 201, added.json()
        assert added.json()["headline_label"]
        need_ids.append(added.json()["id"])
    changed = api.patch(f"{one}/needs/{need_ids[0]}", {"severity": "high"})
    assert changed.json()["severity"] == "high"

    read = api.get(one).json()
    assert read["eligibility"] == {
        "headline_count": 3,
        "threshold": 3,
        "eligible": True,
        "headlines_available": 10,
    }
    assert {n["headline"] for n in read["needs"]} == {
        "getting_a_good_education",
        "secure_housing",
        "financial_stability",
    }

    sent = api.post(f"{one}/submit", {})
    assert sent.status_code == 200
    assert sent.json()["status"] == "submitted"
    assert sent.json()["completed_on"] == timezone.localdate().isoformat()
    assert sent.json()["submitted_by"] == "pat"

    authorised = api_as(world.manager).post(f"{one}/authorise", {})
    assert authorised.status_code == 200
    assert authorised.json()["status"] == "authorised"
    assert authorised.json()["authorised_by"] == "morgan"

    listing = api.get(_base(case)).json()
    assert listing["count"] == 1 and listing["pages"] == 1
    assert listing["items"][0]["headline_count"] == 3
    assert listing["items"][0]["status"] == "authorised"


def test_the_submitter_cannot_authorise_403(world, case, api_as):
    assessment = submitted(world, case, actor=world.manager)
    response = api_as(world.manager).post(f"{_base(case)}/{assessment.pk}/authorise", {})
    assert response.status_code == 403
    assert "authorisation needs two people" in response.json()["detail"]
    assert Assessment.objects.get().status == "submitted"


def test_the_wrong_state_is_409(world, case, api_as):
    assessment = start(world, case)
    one = f"{_base(case)}/{assessment.pk}"
    manager = api_as(world.manager)
    practitioner = api_as(world.practitioner)
    assert manager.post(f"{one}/authorise", {}).status_code == 409
    assert manager.post(f"{one}/return", {"comment": "x"}).status_code == 409
    second = practitioner.post(_base(case), {"started_on": STARTED.isoformat()})
    assert second.status_code == 409 and "already in progress" in second.json()["detail"]
    submitted_one = submitted(world, open_case(world, last_name="Later"))
    late = f"/families/{submitted_one.family_id}/assessments/{submitted_one.pk}"
    assert practitioner.patch(late, {"analysis": "late"}).status_code == 409
    assert practitioner.post(f"{late}/submit", {}).status_code == 409


def test_invalid_input_is_422_with_its_path(world, case, api_as):
    api = api_as(world.practitioner)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = api.post(_base(case), {"started_on": future})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "started_on"]
    bad = api.post(_base(case), {"started_on": "not a date"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"][:3] == ["body", "payload", "started_on"]

    assessment = start(world, case)
    one = f"{_base(case)}/{assessment.pk}"
    stranger = api.post(
        f"{one}/needs",
        {
            "person_id": str(uuid.uuid4()),
            "headline": "secure_housing",
            "severity": "low",
            "evidence": "x",
        },
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["loc"] == ["body", "payload", "person_id"]
    unknown = api.post(
        f"{one}/needs",
        {"person_id": str(case.child.pk), "headline": "nope", "severity": "low", "evidence": "x"},
    )
    assert unknown.json()["errors"][0]["loc"] == ["body", "payload", "headline"]
    severity = api.post(
        f"{one}/needs",
        {
            "person_id": str(case.child.pk),
            "headline": "secure_housing",
            "severity": "extreme",
            "evidence": "x",
        },
    )
    assert severity.status_code == 422
    assert severity.json()["errors"][0]["loc"][:3] == ["body", "payload", "severity"]

    nothing = api.post(f"{one}/submit", {})
    assert nothing.status_code == 422
    assert nothing.json()["errors"][0]["loc"] == ["needs"]
    early = api.post(f"{one}/submit", {"completed_on": (STARTED - timedelta(days=1)).isoformat()})
    assert early.json()["errors"][0]["loc"] == ["body", "payload", "completed_on"]


def test_return_needs_a_comment_and_sends_it_back(world, case, api_as):
    assessment = submitted(world, case)
    one = f"{_base(case)}/{assessment.pk}"
    manager = api_as(world.manager)
    empty = manager.post(f"{one}/return", {"comment": ""})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["loc"] == ["body", "payload", "comment"]
    returned = manager.post(f"{one}/return", {"comment": "Add the child's views."})
    assert returned.status_code == 200
    body = returned.json()
    assert body["status"] == "draft" and body["returned_comment"] == "Add the child's views."
    assert body["returned_by"] == "morgan" and body["completed_on"] is None


def test_a_need_is_removed(world, case, api_as):
    assessment = ready(world, case)
    need = assessment.needs.first()
    api = api_as(world.practitioner)
    response = api.delete(f"{_base(case)}/{assessment.pk}/needs/{need.pk}")
    assert response.status_code == 204
    assert assessment.needs.count() == 2
    assert api.delete(f"{_base(case)}/{assessment.pk}/needs/{need.pk}").status_code == 404


@pytest.mark.parametrize("who", ["practitioner_south", "duty", "dpo", "admin", "partner"])
def test_outside_the_family_everything_is_404(world, case, api_as, who):
    assessment = submitted(world, case)
    api = api_as(getattr(world, who))
    one = f"{_base(case)}/{assessment.pk}"
    assert api.get(_base(case)).status_code == 404
    assert api.get(one).status_code == 404
    assert api.post(f"{one}/authorise", {}).status_code == 404
    assert api.post(_base(case), {"started_on": STARTED.isoformat()}).status_code == 404


def test_a_practitioner_cannot_authorise_403(world, case, api_as):
    assessment = submitted(world, case)
    response = api_as(world.practitioner).post(f"{_base(case)}/{assessment.pk}/authorise", {})
    assert response.status_code == 403


def test_reading_is_audited(world, case, api_as):
    assessment = start(world, case)
    api = api_as(world.practitioner)
    seq = last_seq()
    assert api.get(f"{_base(case)}/{assessment.pk}").status_code == 200
    events = AuditEvent.objects.filter(seq__gt=seq)
    assert {(e.action, e.object_type) for e in events} == {
        (Action.VIEW, "family"),
        (Action.VIEW, "assessment"),
    }


def test_awaiting_authorisation_for_managers(world, case, api_as):
    assessment = submitted(world, case)
    body = api_as(world.manager).get("/assessments/awaiting-authorisation").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(assessment.pk) and item["team"] == "north"
    assert item["submitted_by"] == "pat" and item["headline_count"] == 3
    assert (
        api_as(world.manager_south).get("/assessments/awaiting-authorisation").json()["count"] == 0
    )
    denied = api_as(world.practitioner).get("/assessments/awaiting-authorisation")
    assert denied.status_code == 403


def test_the_headlines_are_listed(world, api_as):
    body = api_as(world.practitioner).get("/assessment-headlines").json()
    assert len(body) == 10 and body[0]["code"] == "getting_a_good_education"
    assert body[0]["descriptor"] and body[0]["active"] is True


def test_the_operations_are_documented(world, client: Client):
    client.force_login(world.practitioner)
    schema = client.get("/api/v1/openapi.json").json()
    one = "/api/v1/families/{family_id}/assessments/{assessment_id}"
    operations = {
        ("get", "/api/v1/families/{family_id}/assessments"): {"200", "401", "404", "422"},
        ("post", "/api/v1/families/{family_id}/assessments"): {
            "201",
            "401",
            "403",
            "404",
            "409",
            "422",
        },
        ("patch", one): {"200", "401", "403", "404", "409", "422"},
        ("post", one + "/authorise"): {"200", "401", "403", "404", "409", "422"},
        ("post", one + "/return"): {"200", "401", "403", "404", "409", "422"},
        ("post", one + "/submit"): {"200", "401", "403", "404", "409", "422"},
        ("delete", one + "/needs/{need_id}"): {"204", "401", "403", "404", "409", "422"},
    }
    for (method, path), codes in operations.items():
        operation = schema["paths"][path][method]
        assert operation["tags"] == ["assessments"]
        assert operation["summary"] and operation["description"]
        assert documented_statuses(operation) >= codes, (method, path)
