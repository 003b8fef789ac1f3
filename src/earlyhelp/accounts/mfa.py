"""Multi-factor authentication for local accounts (django-otp): TOTP plus recovery codes.

Who needs it: **every signed-in user** of a local account when ``EARLYHELP_REQUIRE_MFA`` is on
(the default; the demo and the test settings switch it off). Every role except a partner's
read-only view can open case data, and one rule for all is simpler to audit than a list.
Users who signed in through the council's identity provider (the session says
``auth_method == "oidc"``) are exempt: the identity provider does MFA. API bearer tokens are
not affected: a token is issued by an administrator (``earlyhelp token``) and authenticates
on its own, with no session to step up.

Enforcement is ``accounts.middleware.MfaRequiredMiddleware``: until the session has passed
the second factor, only the MFA pages, sign-out, static files and the health check answer.

Recovery codes are django-otp static tokens: ten single-use codes, shown once when set up.
An administrator resets a user who lost their phone with ``earlyhelp mfa reset USERNAME``;
the user then sets up MFA again at their next sign-in.

Audit events carry ids and codes only: ``create mfa_device`` (set up), ``login`` with
``detail.factor`` (second factor passed), ``login_failed`` with ``detail.factor = "mfa"``,
``delete mfa_device`` (reset).
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import InvalidInput

RECOVERY_CODE_COUNT = 10
AUTH_METHOD_SESSION_KEY = "auth_method"  # set to "oidc" by the single sign-on backend
_DEVICE_NAME = "authenticator app"
_RECOVERY_NAME = "recovery codes"


def mfa_required_for(request: HttpRequest) -> bool:
    """Does this signed-in session still have to pass the second factor?"""
    if not settings.EARLYHELP_REQUIRE_MFA or not request.user.is_authenticated:
        return False
    if request.session.get(AUTH_METHOD_SESSION_KEY) == "oidc":
        return False
    return not is_verified(request)


def is_verified(request: HttpRequest) -> bool:
    """Has this session passed a second factor (django-otp's OTPMiddleware checks the device)?"""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> Markup:
    """The otpauth:// address as an inline SVG QR code, drawn here (no external service)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, title="QR code to scan with your authenticator app")
    return Markup(svg)  # noqa: S704 - segno's own SVG markup; our fixed title is the only text


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan a QR code."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _start_verified_session(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    otp_login(request, device)
    # A new session key once the second factor is passed, like Django's own sign-in.
    request.session.cycle_key()


def confirm_authenticator(request: HttpRequest, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from the app; return new recovery codes.

    Raises InvalidInput when the code is not the current one. The failure (and django-otp's
    slow-down counter) is committed before raising, so the refusal is recorded.
    """
    user = request.user
    assert isinstance(user, User)
    token = _normalise(code)
    if not token:
        raise InvalidInput("Enter the 6-digit code from your authenticator app.", field="code")
    with transaction.atomic():
        device = pending_authenticator(user)
        if token.isdigit() and len(token) == device.digits and device.verify_token(token):
            return _confirm(request, user, device)
        record_event(
            actor=user,
            action=Action.LOGIN_FAILED,
            object_type="user",
            object_id=user.pk,
            detail={"factor": "mfa", "step": "set_up"},
        )
    raise InvalidInput(
        "Enter the code your authenticator app shows now. Codes change every 30 seconds.",
        field="code",
    )


def _confirm(request: HttpRequest, user: User, device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    record_event(
        actor=user,
        action=Action.CREATE,
        object_type="mfa_device",
        object_id=device.pk,
        detail={"kind": "totp", "recovery_codes": len(codes)},
    )
    _start_verified_session(request, device)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@dataclass(frozen=True)
class Verified:
    factor: str  # "totp" or "recovery_code"
    recovery_codes_left: int


def verify_second_factor(request: HttpRequest, code: str) -> Verified:
    """Check a code from the authenticator app, or a recovery code (used up by this).

    Wrong codes slow down (django-otp doubles the wait after each failure). Raises
    InvalidInput with one message for any wrong, used or throttled code, after committing the
    failure and the slow-down counter.
    """
    user = request.user
    assert isinstance(user, User)
    token = _normalise(code)
    if not token:
        raise InvalidInput(
            "Enter the 6-digit code from your authenticator app, or a recovery code.",
            field="code",
        )
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        recovery = (
            StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        )
        device: TOTPDevice | StaticDevice | None = None
        if token.isdigit():
            if totp is not None and totp.verify_token(token):
                device = totp
        elif recovery is not None and recovery.verify_token(token):
            device = recovery
        if device is not None:
            factor = "totp" if isinstance(device, TOTPDevice) else "recovery_code"
            left = recovery.token_set.count() if recovery is not None else 0
            record_event(
                actor=user,
                action=Action.LOGIN,
                object_type="user",
                object_id=user.pk,
                detail={"factor": factor, "recovery_codes_left": left},
            )
            _start_verified_session(request, device)
            return Verified(factor=factor, recovery_codes_left=left)
        record_event(
            actor=user,
            action=Action.LOGIN_FAILED,
            object_type="user",
            object_id=user.pk,
            detail={"factor": "mfa"},
        )
    raise InvalidInput(
        "Enter a correct code. If you entered several wrong codes, wait a minute and try again.",
        field="code",
    )


@transaction.atomic
def new_recovery_codes(request: HttpRequest) -> list[str]:
    """Replace the user's recovery codes (only in a session that has passed MFA)."""
    user = request.user
    assert isinstance(user, User)
    if not is_verified(request):
        raise InvalidInput("Sign in with your authenticator app first.", field="code")
    codes = _new_recovery_codes(user)
    record_event(
        actor=user,
        action=Action.CREATE,
        object_type="mfa_device",
        object_id=user.pk,
        detail={"kind": "recovery_codes", "recovery_codes": len(codes)},
    )
    # The session's device id may have been the old recovery device: keep it verified.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        otp_login(request, device)
    return codes


@transaction.atomic
def reset_mfa(*, actor: User | None, user: User) -> int:
    """Remove every MFA device of a user (lost phone); they set it up again at next sign-in.

    Sessions that passed MFA with a removed device stop counting as verified at once
    (django-otp looks the session's device up on every request).
    """
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    static_devices = StaticDevice.objects.filter(user=user)
    static_count = static_devices.count()
    static_devices.delete()
    record_event(
        actor=actor,
        action=Action.DELETE,
        object_type="mfa_device",
        object_id=user.pk,
        detail={"devices": removed + static_count},
    )
    return removed + static_count
