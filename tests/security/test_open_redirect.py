"""Open redirects after signing in: whatever ``next`` says, the browser stays on the site.

Covered: the password sign-in (``next`` in the query string and in the form), the second
factor step (its ``next`` is remembered in the session), signing out, and single sign-on
through a real OpenID Connect provider running in the test process.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts import oidc
from tests.accounts.oidc_provider import IdpUser, Provider
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

EVIL = [
    "https://evil.example",
    "https://evil.example/sign-in/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http:///evil.example",
    "HTTPS://EVIL.EXAMPLE",
    "javascript:alert(1)",
    "JavaScript:alert(1)//",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver@evil.example",
    "https://evil.example\\@testserver",
    "https://testserver.evil.example",
    " //evil.example",
    "\t//evil.example",
    "\x00//evil.example",
    "%2F%2Fevil.example",
    "/%09/evil.example",
    "https://evil.example%23@testserver",
]
HOME = "/"


def stays_on_site(location: str) -> bool:
    """A Location a browser resolves to this site: no scheme, no host -- also once
    backslashes are read as slashes and tabs, newlines and leading spaces are dropped, as
    browsers do."""
    normalised = "".join(ch for ch in location if ch not in "\t\r\n").lstrip(" \x00")
    normalised = normalised.replace("\\", "/")
    parts = urlsplit(normalised)
    return not parts.scheme and not parts.netloc and not normalised.startswith("//")


def test_the_check_itself() -> None:
    assert stays_on_site("/people/search/") and stays_on_site("/?x=https://evil.example")
    for location in EVIL[:14]:
        assert not stays_on_site(location), location


def _sign_in(client: Client, user: object, next_url: str, *, in_form: bool) -> str:
    path = reverse("accounts:login")
    data = {"username": user.username, "password": PASSWORD}  # type: ignore[attr-defined]
    if in_form:
        data["next"] = next_url
    else:
        path += "?next=" + quote(next_url, safe="")
    if _refused_in_a_query(client, path):
        return ""  # nowhere: the request was refused whole
    response = client.post(path, data)
    assert response.status_code == 302, "the sign-in should succeed"
    return str(response["Location"])


def _refused_in_a_query(client: Client, path: str) -> bool:
    """A NUL in a query string is refused before any view (400, core.middleware): such a
    request cannot redirect anywhere."""
    if "%00" not in path:
        return False
    client.raise_request_exception = False
    response = client.post(path, {})
    client.raise_request_exception = True
    assert response.status_code == 400, path
    return True


def test_password_sign_in_never_leaves_the_site(world: World) -> None:
    # The control: a page on the site is honoured.
    assert _sign_in(Client(), world.practitioner, "/people/search/", in_form=False) == (
        "/people/search/"
    )
    assert _sign_in(Client(), world.practitioner, "/people/search/", in_form=True) == (
        "/people/search/"
    )
    failures = []
    for evil in EVIL:
        for in_form in (False, True):
            location = _sign_in(Client(), world.practitioner, evil, in_form=in_form)
            if not stays_on_site(location):
                failures.append(f"{evil!r} ({'form' if in_form else 'query'}) -> {location}")
    assert not failures, "\n".join(failures)


def test_sign_in_page_does_not_echo_a_foreign_next_as_a_link(world: World) -> None:
    page = Client().get(reverse("accounts:login") + "?next=" + quote("//evil.example"))
    assert page.status_code == 200
    assert 'href="//evil.example' not in page.content.decode()


def test_signing_out_never_leaves_the_site(world: World) -> None:
    for evil in EVIL:
        client = Client()
        assert client.login(username=world.practitioner.username, password=PASSWORD)
        path = reverse("accounts:logout") + "?next=" + quote(evil, safe="")
        if _refused_in_a_query(client, path):
            continue
        response = client.post(path)
        assert response.status_code == 302
        assert stays_on_site(response["Location"]), (evil, response["Location"])


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


def test_the_second_factor_step_never_leaves_the_site(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_REQUIRE_MFA = True
    user = world.practitioner
    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    for evil in ["/people/search/", *EVIL]:
        device.refresh_from_db()
        device.last_t = -1  # a fresh code may be used again in this loop
        device.throttling_failure_count = 0
        device.save()
        client = Client()
        after_password = _sign_in(client, user, evil, in_form=True)
        assert stays_on_site(after_password)
        verify = reverse("accounts:mfa_verify") + "?next=" + quote(evil, safe="")
        if _refused_in_a_query(client, verify):
            continue
        assert client.get(verify).status_code == 200
        response = client.post(reverse("accounts:mfa_verify"), {"code": _code(device)})
        assert response.status_code == 302, evil
        location = response["Location"]
        if evil == "/people/search/":
            assert location == evil  # the control: a page on the site is honoured
        else:
            assert stays_on_site(location), (evil, location)


# --- Single sign-on -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture
def idp(provider: Provider, settings, world: World) -> Provider:  # type: ignore[no-untyped-def]
    provider.reset()
    oidc._discovery_cache.clear()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = provider.client.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client.client_secret
    settings.OIDC_OP_DISCOVERY = provider.discovery_url
    settings.EARLYHELP_OIDC_GROUP_MAP = {"eh-north-practitioners": ("practitioner", "north")}
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND_PATH]
    provider.user = IdpUser(
        sub="5a6b-robin",
        groups=["eh-north-practitioners"],
        preferred_username="robin.example",
        email="robin.example@council.example.org",
        given_name="Robin",
        family_name="Example",
    )
    return provider


def _sso(client: Client, provider: Provider, next_url: str) -> str:
    start = reverse("oidc_authentication_init") + "?next=" + quote(next_url, safe="")
    response = client.get(start)
    assert response.status_code == 302
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    done = client.get(back.path, parse_qs(back.query))
    assert done.status_code == 302
    return str(done["Location"])


def test_single_sign_on_never_leaves_the_site(idp: Provider) -> None:
    assert _sso(Client(), idp, "/people/search/") == "/people/search/"
    failures = []
    for evil in EVIL[:12]:
        location = _sso(Client(), idp, evil)
        if not stays_on_site(location):
            failures.append(f"{evil!r} -> {location}")
    assert not failures, "\n".join(failures)
