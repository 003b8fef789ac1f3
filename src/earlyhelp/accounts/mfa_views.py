"""Pages for the second sign-in factor and the session: set up, verify, recovery codes,
keep-alive. Thin: the rules are in ``accounts/mfa.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.accounts import mfa
from earlyhelp.accounts.models import User
from earlyhelp.core.errors import DomainError
from earlyhelp.core.forms import add_domain_error

_CODES_SESSION_KEY = "mfa_new_recovery_codes"
_NEXT_SESSION_KEY = "mfa_next"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        required=False,
        help_text="The 6-digit code your authenticator app shows for this service.",
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        required=False,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _remember_next(request: HttpRequest) -> None:
    target = _safe_next(request, request.GET.get("next"))
    if target:
        request.session[_NEXT_SESSION_KEY] = target


def _continue(request: HttpRequest) -> str:
    return _safe_next(request, request.session.pop(_NEXT_SESSION_KEY, None)) or "/"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    context.setdefault("error_title", bool(form is not None and form.errors))
    return render(request, template, context)


@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, then confirm with a code; recovery codes are shown next."""
    user = _user(request)
    if mfa.has_authenticator(user):
        return redirect("accounts:mfa_verify")
    _remember_next(request)
    device = mfa.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.confirm_authenticator(request, form.cleaned_data["code"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            request.session[_CODES_SESSION_KEY] = codes
            return redirect("accounts:mfa_recovery_codes")
    return _render(
        request,
        "accounts/mfa_set_up.html",
        {
            "title": "Set up your authenticator app",
            "form": form,
            "qr_code": mfa.qr_code_svg(device),
            "secret": mfa.secret_for_typing(device),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user = _user(request)
    if not mfa.has_authenticator(user):
        _remember_next(request)
        return redirect("accounts:mfa_set_up")
    _remember_next(request)
    if mfa.is_verified(request):
        return redirect(_continue(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = mfa.verify_second_factor(request, form.cleaned_data["code"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if result.factor == "recovery_code":
                messages.info(
                    request,
                    f"You used a recovery code. You have {result.recovery_codes_left} left: "
                    "get new ones from your recovery codes page before you run out.",
                )
            return redirect(_continue(request))
    return _render(
        request,
        "accounts/mfa_verify.html",
        {"title": "Enter your security code", "form": form},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes are shown once (GET after set-up); POST replaces them."""
    if request.method == "POST":
        try:
            codes = mfa.new_recovery_codes(request)
        except DomainError:
            return redirect("accounts:mfa_verify")
        request.session[_CODES_SESSION_KEY] = codes
        return redirect("accounts:mfa_recovery_codes")
    codes = request.session.pop(_CODES_SESSION_KEY, None)
    return _render(
        request,
        "accounts/mfa_recovery_codes.html",
        {
            "title": "Your recovery codes",
            "codes": codes,
            "continue_url": _continue(request) if codes else "/",
        },
    )


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in' in the timeout dialog: any request renews the idle timeout."""
    return HttpResponse(status=204)
