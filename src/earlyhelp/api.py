"""The JSON API at /api/v1/: bearer-token authentication and domain-error mapping.

Each app contributes a router (``<app>/api.py``) that stays thin over its services and
selectors, exactly like the HTML views.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from earlyhelp.accounts.services import user_for_token
from earlyhelp.core import request_context
from earlyhelp.core.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        request_context.bind_user(user.pk)
        return user


api = NinjaAPI(
    title="earlyhelp API",
    version="1",
    description=(
        "Referrals, triage, families and intake search for Early Help services. Every operation "
        "needs `Authorization: Bearer <token>` (issued with `earlyhelp token USERNAME`). Errors "
        "are JSON: 401 without a valid token, 404 for records you may not see, 409 for a clash "
        "with the record's state, 422 naming the field path of invalid input."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    docs_decorator=None,
)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Authentication required: send a valid API token as `Authorization: Bearer`."},
        status=401,
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["errors"] = [{"loc": exc.field.split("."), "msg": exc.message}]
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Field paths and messages only: pydantic's "input" echo could hold personal data.
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": error.get("msg", "")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)
