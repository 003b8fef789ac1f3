"""Sign-in enforcement that applies to every page: the second factor and session limits.

``SessionLimitsMiddleware`` ends a session ``EARLYHELP_SESSION_ABSOLUTE_SECONDS`` (12 hours)
after sign-in however active it is; the 30-minute idle timeout is Django's own
(``SESSION_COOKIE_AGE`` renewed on every request).

``MfaRequiredMiddleware`` keeps a signed-in user who has not passed the second factor in this
session to the MFA pages, sign-out, public pages, static files and the health check (see
``accounts/mfa.py`` for who needs MFA). The JSON API authenticates each call with a bearer
token and is not affected; a browser session that has not passed MFA gets a 401 there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from earlyhelp.accounts import mfa

SIGNED_IN_AT_SESSION_KEY = "signed_in_at"
# Pages a signed-in user may reach before passing the second factor.
_MFA_PAGES = {"mfa_set_up", "mfa_verify", "login", "logout"}


def _exempt_path(path: str) -> bool:
    return path.startswith(settings.STATIC_URL) or path == reverse("core:healthz")


class SessionLimitsMiddleware:
    """Sign out a session that began more than the absolute limit ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated and not _exempt_path(request.path):
            started = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            limit = settings.EARLYHELP_SESSION_ABSOLUTE_SECONDS
            if isinstance(started, int | float) and time.time() - started > limit:
                logout(request)
                span = (
                    f"{round(limit / 3600)} hours"
                    if limit >= 7200
                    else f"{round(limit / 60)} minutes"
                )
                messages.info(
                    request,
                    f"You have been signed out because you signed in more than {span} ago. "
                    "Sign in again to continue.",
                )
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session has ended."}, status=401)
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        # Stamp the session on its first signed-in response (the sign-in itself).
        if (
            request.user.is_authenticated
            and hasattr(request, "session")
            and SIGNED_IN_AT_SESSION_KEY not in request.session
            and not request.path.startswith("/api/")
        ):
            request.session[SIGNED_IN_AT_SESSION_KEY] = int(time.time())
        return response


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """Template context: the timings base.html puts on <body> for the timeout dialog."""
    if not request.user.is_authenticated:
        return {}
    return {
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.EARLYHELP_SESSION_WARNING_SECONDS,
    }


class MfaRequiredMiddleware:
    """Until the second factor is passed, only the MFA pages and public pages answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if not mfa.mfa_required_for(request) or _exempt_path(request.path):
            return None
        match = request.resolver_match
        if match is not None and match.namespace == "accounts" and match.url_name in _MFA_PAGES:
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages (the referral form, the privacy notice)
        if request.path.startswith("/api/"):
            if request.headers.get("Authorization", "").startswith("Bearer "):
                return None  # the API authenticates the token itself, not the session
            return JsonResponse(
                {"detail": "Finish signing in with your security code first."}, status=401
            )
        target = resolve_url("accounts:mfa_verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
