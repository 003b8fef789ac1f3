"""Session limits: the 12-hour absolute limit, the keep-alive behind "Stay signed in", and the
timeout warning dialog's markup and script."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.middleware import SIGNED_IN_AT_SESSION_KEY
from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/"
TWELVE_HOURS = 12 * 60 * 60


def sign_in(client: Client, username: str = "pat") -> Client:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def signed_in_ago(client: Client, seconds: float) -> None:
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = time.time() - seconds
    session.save()


def test_sign_in_stamps_the_session_with_its_start(world, client):
    before = time.time()
    sign_in(client)
    stamp = client.session[SIGNED_IN_AT_SESSION_KEY]
    assert before - 1 <= stamp <= time.time()
    client.get(HOME)
    assert client.session[SIGNED_IN_AT_SESSION_KEY] == stamp, "activity does not move it"


def test_an_active_session_ends_twelve_hours_after_sign_in(world, client):
    sign_in(client)
    signed_in_ago(client, TWELVE_HOURS - 60)
    assert client.get(HOME).status_code == 200
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    signed_in_ago(client, TWELVE_HOURS + 1)

    response = client.get(HOME)

    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because you signed in more than 12 hours ago" in page
    assert client.get(HOME).status_code == 302, "still signed out"
    logout = AuditEvent.objects.filter(seq__gt=seq, action=Action.LOGOUT).get()
    assert logout.actor_id == world.practitioner.pk


def test_the_absolute_limit_is_a_setting(world, client, settings):
    settings.EARLYHELP_SESSION_ABSOLUTE_SECONDS = 60
    sign_in(client)
    signed_in_ago(client, 61)

    assert client.get(HOME).status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_in_again_starts_a_new_twelve_hours(world, client):
    sign_in(client)
    signed_in_ago(client, TWELVE_HOURS + 1)
    client.get(HOME)
    sign_in(client)

    assert client.get(HOME).status_code == 200


def test_keep_alive_renews_the_idle_timeout(world, client):
    sign_in(client)
    key = client.session.session_key
    # Pretend 29 of the 30 idle minutes have passed.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))

    response = client.post(reverse("accounts:session_keep_alive"))

    assert response.status_code == 204
    expires = Session.objects.get(pk=client.session.session_key).expire_date
    assert expires > timezone.now() + timedelta(minutes=29)


def test_keep_alive_takes_only_posts_from_signed_in_users(world, client):
    anonymous = client.post(reverse("accounts:session_keep_alive"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    sign_in(client)
    assert client.get(reverse("accounts:session_keep_alive")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    sign_in_strict = strict.get(reverse("accounts:login"))
    assert sign_in_strict.status_code == 200
    assert strict.post(reverse("accounts:session_keep_alive")).status_code in {302, 403}


def test_signed_in_pages_carry_the_timeout_dialog_and_its_script(world, client):
    sign_in(client)
    html = client.get(HOME).content.decode()

    assert re.search(r'<body[^>]*data-session-timeout="1800"', html)
    assert re.search(r'<body[^>]*data-session-warning="120"', html)
    dialog = re.search(r'<dialog[^>]*id="session-timeout-dialog".*?</dialog>', html, re.S)
    assert dialog is not None
    assert "You will be signed out soon" in dialog.group(0)
    assert "Stay signed in" in dialog.group(0) and "Sign out" in dialog.group(0)
    assert f'action="{reverse("accounts:session_keep_alive")}"' in dialog.group(0)
    assert "<script" not in dialog.group(0)
    assert 'src="/static/accounts/session-timeout.js"' in html
    # No inline script of ours: every script tag but GOV.UK's fixed js-enabled line has a src.
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)]
    assert all("js-enabled" in s for s in inline)


def test_the_timings_follow_the_settings(world, client, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.EARLYHELP_SESSION_WARNING_SECONDS = 90
    sign_in(client)
    html = client.get(HOME).content.decode()

    assert re.search(r'<body[^>]*data-session-timeout="600"', html)
    assert re.search(r'<body[^>]*data-session-warning="90"', html)


def test_the_sign_in_page_has_no_timeout_dialog(db, client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "session-timeout-dialog" not in html
    assert "session-timeout.js" not in html
    assert "data-session-timeout" not in html


def test_the_dialog_script_is_served(client):
    response = client.get("/static/accounts/session-timeout.js")

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "showModal" in body and "sessionTimeout" in body and "sessionWarning" in body
