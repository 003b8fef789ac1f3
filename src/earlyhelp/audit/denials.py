"""Refused attempts to open a record out of scope: audited, and a burst alerts the DPO.

The gatekeepers (``casework.selectors.get_family_for_user`` and the others) call
:func:`record_denial` where they answer "not found" for a record that exists but that the
user may not see. The event holds what every audit event holds and nothing more: the
user's id, the kind of record and its opaque id.

A refusal is raised as NotFound, which rolls back the transaction it happened in, and an
audit event written there would roll back with it. So during a request the refusals are
held and written when the request is over (``DenialAuditMiddleware``), outside the view's
transactions; outside a request they are written at once.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from earlyhelp.accounts.permissions import AnyUser


@dataclass(frozen=True)
class Denial:
    actor_id: int | None
    object_type: str
    object_id: str


_held: contextvars.ContextVar[list[Denial] | None] = contextvars.ContextVar(
    "audit_held_denials", default=None
)


def record_denial(*, actor: AnyUser, object_type: str, object_id: str | uuid.UUID) -> None:
    """``actor`` was refused the ``object_type`` record ``object_id``, which exists."""
    from earlyhelp.audit.services import write_denials

    denial = Denial(
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        object_type=object_type,
        object_id=str(object_id),
    )
    held = _held.get()
    if held is None:
        write_denials([denial])
    else:
        held.append(denial)


class DenialAuditMiddleware:
    """Holds the request's refusals and writes them once the response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from earlyhelp.audit.services import write_denials

        held: list[Denial] = []
        token = _held.set(held)
        try:
            response = self.get_response(request)
        finally:
            _held.reset(token)
            if held:
                write_denials(held)
        return response
