"""An HTTP client for /api/v1/ that sends a real bearer token, and a valid referral body."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.identifiers import is_valid_nhs_number


def nhs_number(prefix: str) -> str:
    """A valid NHS number in the 999 test range: the prefix plus its check digit."""
    return next(prefix + str(d) for d in range(10) if is_valid_nhs_number(prefix + str(d)))


NHS_CHILD = nhs_number("999765432")
NHS_PARENT = nhs_number("999104538")


class ApiClient:
    """Django's test client speaking JSON with ``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self._send("post", path, body)

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self._send("patch", path, body)

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self._send("put", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.headers)

    def _send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(self.client, method)(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def referral_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "phone",
        "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "referrer": {
            "name": "Ms Hollis Partridge",
            "organisation": "Brookfield Primary School",
            "role": "Designated safeguarding lead",
            "phone": "01632 960123",
            "email": "h.partridge@example.org",
        },
        "family_aware": True,
        "family_consents": True,
        "address": {"line1": "12 Larkspur Row", "town": "Exampleton", "postcode": "ab12xy"},
        "people": [
            {
                "first_name": "Ottoline",
                "last_name": "Quillfeather",
                "date_of_birth": "2015-03-14",
                "sex": "female",
                "role": "child",
                "nhs_number": f"{NHS_CHILD[:3]} {NHS_CHILD[3:6]} {NHS_CHILD[6:]}",
            },
            {
                "first_name": "Marigold",
                "last_name": "Quillfeather",
                "date_of_birth": "1988-07-02",
                "sex": "female",
                "role": "parent_or_carer",
                "nhs_number": NHS_PARENT,
            },
        ],
        "reasons": ["getting_a_good_education", "improved_family_relationships"],
        "summary": "Attendance has fallen this term; mum asked the school for help.",
    }
    body.update(overrides)
    return body


# Names, identifiers and address parts from the bodies above: none may reach the audit trail.
SENSITIVE = [
    "Ottoline",
    "Quillfeather",
    "Marigold",
    "Partridge",
    "Larkspur",
    "Zoë",
    NHS_CHILD,
    NHS_PARENT,
    "AB1 2XY",
    "AB12XY",
]


def audit_text() -> str:
    rows = AuditEvent.objects.values_list("object_id", "purpose", "detail")
    return json.dumps([list(row) for row in rows], default=str).lower()


def last_seq() -> int:
    event = AuditEvent.objects.order_by("-seq").first()
    return event.seq if event else 0


def documented_statuses(operation: dict[str, Any]) -> set[str]:
    """The statuses an OpenAPI operation documents, less the 415 that every operation with a
    request body documents (and only those: checked here; see tests/api/test_bad_input.py)."""
    statuses = set(operation["responses"])
    assert ("415" in statuses) == ("requestBody" in operation), operation["operationId"]
    return statuses - {"415"}
