"""Domain exceptions raised by services and selectors; views and the API map them to HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Base class. ``message`` is shown to the user, so it never contains personal data."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist *or the user may not know that it does* (never a 403)."""

    status_code = 404

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class PermissionDenied(DomainError):
    """The user can see the object but may not do this to it."""

    status_code = 403


class Conflict(DomainError):
    """The action clashes with the object's current state (e.g. a second open episode)."""

    status_code = 409


class InvalidInput(DomainError):
    """Input failed a business rule; ``field`` names where, for forms and the API."""

    status_code = 422
