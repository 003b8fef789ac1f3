"""The JSON API at /api/v1/: bearer-token authentication and domain-error mapping.

Each app contributes a router (``<app>/api.py``) that stays thin over its services and
selectors, exactly like the HTML views.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from earlyhelp.accounts.services import user_for_token
from earlyhelp.api_idempotency import HEADER, MAX_KEY_LENGTH, WRITE_METHODS
from earlyhelp.assessments.api import router as assessments_router
from earlyhelp.casework.api import router as casework_router
from earlyhelp.casework.contacts.api import router as contacts_router
from earlyhelp.core import request_context
from earlyhelp.core.errors import DomainError
from earlyhelp.outcomes.api import router as outcomes_router
from earlyhelp.partners.api import router as partners_router
from earlyhelp.people.api import router as people_router
from earlyhelp.plans.api import router as plans_router
from earlyhelp.programmes.api import router as programmes_router
from earlyhelp.referrals.api import router as referrals_router
from earlyhelp.sharing.api import router as sharing_router
from earlyhelp.sharing.partner.api import router as partner_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        request_context.bind_user(user.pk)
        return user


_UNAUTHORISED = {
    "detail": "Authentication required: send a valid API token as `Authorization: Bearer`."
}


def signed_in_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guard the OpenAPI document and docs page: a staff session or a valid bearer token.

    Only public pages may skip sign-in, and the API's description of itself is not one of
    them. ninja wraps both the ``openapi.json`` and the docs view with this decorator; the
    login middleware leaves /api/ alone, so without it they would be open to anyone.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and BearerToken()(request) is None:
            response = JsonResponse(_UNAUTHORISED, status=401)
            response["WWW-Authenticate"] = "Bearer"
            return response
        return view(request, *args, **kwargs)

    return guarded


IDEMPOTENCY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Any 1 to 255 visible ASCII characters, new for each write (a UUID, say). Sent again "
        "with the same request, the write is not done twice: the first answer is given again, "
        "with `Idempotent-Replayed: true`. The same key with a different request is a 422; a "
        "repeat while the first is still running is a 409. Kept for a day."
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]+$",
    },
}


class EarlyhelpAPI(NinjaAPI):
    """The API, with what its middleware answers documented on every operation it applies to:
    415 for a write whose body is not sent as JSON (``core.middleware``), and the optional
    ``Idempotency-Key`` header on every write (``earlyhelp.api_idempotency``)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method.upper() in WRITE_METHODS:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
                if "requestBody" in operation:
                    operation["responses"]["415"] = {
                        "description": "The body was not sent as application/json",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    }
        return schema


api = EarlyhelpAPI(
    title="earlyhelp API",
    version="1",
    description=(
        "Referrals, triage, families and intake search for Early Help services. Every operation "
        "needs `Authorization: Bearer <token>` (issued with `earlyhelp token USERNAME`). Errors "
        "are JSON: 401 without a valid token, 404 for records you may not see, 409 for a clash "
        "with the record's state, 415 for a body not sent as `application/json`, 422 naming "
        "the field path of invalid input."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    docs_decorator=signed_in_or_token,
)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, _UNAUTHORISED, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        # "people.1.nhs_number" -> ["people", 1, "nhs_number"], the shape pydantic reports.
        loc = [int(part) if part.isdigit() else part for part in exc.field.split(".")]
        body["errors"] = [{"loc": loc, "msg": exc.message}]
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's "Cannot parse request body": a body that is not JSON is invalid input, answered
        # like any other (422 naming the location), as every operation documents.
        body = {
            "detail": "Invalid input.",
            "errors": [{"loc": ["body"], "msg": "The request body is not valid JSON."}],
        }
        return api.create_response(request, body, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Field paths and messages only: pydantic's "input" echo could hold personal data.
    errors = [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "msg": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


api.add_router("", referrals_router)
api.add_router("", casework_router)
api.add_router("", people_router)
api.add_router("", contacts_router)
api.add_router("", assessments_router)
api.add_router("", plans_router)
api.add_router("", partners_router)
api.add_router("", programmes_router)
api.add_router("", outcomes_router)
api.add_router("", sharing_router)
api.add_router("", "earlyhelp.sharing.packages.api.router")
api.add_router("", partner_router)
api.add_router("", "earlyhelp.restricted.api.router")
