"""Security headers on every response: CSP without inline script or style, frame denial,
Referrer-Policy, Permissions-Policy, nosniff; HSTS and secure cookies in production."""

from __future__ import annotations

import base64
import hashlib
import importlib
import re

import pytest
from django.conf import settings
from django.test import Client

from earlyhelp.core.encryption import generate_key_line
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_a_page_carries_the_strict_policy_and_the_other_headers(client: Client) -> None:
    response = client.get("/sign-in/")
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["font-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["script-src"][0] == "'self'"
    assert all(s.startswith("'sha256-") for s in csp["script-src"][1:])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_the_api_and_error_pages_carry_the_headers_too(client: Client) -> None:
    for path in ("/api/v1/caseload", "/no-such-page/"):
        response = client.get(path)
        assert "Content-Security-Policy" in response, path
        assert response["Permissions-Policy"], path
        assert response["X-Content-Type-Options"] == "nosniff", path


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S
)


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def test_pages_have_no_inline_style_and_only_allowed_inline_script(world, login) -> None:  # type: ignore[no-untyped-def]
    family, _ = world.open_family()
    pages = ["/sign-in/", "/refer/", "/privacy-notice/"]
    signed_in = ["/", f"/families/{family.pk}/", f"/families/{family.pk}/contacts/new/"]
    anonymous = Client()
    client = login(world.practitioner)
    for path, who in [(p, anonymous) for p in pages] + [(p, client) for p in signed_in]:
        response = who.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert " style=" not in html, path
        assert "<style" not in html, path
        allowed = _directives(response)["script-src"]
        for script in INLINE_SCRIPT.findall(html):
            assert _hash(script) in allowed, f"{path}: an inline script the CSP would block"


def test_the_allowed_hash_is_govuk_frontends_snippet() -> None:
    snippet = (
        "document.body.className += ' js-enabled' + ('noModule' in "
        "HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
    )
    assert _hash(snippet) == settings.GOVUK_FRONTEND_INLINE_SCRIPT_HASH


def test_cookies_are_httponly_and_samesite(world, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.get("/sign-in/")
    response = client.post(
        "/sign-in/", {"username": world.practitioner.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY


def test_production_sets_hsts_and_secure_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "earlyhelp.example.org")
    monkeypatch.setenv("DATABASE_URL", "postgres://earlyhelp@db.example.org/earlyhelp")
    monkeypatch.setenv("EARLYHELP_FIELD_KEYS", generate_key_line("f1"))
    monkeypatch.setenv("EARLYHELP_BLIND_INDEX_KEYS", generate_key_line("i1"))
    monkeypatch.setenv("EARLYHELP_AUDIT_KEYS", generate_key_line("a1"))
    monkeypatch.setenv("EARLYHELP_AUDIT_CHECKPOINT_FILE", "/srv/audit/checkpoints.jsonl")
    production = importlib.import_module("earlyhelp.settings.production")
    production = importlib.reload(production)
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.CONTENT_SECURITY_POLICY == settings.CONTENT_SECURITY_POLICY


def test_hsts_header_is_sent_over_https_with_production_values(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/sign-in/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_an_unknown_host_gets_the_400_page_not_a_server_error() -> None:
    # The Host check runs before authentication, so the error page must render signed out.
    client = Client(raise_request_exception=False)
    for path in ("/", "/sign-in/", "/api/v1/caseload", "/refer/"):
        response = client.get(path, HTTP_HOST="unknown.example")
        assert response.status_code == 400, path
        body = response.content.decode()
        assert "unknown.example" not in body  # nothing from the request is echoed
        assert response["Cache-Control"] == "private, no-store"
