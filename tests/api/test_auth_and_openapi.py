"""Bearer-token authentication on every operation, and the guarded OpenAPI document."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from earlyhelp.accounts.services import issue_token, revoke_tokens
from tests.api.conftest import ApiClient, documented_statuses, referral_body

pytestmark = pytest.mark.django_db

OPERATIONS = [
    ("post", "/referrals"),
    ("get", "/referrals/{id}"),
    ("post", "/referrals/{id}/decision"),
    ("get", "/families/{id}"),
    ("post", "/people/search"),
]


def _call(api: ApiClient, method: str, path: str):  # type: ignore[no-untyped-def]
    path = path.format(id=uuid.uuid4())
    if path == "/people/search":
        return api.post(path, {"q": "Quillfeather"})
    if method == "post":
        return api.post(path, referral_body() if path == "/referrals" else {"outcome": "nfa"})
    return api.get(path, q="Quillfeather")


def _assert_401(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "token" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_needs_a_token(world, method, path):
    _assert_401(_call(ApiClient(None), method, path))


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_unknown_token_is_refused(world, method, path):
    _assert_401(_call(ApiClient("eh_not-a-real-token"), method, path))


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_a_revoked_token_is_refused(world, method, path):
    token = issue_token(actor=None, user=world.duty)
    revoke_tokens(actor=None, user=world.duty)
    _assert_401(_call(ApiClient(token), method, path))


def test_a_token_of_a_deactivated_user_is_refused(world):
    token = issue_token(actor=None, user=world.duty)
    world.duty.is_active = False
    world.duty.save()
    _assert_401(ApiClient(token).post("/people/search", dict(q="Quillfeather")))


def test_a_session_alone_does_not_authenticate_operations(world, login):
    # Session cookies would need CSRF protection; the operations take tokens only.
    client = login(world.duty)
    response = client.post(
        "/api/v1/people/search", {"q": "Quillfeather"}, content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_description_needs_a_token_or_a_signed_in_user(world, login, url):
    anonymous = Client().get(url)
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"]
    bad_token = Client().get(url, headers={"Authorization": "Bearer eh_nope"})
    assert bad_token.status_code == 401

    token = issue_token(actor=None, user=world.partner)
    assert Client().get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert login(world.analyst).get(url).status_code == 200


EXPECTED_RESPONSES = {
    ("/api/v1/referrals", "post"): {"201", "401", "403", "422"},
    ("/api/v1/referrals/{referral_id}", "get"): {"200", "401", "404", "422"},
    ("/api/v1/referrals/{referral_id}/decision", "post"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/v1/families/{family_id}", "get"): {"200", "401", "404", "422"},
    ("/api/v1/people/search", "post"): {"200", "401", "403", "422"},
}


def test_openapi_documents_every_operation_and_its_errors(world):
    token = issue_token(actor=None, user=world.duty)
    schema = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    spec = schema.json()

    operations = {
        (path, method): operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    assert set(EXPECTED_RESPONSES) <= set(operations)
    operation_ids = [operation["operationId"] for operation in operations.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for key, operation in operations.items():
        assert operation["summary"] and len(operation["description"]) > 40, key
        if key in EXPECTED_RESPONSES:
            assert documented_statuses(operation) == EXPECTED_RESPONSES[key], key
        # Every operation needs a token and says so; every one can fail with 401.
        assert "401" in operation["responses"], key
        assert operation["security"] == [{"BearerToken": []}], key
        for status, response in operation["responses"].items():
            if not status.startswith("4"):
                continue  # success bodies vary (JSON, a PDF, nothing for 204)
            ref = response["content"]["application/json"]["schema"].get("$ref", "")
            if status == "422":
                assert ref.endswith("/ValidationErrorSchema"), key
            elif status.startswith("4"):
                assert ref.endswith("/Error"), key
    channel = spec["components"]["schemas"]["ReferralIn"]["properties"]["channel"]
    assert "online_form" not in channel["enum"]
