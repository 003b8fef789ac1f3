"""The current request's opaque id and acting user id, for audit events and log lines.

Context variables rather than thread locals so the values follow the request into any
async code and never leak between requests served by one worker thread.
"""

from __future__ import annotations

import contextvars
import uuid
from typing import Any

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def current_user_id() -> int | None:
    return _user_id.get()


def bind(*, request_id: str | None, user_id: int | None = None) -> list[contextvars.Token[Any]]:
    tokens: list[contextvars.Token[Any]] = [_request_id.set(request_id), _user_id.set(user_id)]
    return tokens


def bind_user(user_id: int | None) -> None:
    _user_id.set(user_id)


def unbind(tokens: list[contextvars.Token[Any]]) -> None:
    _request_id.reset(tokens[0])
    _user_id.reset(tokens[1])
