"""The plans operations are documented: summary, description, every response and its schema."""

from __future__ import annotations

import pytest
from django.test import Client

from earlyhelp.accounts.services import issue_token
from tests.api.conftest import documented_statuses

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/families/{family_id}/plans/{plan_id}"
READ = {"200", "401", "404", "422"}
WRITE = {"401", "403", "404", "409", "422"}
PLANS_RESPONSES = {
    ("/api/v1/families/{family_id}/plans", "get"): READ,
    ("/api/v1/families/{family_id}/plans", "post"): WRITE | {"201"},
    (PLAN, "get"): READ,
    (PLAN + "/versions/{number}", "get"): READ,
    (PLAN + "/outcomes", "post"): WRITE | {"201"},
    (PLAN + "/actions", "post"): WRITE | {"201"},
    (PLAN + "/actions/{action_id}", "patch"): WRITE | {"200"},
    (PLAN + "/members", "post"): WRITE | {"201"},
    (PLAN + "/reviews", "post"): WRITE | {"201"},
    (PLAN + "/objections", "post"): WRITE | {"201"},
    (PLAN + "/objections/{objection_id}/withdrawal", "post"): WRITE | {"200"},
    (PLAN + "/share", "post"): WRITE | {"200"},
}


def test_openapi_documents_the_plans_operations(world):
    token = issue_token(actor=None, user=world.practitioner)
    spec = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}).json()
    operations = {
        (path, method): operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if "plans" in operation.get("tags", [])
    }
    assert set(operations) == set(PLANS_RESPONSES)
    ids = [operation["operationId"] for operation in operations.values()]
    assert len(ids) == len(set(ids))
    for key, operation in operations.items():
        assert operation["summary"] and len(operation["description"]) > 40, key
        assert documented_statuses(operation) == PLANS_RESPONSES[key], key
        assert operation["security"] == [{"BearerToken": []}], key
        for status, response in operation["responses"].items():
            ref = response["content"]["application/json"]["schema"].get("$ref", "")
            if status == "422":
                assert ref.endswith("/ValidationErrorSchema"), key
            elif status.startswith("4"):
                assert ref.endswith("/Error"), key
