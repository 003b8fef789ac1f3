"""Sending a matrix request as one role and naming what came back (no tests here)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.models import User
from earlyhelp.accounts.services import issue_token
from tests.factories import PASSWORD
from tests.security.targets import Target

OK = "ok"  # 2xx, or a redirect somewhere other than the sign-in page
LOGIN = "login"  # 302 to the sign-in page
SIGN_OUT = {"accounts:logout", "oidc_logout"}


class Clients:
    """A signed-in page client and an API token per role, made once."""

    def __init__(self) -> None:
        self._pages: dict[str, Client] = {}
        self._tokens: dict[str, str] = {}

    def page(self, role: str, user: User | None) -> Client:
        if role not in self._pages:
            client = Client()
            if user is not None:
                assert client.login(username=user.username, password=PASSWORD)
            self._pages[role] = client
        return self._pages[role]

    def headers(self, role: str, user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        if role not in self._tokens:
            self._tokens[role] = issue_token(actor=None, user=user)
        return {"Authorization": f"Bearer {self._tokens[role]}"}


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        login = reverse(settings.LOGIN_URL)
        return LOGIN if response["Location"].startswith(login) else OK
    if 200 <= status < 300:
        return OK
    return str(status)


def send(
    clients: Clients, target: Target, role: str, user: User | None, ids: dict[str, Any]
) -> str:
    path = target.path(ids)  # raises KeyError for a parameter the record lacks
    if target.kind == "page":
        client = clients.page(role, user)
        if target.name in SIGN_OUT:
            # Signing out ends the session: use one made for this request alone.
            client = Client()
            if user is not None:
                assert client.login(username=user.username, password=PASSWORD)
        if target.method == "GET":
            return outcome(client.get(path))
        return outcome(client.post(path, {}))
    client = Client()
    headers = clients.headers(role, user)
    method = target.method.lower()
    if method in ("get", "delete"):
        return outcome(getattr(client, method)(path, headers=headers))
    return outcome(
        getattr(client, method)(
            path, json.dumps({}), content_type="application/json", headers=headers
        )
    )
