"""The single sign-on pages: mozilla-django-oidc's views, answering 404 while OIDC is off and
explaining a refused sign-in on a page of its own instead of a bare redirect."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from earlyhelp.accounts import oidc

SESSION_AUTH_METHOD = "auth_method"

_REFUSALS: dict[str, tuple[str, str, int]] = {
    oidc.NO_GROUP: (
        "You do not have access to this service",
        "Your council account is not in any group that gives access to Early Help. "
        "If you need access, ask your manager to request it from the IT service desk.",
        403,
    ),
    oidc.INACTIVE: (
        "Your account for this service is closed",
        "Your account for Early Help has been closed. "
        "If you think this is wrong, contact the IT service desk.",
        403,
    ),
    oidc.INVALID_RESPONSE: (
        "Sign-in could not be completed",
        "The answer from your council's sign-in service could not be checked, so you have "
        "not been signed in. Try again. If it happens again, contact the IT service desk.",
        400,
    ),
    oidc.PROVIDER_UNAVAILABLE: (
        "Sign-in is not available at the moment",
        "Your council's sign-in service did not answer. Try again in a few minutes.",
        503,
    ),
    oidc.PROVIDER_ERROR: (
        "You have not been signed in",
        "Your council's sign-in service did not sign you in. Try again.",
        400,
    ),
    oidc.CONFIGURATION: (
        "Sign-in could not be completed",
        "Single sign-on is not set up correctly for your account's groups. "
        "Contact the IT service desk: they can find the details in the service's logs.",
        500,
    ),
}


def refusal_page(request: HttpRequest, reason: str) -> HttpResponse:
    title, message, status = _REFUSALS[reason]
    context = {"title": title, "message": message, "login_url": resolve_url(settings.LOGIN_URL)}
    return render(request, "accounts/oidc_refused.html", context, status=status)


class _OnlyWhenEnabled(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not switched on.")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class OidcAuthenticateView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(oidc.oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        # The endpoints are looked up per request (possibly from discovery) in get().
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured) as exc:
            oidc.logger.warning("single sign-on discovery failed: %s", type(exc).__name__)
            return refusal_page(request, oidc.PROVIDER_UNAVAILABLE)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        response: HttpResponse = super().get(request)
        return response


@method_decorator(login_not_required, name="dispatch")
class OidcCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend does the rest."""

    @property
    def failure_url(self) -> str:
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "oidc_refusal", None)
        if reason is None and self.request.GET.get("error"):
            reason = oidc.PROVIDER_ERROR
        if reason in _REFUSALS:
            return refusal_page(self.request, reason)
        response: HttpResponse = super().login_failure()
        return response

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        # Read by the multi-factor check: second factors for single sign-on are the identity
        # provider's to enforce (docs/operations.md, "Single sign-on").
        self.request.session[SESSION_AUTH_METHOD] = "oidc"
        return response
