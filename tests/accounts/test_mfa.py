"""Multi-factor authentication for local accounts: set-up, the sign-in step, recovery codes,
enforcement on every page, the OIDC exemption and the administrator's reset."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.services import issue_token
from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def mfa_on(settings):  # type: ignore[no-untyped-def]
    settings.EARLYHELP_REQUIRE_MFA = True


def sign_in(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, "the password step should succeed"
    return client


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or one 30-second step later, within tolerance)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return str(value).zfill(device.digits)


def wrong_code_for(device: TOTPDevice) -> str:
    accepted = {code_for(device, s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def enrolled(user, recovery_codes=("aaaa2222", "bbbb3333")):  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    for token in recovery_codes:
        StaticToken.objects.create(device=static, token=token)
    return device


def events_after(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq))


def last_seq() -> int:
    event = AuditEvent.objects.order_by("-seq").first()
    return event.seq if event else 0


def test_without_the_setting_a_password_is_enough(world, client):
    sign_in(client, world.practitioner)
    assert client.get(HOME).status_code == 200


def test_a_signed_in_user_without_mfa_is_sent_to_set_it_up_from_any_case_page(
    world, client, mfa_on
):
    family, _ = world.open_family()
    family_url = reverse("casework:family", args=[family.pk])
    sign_in(client, world.practitioner)

    response = client.get(family_url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify") + "?next=")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_set_up")
    # A POST to a case page is refused the same way, without acting on it.
    assert client.post(reverse("casework:close", args=[family.pk])).status_code == 302
    assert client.get(HOME).status_code == 302


def test_set_up_with_a_real_code_then_recovery_codes_are_shown_once(world, client, mfa_on):
    user = world.practitioner
    family, _ = world.open_family()
    family_url = reverse("casework:family", args=[family.pk])
    sign_in(client, user)
    client.get(reverse("accounts:mfa_verify") + "?next=" + family_url)
    seq = last_seq()

    page = client.get(reverse("accounts:mfa_set_up"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "QR code to scan with your authenticator app" in html
    assert "no-store" in page["Cache-Control"], "the secret is never kept in a cache"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert "http" not in re.search(r"<svg.*?</svg>", html, re.S).group(0).replace(  # type: ignore[union-attr]
        "http://www.w3.org", ""
    ), "the QR code is drawn here, not fetched from a service"
    again = client.get(reverse("accounts:mfa_set_up"))
    assert TOTPDevice.objects.get(user=user).key == device.key, "same secret until confirmed"
    assert again.status_code == 200

    response = client.post(reverse("accounts:mfa_set_up"), {"code": code_for(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_recovery_codes")
    device.refresh_from_db()
    assert device.confirmed is True
    codes_page = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert set(shown) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert f'href="{family_url}"' in codes_page, "continue goes where the user was going"
    assert "no-store" in client.get(reverse("accounts:mfa_recovery_codes"))["Cache-Control"]
    second_look = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    assert not any(code in second_look for code in shown), "recovery codes are shown once"
    assert client.get(family_url).status_code == 200

    created = [e for e in events_after(seq) if e.object_type == "mfa_device"]
    assert [(e.action, e.detail) for e in created] == [
        (Action.CREATE, {"kind": "totp", "recovery_codes": 10})
    ]
    assert created[0].actor_id == user.pk


def test_a_wrong_code_is_refused_at_set_up(world, client, mfa_on):
    user = world.practitioner
    sign_in(client, user)
    client.get(reverse("accounts:mfa_set_up"))
    device = TOTPDevice.objects.get(user=user)
    seq = last_seq()

    response = client.post(reverse("accounts:mfa_set_up"), {"code": wrong_code_for(device)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter the code your authenticator app shows" in html
    assert "<title>Error:" in html
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get(HOME).status_code == 302
    failed = [e for e in events_after(seq) if e.action == Action.LOGIN_FAILED]
    assert [(e.actor_id, e.detail) for e in failed] == [
        (user.pk, {"factor": "mfa", "step": "set_up"})
    ]


def test_an_enrolled_user_enters_a_code_after_the_password(world, client, mfa_on):
    user = world.manager
    device = enrolled(user)
    sign_in(client, user)
    first = client.get(HOME)
    assert first["Location"] == reverse("accounts:mfa_verify") + "?next=%2F"
    page = client.get(first["Location"])
    assert page.status_code == 200 and "Enter your security code" in page.content.decode()
    key_before = client.session.session_key
    seq = last_seq()

    response = client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})

    assert response.status_code == 302 and response["Location"] == HOME
    assert client.session.session_key != key_before, "a new session key after the step up"
    assert client.get(HOME).status_code == 200
    passed = [e for e in events_after(seq) if e.action == Action.LOGIN]
    assert [(e.actor_id, e.detail) for e in passed] == [
        (user.pk, {"factor": "totp", "recovery_codes_left": 2})
    ]


def test_a_wrong_code_is_refused_and_repeated_failures_slow_down(world, client, mfa_on):
    user = world.manager
    device = enrolled(user)
    sign_in(client, user)
    seq = last_seq()

    for _ in range(3):
        response = client.post(reverse("accounts:mfa_verify"), {"code": wrong_code_for(device)})
        assert response.status_code == 200
        assert "Enter a correct code" in response.content.decode()
    # After three failures the next try must wait seconds: even the right code is refused.
    refused = client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})

    assert refused.status_code == 200
    assert client.get(HOME).status_code == 302
    failures = [e for e in events_after(seq) if e.action == Action.LOGIN_FAILED]
    assert len(failures) == 4
    assert all(e.detail == {"factor": "mfa"} and e.actor_id == user.pk for e in failures)


def test_a_recovery_code_works_once(world, mfa_on):
    user = world.duty
    enrolled(user, recovery_codes=("aaaa2222", "bbbb3333"))
    first = sign_in(Client(), user)

    response = first.post(reverse("accounts:mfa_verify"), {"code": "AAAA 2222"})

    assert response.status_code == 302
    assert first.get(HOME).status_code == 200
    assert list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == [
        "bbbb3333"
    ]
    second = sign_in(Client(), user)
    reused = second.post(reverse("accounts:mfa_verify"), {"code": "aaaa2222"})
    assert reused.status_code == 200 and "Enter a correct code" in reused.content.decode()
    assert second.get(HOME).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(world, client, mfa_on):
    user = world.dpo
    device = enrolled(user, recovery_codes=("cccc4444",))
    sign_in(client, user)
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})

    response = client.post(reverse("accounts:mfa_recovery_codes"))

    assert response.status_code == 302
    page = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(shown) == 10 and "cccc4444" not in shown
    assert not StaticToken.objects.filter(token="cccc4444").exists()
    assert client.get(HOME).status_code == 200, "the session stays verified"


def test_pages_open_before_mfa_are_only_mfa_sign_out_public_and_health(world, client, mfa_on):
    sign_in(client, world.analyst)

    assert client.get(reverse("accounts:mfa_set_up")).status_code == 200
    assert client.get(reverse("datamap:privacy_notice")).status_code == 200
    assert client.get(reverse("core:healthz")).status_code == 200
    assert client.get(reverse("accounts:mfa_recovery_codes")).status_code == 302
    assert client.post(reverse("accounts:session_keep_alive")).status_code == 302
    signed_out = client.post(reverse("accounts:logout"))
    assert signed_out.status_code == 302 and signed_out["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_api_bearer_tokens_are_unaffected_but_an_unverified_session_gets_401(world, client, mfa_on):
    family, _ = world.open_family()
    token = issue_token(actor=None, user=world.practitioner)
    api = Client()
    with_token = api.get(
        f"/api/v1/families/{family.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert with_token.status_code == 200

    sign_in(client, world.practitioner)
    with_session = client.get("/api/v1/openapi.json")
    assert with_session.status_code == 401
    assert "security code" in with_session.json()["detail"]


def test_users_signed_in_through_the_council_identity_provider_are_exempt(world, client, mfa_on):
    sign_in(client, world.practitioner)
    session = client.session
    session["auth_method"] = "oidc"
    session.save()

    assert client.get(HOME).status_code == 200


def test_the_administrator_resets_mfa_after_a_lost_phone(world, client, mfa_on):
    user = world.practitioner
    device = enrolled(user)
    sign_in(client, user)
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})
    assert client.get(HOME).status_code == 200
    seq = last_seq()
    out = io.StringIO()

    call_command("mfa", "reset", user.username, stdout=out)

    assert "Removed 2 MFA device(s)" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    # The open session no longer counts as verified: the user sets up a new app.
    assert client.get(HOME).status_code == 302
    assert client.get(reverse("accounts:mfa_verify"))["Location"] == reverse("accounts:mfa_set_up")
    [event] = events_after(seq)
    assert (event.action, event.object_type, event.object_id) == (
        Action.DELETE,
        "mfa_device",
        str(user.pk),
    )
    assert event.detail == {"devices": 2} and event.actor_id is None


def test_resetting_an_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="no user named"):
        call_command("mfa", "reset", "nobody-here", stdout=io.StringIO())


def test_audit_events_for_mfa_hold_no_personal_data(world, client, mfa_on, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between the wrong and the right code
    user = world.practitioner
    seq = last_seq()
    sign_in(client, user)
    client.get(reverse("accounts:mfa_set_up"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:mfa_set_up"), {"code": wrong_code_for(device)})
    client.post(reverse("accounts:mfa_set_up"), {"code": code_for(device)})

    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    events = events_after(seq)
    assert {e.action for e in events} >= {Action.LOGIN, Action.LOGIN_FAILED, Action.CREATE}
    for event in events:
        text = repr((event.object_id, event.detail, event.purpose))
        assert user.username not in text and device.key not in text
        assert not any(code in text for code in codes)


def test_set_up_page_is_not_offered_again_once_enrolled(world, client, mfa_on):
    device = enrolled(world.practitioner)
    sign_in(client, world.practitioner)
    response = client.get(reverse("accounts:mfa_set_up"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa_verify")
    assert TOTPDevice.objects.filter(user=world.practitioner).get() == device
