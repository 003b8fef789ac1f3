"""``Idempotency-Key`` on the API's writes: a retried POST, PUT, PATCH or DELETE with the same
key and the same request gets the first answer again, and the write is done once.

Keys are scoped to the bearer token that sent them (so one client's key never replays another
client's answer) and checked against the whole request: the same key with a different method,
path or body is a 422. A repeat that arrives while the first is still running is a 409. A
server error, or a token the API does not accept, releases the key. See ``core.idempotency``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from earlyhelp.accounts.services import user_for_token
from earlyhelp.core import idempotency

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"


def _invalid(message: str, status: int = 422) -> JsonResponse:
    errors = [{"loc": ["header", HEADER], "msg": message}]
    return JsonResponse({"detail": message, "errors": errors}, status=status)


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(33 <= ord(c) <= 126 for c in key)


def _request_hash(request: HttpRequest) -> str:
    parts = [request.method or "", request.get_full_path(), request.body.decode("latin-1")]
    return hashlib.sha256("\x00".join(parts).encode("latin-1", "replace")).hexdigest()


class IdempotentApiWritesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS:
            return self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not _valid_key(key):
            return _invalid(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters.")
        authorisation = request.headers.get("Authorization", "")
        token = authorisation.removeprefix("Bearer ").strip()
        if not token or user_for_token(token) is None:
            return self.get_response(request)  # answered 401 by the API; nothing to replay
        scope = "api:" + token
        request_hash = _request_hash(request)
        earlier = idempotency.claim(scope=scope, key=key, request_hash=request_hash)
        if earlier is not None:
            if not earlier.same_request:
                return _invalid(f"This {HEADER} was already used for a different request.")
            if not earlier.finished:
                return _invalid(f"A request with this {HEADER} is still being processed.", 409)
            replay = HttpResponse(
                earlier.response, status=earlier.status_code, content_type="application/json"
            )
            if earlier.location:
                replay["Location"] = earlier.location
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency.release(scope=scope, key=key)
            raise
        if response.status_code >= 500 or response.status_code == 401:
            idempotency.release(scope=scope, key=key)
            return response
        body = ""
        if response.get("Content-Type", "").startswith("application/json"):
            body = response.content.decode("utf-8")
            json.loads(body or "null")  # only ever JSON is replayed as JSON
        idempotency.finish(
            scope=scope,
            key=key,
            status_code=response.status_code,
            response=body,
            location=response.get("Location", ""),
        )
        return response
