"""Writes that happen once however often they are sent: a retried API call, a double click.

A request carries a key its sender chose (the API's ``Idempotency-Key`` header; a page form's
hidden token, made when the form was shown). The first request with a key claims it, in a row
the database holds unique, so of two sent at the same moment exactly one claims it and the
other is told it is in progress. When the first finishes, its answer is kept, and any repeat
gets that answer again rather than doing the write a second time. A failure that did nothing
(a server error, a refused form) releases the key, so the sender can try again.

Keys and scopes are stored only as keyed hashes; the saved answer is encrypted and every row is
deleted a day after its request (``purge_idempotency_keys``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from earlyhelp.core.models import IdempotencyKey

KEPT_FOR = timedelta(hours=24)
_SALT = "earlyhelp.core.idempotency"


def digest(value: str) -> str:
    """A keyed hash: a key or token in the table cannot be matched to what a client sent."""
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Earlier:
    """A request with this key came before: still in progress, or finished with an answer."""

    same_request: bool
    finished: bool
    status_code: int
    response: str
    location: str


def claim(*, scope: str, key: str, request_hash: str = "") -> Earlier | None:
    """Claim ``key`` within ``scope`` for this request: None if it is the first (go ahead,
    then call ``finish`` or ``release``), else what is known of the earlier one."""
    scope_digest, key_digest = digest(scope), digest(key)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    scope=scope_digest, key=key_digest, request_hash=request_hash
                )
            return None
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(scope=scope_digest, key=key_digest).first()
            if earlier is None:
                continue  # released between our insert and our read: try once more
            if earlier.created_at < timezone.now() - KEPT_FOR:
                earlier.delete()  # past its day; the purge had not run yet
                continue
            return Earlier(
                same_request=earlier.request_hash == request_hash,
                finished=earlier.status_code is not None,
                status_code=earlier.status_code or 0,
                response=earlier.response,
                location=earlier.location,
            )
    raise RuntimeError("idempotency key could not be claimed")  # pragma: no cover


def finish(
    *, scope: str, key: str, status_code: int, response: str = "", location: str = ""
) -> None:
    IdempotencyKey.objects.filter(scope=digest(scope), key=digest(key)).update(
        status_code=status_code, response=response, location=location
    )


def release(*, scope: str, key: str) -> None:
    IdempotencyKey.objects.filter(scope=digest(scope), key=digest(key)).delete()


class OncePerForm:
    """A page form's token, claimed for one signed-in user and one form.

    ``claim`` before the write; then ``finish`` with the page to send a repeat to, or
    ``release`` if nothing was written. A form sent without a token (a page opened before
    tokens existed) is not protected, but is saved as before.
    """

    def __init__(self, request: HttpRequest, form_name: str, token: str) -> None:
        self.scope = f"page:{request.user.pk}:{form_name}"
        self.key = token or uuid.uuid4().hex

    def claim(self) -> Earlier | None:
        return claim(scope=self.scope, key=self.key)

    def finish(self, location: str) -> None:
        finish(scope=self.scope, key=self.key, status_code=302, location=location)

    def release(self) -> None:
        release(scope=self.scope, key=self.key)


def purge(*, now: datetime | None = None) -> int:
    """Delete every key older than a day; the number deleted."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
