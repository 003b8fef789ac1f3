"""No browser or proxy keeps a copy: every response the application makes says
``Cache-Control: private, no-store`` (pages, downloads, API answers, error pages, sign-in),
while static files keep their long cache lifetimes (issue 12, item 17)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.probe import SIGN_OUT, Clients
from tests.security.targets import api_document, api_targets, page_targets
from tests.security.world import build_record

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


def test_every_page_and_api_read_says_no_store_to_the_team_and_to_strangers() -> None:
    record = build_record()
    ids = record.ids
    clients = Clients()
    missing = []
    for role in ("practitioner", "duty", "anonymous"):
        user = record.user(role)
        pages = clients.page(role, user)
        for target in page_targets():
            if target.name in SIGN_OUT or target.name.startswith("<unnamed"):
                continue
            try:
                path = target.path(ids)
            except KeyError:
                continue
            response = pages.get(path)
            if response.get("Cache-Control") != NO_STORE:
                missing.append(f"{role} page {target.name} ({response.status_code})")
        for target in api_targets(api_document(record.world.practitioner)):
            if target.method != "GET":
                continue
            response = Client().get(target.path(ids), headers=clients.headers(role, user))
            if response.get("Cache-Control") != NO_STORE:
                missing.append(f"{role} api {target.name} ({response.status_code})")
    assert not missing, "\n".join(missing)


def test_static_files_are_not_marked_no_store(client: Client) -> None:
    # WhiteNoise serves them before the application's middleware: they carry no personal data
    # and keep their own cache headers.
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_error_page_says_no_store(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code in (302, 404)
    assert response["Cache-Control"] == NO_STORE
