"""Cross-site request forgery: every form POST needs the CSRF token; the API is not driven by
cookies at all.

Django's test client normally skips the CSRF check; here ``enforce_csrf_checks=True`` puts
it back, as for a browser. Each form is posted twice from the same signed-in session: without
the token (refused, 403) and with the token the page gave (not refused for CSRF). The API
takes bearer tokens only, so a cross-site form -- which can carry the victim's cookies but
cannot set an Authorization header -- gets 401 whether or not it sends a CSRF token.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.people.models import Family
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _browser(user: Any = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def _token(client: Client, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    found = TOKEN.search(response.content.decode())
    assert found, f"no CSRF token on {page}"
    return found.group(1)


def _forms(world: World, family: Family) -> list[tuple[str, Any, str, str, dict[str, Any]]]:
    """(what, user, page with the form, where it posts, a body)."""
    f = {"family_id": family.pk}
    contact = reverse("contacts:new", kwargs=f)
    agreement = reverse("sharing:agreement_new", kwargs=f)
    home = reverse("core:home")
    return [
        (
            "sign-in",
            None,
            reverse("accounts:login"),
            reverse("accounts:login"),
            {"username": world.practitioner.username, "password": PASSWORD},
        ),
        ("public referral form", None, "/refer/who/", "/refer/who/", {"referrer_type": "self"}),
        (
            "record a contact",
            world.practitioner,
            contact,
            contact,
            {
                "contact_type": "phone_call",
                "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                "note": "Rang about the school run.",
            },
        ),
        ("sharing agreement", world.practitioner, agreement, agreement, {"purpose": "Support"}),
        ("close the episode", world.practitioner, home, reverse("casework:close", kwargs=f), {}),
        (
            "keep the session alive",
            world.practitioner,
            home,
            reverse("accounts:session_keep_alive"),
            {},
        ),
        ("sign out", world.practitioner, home, reverse("accounts:logout"), {}),
        ("find a person", world.practitioner, home, reverse("people:search"), {"name": "Ash"}),
    ]


@pytest.fixture
def family(world: World) -> Family:
    family, _ = world.open_family(last_name="Ashgrove")
    return family


def test_forms_refuse_a_post_without_the_token(world: World, family: Family) -> None:
    failures = []
    for what, user, page, action, body in _forms(world, family):
        client = _browser(user)
        client.get(page)  # the session and the CSRF cookie exist, as in a real browser
        response = client.post(action, body)
        if response.status_code != 403:
            failures.append(f"{what}: {response.status_code} without a token")
        wrong = client.post(action, {**body, "csrfmiddlewaretoken": "x" * 64})
        if wrong.status_code != 403:
            failures.append(f"{what}: {wrong.status_code} with a wrong token")
    assert not failures, "\n".join(failures)
    # Nothing happened: still signed in, the episode still open, no contact recorded.
    assert family.episodes.filter(closed_at__isnull=True).exists()
    assert not family.contacts.exists()


def test_forms_accept_a_post_with_the_token(world: World, family: Family) -> None:
    failures = []
    for what, user, page, action, body in _forms(world, family):
        client = _browser(user)
        token = _token(client, page)
        response = client.post(action, {**body, "csrfmiddlewaretoken": token})
        if response.status_code == 403:
            failures.append(f"{what}: 403 with the page's token")
        # The token may also come in the header (the timeout dialog's fetch does this).
        header = client.post(action, body, headers={"X-CSRFToken": token})
        if header.status_code == 403 and what not in ("sign out", "sign-in"):
            failures.append(f"{what}: 403 with the token in the header")
    assert not failures, "\n".join(failures)


def test_the_keep_alive_renews_with_the_token_only(world: World) -> None:
    client = _browser(world.practitioner)
    token = _token(client, reverse("core:home"))
    path = reverse("accounts:session_keep_alive")
    assert client.post(path).status_code == 403
    assert client.post(path, headers={"X-CSRFToken": token}).status_code == 204


def test_the_api_cannot_be_driven_by_a_signed_in_browser(world: World, family: Family) -> None:
    """A cross-site form carries the session cookie but no Authorization header: 401, with
    or without a CSRF token, and nothing is written."""
    client = _browser(world.practitioner)
    token = _token(client, reverse("core:home"))
    body = json.dumps(
        {
            "contact_type": "phone_call",
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "note": "Sent by a forged form.",
        }
    )
    path = f"/api/v1/families/{family.pk}/contacts"
    for headers in ({}, {"X-CSRFToken": token}):
        response = client.post(path, body, content_type="application/json", headers=headers)
        assert response.status_code == 401, (headers, response.status_code)
        form = client.post(path, {"note": "x", "csrfmiddlewaretoken": token})
        assert form.status_code == 415  # not JSON: refused before anything else is looked at
    # Reads are not served to the cookie either.
    assert client.get(f"/api/v1/families/{family.pk}").status_code == 401
    assert not family.contacts.exists()
    assert settings.SESSION_COOKIE_NAME in client.cookies  # the cookie was really sent
