"""What every JSON API error looks like, and the helper that gives service errors a path.

Every error body is ``{"detail": ..., "errors": [{"loc": [...], "msg": ...}]}``: the same
shape whether pydantic rejected the input or a service's business rule did, so a partner's
system needs one error parser. ``loc`` is a path in the request, for example
``["body", "payload", "people", 1, "nhs_number"]`` or ``["query", "postcode"]``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any, cast

from django.http import HttpRequest
from ninja import Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from earlyhelp.accounts.models import User
from earlyhelp.core.date_bounds import out_of_range
from earlyhelp.core.errors import InvalidInput


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class Error(Schema):
    """401, 403, 404 and 409: ``errors`` appears only when the problem has a field."""

    detail: str
    errors: list[ErrorItem] | None = None


class ValidationErrorSchema(Schema):
    """422: each entry names the path of one invalid value (never echoes the value)."""

    detail: str
    errors: list[ErrorItem]


# The error responses every authenticated operation can give.
AUTH_ERRORS: dict[int, type[Schema]] = {401: Error, 422: ValidationErrorSchema}


def api_user(request: HttpRequest) -> User:
    """The user the bearer token belongs to (set by ``earlyhelp.api.BearerToken``)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


@contextmanager
def input_errors_at(prefix: str, renames: dict[str, str] | None = None) -> Iterator[None]:
    """Re-raise a service's InvalidInput with its field placed where it is in the request.

    Services name fields as their own inputs (``people.0.nhs_number``); the API reports the
    request path (``body.payload.people.0.nhs_number``) so both kinds of 422 read the same.
    ``renames`` maps a service field's first part to the request's name for it.
    """
    try:
        yield
    except InvalidInput as exc:
        field = exc.field or ""
        head, _, rest = field.partition(".")
        head = (renames or {}).get(head, head)
        path = ".".join(part for part in (prefix, head, rest) if part)
        raise InvalidInput(exc.message, field=path) from None


def unsafe_value_problem(value: Any) -> str | None:
    """Why a value no request may carry is refused, or None: a NUL character (PostgreSQL
    cannot store one in text), a date outside ``core.date_bounds``, a time of day with
    a UTC offset (a session's time is local time). Looks inside lists and mappings."""
    if isinstance(value, str):
        return "Must not contain a NUL character." if "\x00" in value else None
    if isinstance(value, datetime):
        return out_of_range(value.date())
    if isinstance(value, date):
        return out_of_range(value)
    if isinstance(value, time):
        return "Must be a local time of day without a UTC offset." if value.tzinfo else None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
        return next((p for p in map(unsafe_value_problem, items) if p), None)
    if isinstance(value, list | tuple | set | frozenset):
        return next((p for p in map(unsafe_value_problem, value) if p), None)
    return None


class InputSchema(Schema):
    """The base of every request body and query schema (a test holds every operation to it).

    One rule for every field of every input, so a new field cannot forget it: the values that
    no request may carry (``unsafe_value_problem``) are a 422 naming the field, never a 500
    from the database or a year-1 record that breaks every page that lists it.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_unsafe_values(cls, value: Any) -> Any:
        problem = unsafe_value_problem(value)
        if problem:
            raise PydanticCustomError("unsafe_value", problem)
        return value
