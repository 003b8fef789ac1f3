"""Lockout after repeated failed sign-ins (django-axes): per username and IP address, for 30
minutes, and never revealing whether the username exists or is locked."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GENERIC = (
    "Enter a correct username and password. Both are case-sensitive. After 5 failed attempts "
    "you must wait 30 minutes before you can try again."
)


def attempt(client: Client, username: str, password: str, ip: str = "192.0.2.10"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def comparable(response, username: str) -> str:  # type: ignore[no-untyped-def]
    """The page with what legitimately differs (CSRF token, the echoed username) removed."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html.replace(f'value="{username}"', 'value=""')


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(
    world, client
):
    for _ in range(5):
        response = attempt(client, "pat", "wrong-password-typed")
        assert response.status_code == 200 and GENERIC in response.content.decode()

    locked = attempt(client, "pat", PASSWORD)

    assert locked.status_code == 200
    assert GENERIC in locked.content.decode()
    assert not signed_in(client)


def test_a_locked_known_user_and_an_unknown_user_get_the_same_answer(world):
    known, unknown = Client(), Client()
    for _ in range(5):
        attempt(known, "pat", "wrong-password-typed")
        attempt(unknown, "nobody-at-all", "wrong-password-typed")
    wrong_before_lockout = attempt(Client(), "dee", "wrong-password-typed")

    locked_known = attempt(known, "pat", PASSWORD)
    locked_unknown = attempt(unknown, "nobody-at-all", PASSWORD)

    assert locked_known.status_code == locked_unknown.status_code == 200
    assert wrong_before_lockout.status_code == 200
    assert comparable(locked_known, "pat") == comparable(locked_unknown, "nobody-at-all")
    assert comparable(locked_known, "pat") == comparable(wrong_before_lockout, "dee")


def test_the_lock_is_per_username_and_address(world, client):
    for _ in range(5):
        attempt(client, "pat", "wrong-password-typed")

    assert attempt(Client(), "pat", PASSWORD, ip="198.51.100.7").status_code == 302
    assert attempt(Client(), "dee", PASSWORD).status_code == 302


def test_the_lock_ends_after_thirty_minutes(world, client):
    for _ in range(5):
        attempt(client, "pat", "wrong-password-typed")
    assert attempt(client, "pat", PASSWORD).status_code == 200

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert attempt(client, "pat", PASSWORD).status_code == 200, "still locked at 29 minutes"
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert attempt(client, "pat", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_administrator_unlocks_everyone_with_axes_reset(world, client):
    for _ in range(5):
        attempt(client, "pat", "wrong-password-typed")

    call_command("axes_reset", stdout=io.StringIO())

    assert attempt(client, "pat", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(world):
    client = Client()
    for _ in range(4):
        attempt(client, "pat", "wrong-password-typed")
    assert attempt(client, "pat", PASSWORD).status_code == 302
    client = Client()
    for _ in range(4):
        attempt(client, "pat", "wrong-password-typed")

    assert attempt(client, "pat", PASSWORD).status_code == 302


def test_the_limit_is_a_setting(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attempt(client, "pat", "wrong-password-typed")
    attempt(client, "pat", "wrong-password-typed")

    assert attempt(client, "pat", PASSWORD).status_code == 200


def test_failures_are_audited_and_logged_without_the_username_or_address(world, client, caplog):
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with caplog.at_level(logging.INFO, logger="earlyhelp"):
        for _ in range(6):
            attempt(client, "pat", "wrong-password-typed", ip="203.0.113.99")

    events = list(AuditEvent.objects.filter(seq__gt=seq))
    assert [e.action for e in events] == [Action.LOGIN_FAILED] * 6
    for event in events:
        assert "pat" not in repr(event.detail) and "203.0.113.99" not in repr(event.detail)
    assert "203.0.113.99" not in caplog.text
    assert not re.search(r"\bpat\b", caplog.text)
