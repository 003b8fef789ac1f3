"""Every page (from the URL resolver) and every API operation (from the OpenAPI document) as
a request the authorisation matrix can send, with its path filled from one record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from earlyhelp.accounts.models import User
from tests.factories import PASSWORD

# A path parameter whose name means something else on some pages: page name -> {param: key
# in Record.ids}.
PAGE_PARAMS: dict[str, dict[str, str]] = {
    "referrals:attachment": {"attachment_id": "referral_attachment_id"},
    "contacts:attachment": {"attachment_id": "contact_attachment_id"},
    "partners:contact_edit": {"contact_id": "partner_contact_id"},
    "referrals:public_person": {"number": "public_person_number"},
    "referrals:public_person_remove": {"number": "public_person_number"},
}
API_PARAMS: dict[str, dict[str, str]] = {
    "update_partner_contact": {"contact_id": "partner_contact_id"},
}


@dataclass(frozen=True)
class Target:
    """One request: a page (``kind="page"``, named by its URL name) or an API operation
    (``kind="api"``, named by its operationId)."""

    kind: str
    name: str
    method: str
    template: str  # the page's route, or the operation's OpenAPI path
    params: tuple[str, ...]
    has_body: bool = False

    def path(self, ids: dict[str, Any]) -> str:
        if self.kind == "page":
            overrides = PAGE_PARAMS.get(self.name, {})
            kwargs = {p: ids[overrides.get(p, p)] for p in self.params}
            return reverse(self.name, kwargs=kwargs or None)
        overrides = API_PARAMS.get(self.name, {})
        path = self.template
        for p in self.params:
            path = path.replace("{" + p + "}", str(ids[overrides.get(p, p)]))
        return path


def _walk(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found.extend(_walk(entry, inner))
        else:
            found.append((namespace, entry))
    return found


def page_targets() -> list[Target]:
    """Every named URL pattern outside the API (whose operations come from OpenAPI), plus a
    placeholder for any unnamed pattern so that it, too, fails for want of a rule."""
    targets = []
    for namespace, pattern in _walk(get_resolver()):
        if namespace == "api":
            continue
        if not pattern.name:
            targets.append(Target("page", f"<unnamed {pattern.pattern}>", "GET", "", ()))
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        route = pattern.pattern
        params = tuple(route.converters) if isinstance(route, RoutePattern) else ()
        targets.append(Target("page", name, "GET", str(route), params))
    return targets


def api_document(user: User) -> dict[str, Any]:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def api_targets(document: dict[str, Any]) -> list[Target]:
    targets = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            params = tuple(
                p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"
            )
            targets.append(
                Target(
                    "api",
                    operation.get("operationId") or f"<no operationId {method} {path}>",
                    method.upper(),
                    path,
                    params,
                    has_body="requestBody" in operation,
                )
            )
    return targets
