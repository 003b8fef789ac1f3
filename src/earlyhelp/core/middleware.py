"""Request-wide middleware: an opaque request id, login required on every page, the
Permissions-Policy and Cache-Control headers, and refusing unsafe input before any view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase

from earlyhelp.core import request_context


class RequestIdMiddleware:
    """Give every request an opaque id that audit events and log lines carry.

    A proxy-supplied id is not trusted: it could be chosen to contain personal data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_context.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        tokens = request_context.bind(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            request_context.unbind(tokens)
        response["X-Request-ID"] = request_id
        return response


class LoginRequiredEverywhereMiddleware(LoginRequiredMiddleware):
    """Django's login-required-by-default, extended to bind the user id for logs and audit.

    Public views opt out with ``django.contrib.auth.decorators.login_not_required``. The JSON
    API authenticates every operation itself with bearer tokens and answers 401 in JSON, so
    it is not redirected to the login page here.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.user.is_authenticated:
            request_context.bind_user(request.user.pk)
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PermissionsPolicyMiddleware:
    """Tell browsers that no page may use the camera, microphone, location or payments.

    The policy is ``settings.PERMISSIONS_POLICY``; a response that already sets the header
    keeps its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response the application itself makes.

    Every page but the public form and the privacy notice carries personal data, and so may a
    download or an API answer; a shared computer's browser cache or a proxy must never keep
    one. One rule for every response, rather than one per view that a new view could forget:
    the few public pages lose nothing by not being cached. Static files are served by
    WhiteNoise before this runs and keep their long cache lifetimes.
    """

    VALUE = "private, no-store"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = self.VALUE
        return response


API_PREFIX = "/api/"
NUL_MESSAGE = "Must not contain a NUL character."
JSON_ONLY = "Send the request body as JSON, with the header Content-Type: application/json."


class RefuseUnsafeInputMiddleware:
    """Refuse, before any view runs, what no request may carry outside a JSON body.

    A NUL character in a query parameter cannot be stored or compared in PostgreSQL text (a
    search for it was a 500): the API answers 422 naming the parameter, a page the 400 page.
    An API write whose body is not declared as JSON answers 415, rather than being parsed as
    JSON whatever it says it is. Values inside JSON bodies are checked by the API's input
    schemas (``core.api_schemas.InputSchema``), which know each field's path.
    """

    WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        bad = [name for name, values in request.GET.lists() if _has_nul(name, values)]
        if bad:
            if not is_api:
                raise SuspiciousOperation("NUL character in the query string")
            errors = [
                {"loc": ["query", name.replace("\x00", "")], "msg": NUL_MESSAGE} for name in bad
            ]
            return JsonResponse({"detail": "Invalid input.", "errors": errors}, status=422)
        if (
            is_api
            and request.method in self.WRITE_METHODS
            and request.META.get("CONTENT_LENGTH") not in (None, "", "0")
            and request.content_type != "application/json"
        ):
            return JsonResponse({"detail": JSON_ONLY}, status=415)
        return self.get_response(request)


def _has_nul(name: str, values: list[str]) -> bool:
    return "\x00" in name or any("\x00" in value for value in values)
