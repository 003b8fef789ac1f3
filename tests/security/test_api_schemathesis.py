"""schemathesis against the OpenAPI document the API serves at /api/v1/openapi.json.

Every operation gets a bounded number of generated requests (valid and invalid), sent with
the token of each of three roles (FUZZED_ROLES) in a world with data, through Django's WSGI
handler in this process (so the test database is the one the requests see). Each response
must not be a server error, its status code must be one the operation documents, and its body
must match the documented schema.

Generation is deterministic (``derandomize``): the same requests every run, so a failure
reproduces. The explicit-example and fuzzing phases run; the coverage phase (every boundary of
every field, unbounded by ``max_examples``) is left off to keep the run within minutes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from earlyhelp.accounts.services import issue_token
from earlyhelp.api import api
from earlyhelp.referrals.models import Referral

MAX_EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The same document the view serves (checked against the served one below).
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(),
    config=schemathesis.Config.from_dict(
        {"generation": {"deterministic": True}, "phases": {"coverage": {"enabled": False}}}
    ),
)
schema.app = WSGIHandler()

# Ids of records the signed-in practitioner may see, filled in by the `signed_in` fixture, so
# that generated requests reach past the 404 of an unknown id into the operations' logic.
REAL_IDS: dict[str, str] = {}


@schema.hook("map_path_parameters")
def use_real_ids(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    if not path_parameters:
        return path_parameters
    for name, value in REAL_IDS.items():
        if name in path_parameters:
            path_parameters[name] = value
    return path_parameters


# The roles whose tokens every operation is fuzzed with: the family's own practitioner (reaches
# the operations' logic), their manager (authorisations, closures) and the duty desk (triage;
# the family's other pages answer 404). The suite runs on SQLite and on PostgreSQL, where NUL
# characters, year-1 dates and over-long strings were server errors (issue 12, items 13, 20).
FUZZED_ROLES = ["practitioner", "manager", "duty"]


@pytest.fixture(params=FUZZED_ROLES)
def signed_in(world, request) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Headers of one role's token, an open North family, and the real ids to aim at."""
    family, episode = world.open_family()
    referral = Referral.objects.get(family=family, episode=episode)
    REAL_IDS.update(family_id=str(family.pk), referral_id=str(referral.pk))
    # Django's test client keeps the test's transaction open across requests by not closing
    # connections at request boundaries; do the same for the bare WSGI handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        token = issue_token(actor=None, user=getattr(world, request.param))
        yield {"Authorization": f"Bearer {token}", "Host": "testserver"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        REAL_IDS.clear()


def test_the_tested_document_is_the_served_one(world) -> None:  # type: ignore[no-untyped-def]
    token = issue_token(actor=None, user=world.practitioner)
    served = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert served.status_code == 200
    assert json.loads(json.dumps(schema.raw_schema)) == served.json()
    assert len(list(schema.get_all_operations())) >= 50


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, signed_in: dict[str, str]) -> None:
    case.call_and_validate(headers=signed_in, checks=CHECKS)


def test_a_body_that_is_not_json_is_invalid_input_not_a_bad_request(world) -> None:  # type: ignore[no-untyped-def]
    # Found by the run above: django-ninja answered 400, which no operation documents.
    token = issue_token(actor=None, user=world.duty)
    response = Client().post(
        "/api/v1/referrals",
        b"\x00\xff not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body"], "msg": "The request body is not valid JSON."}
    ]
