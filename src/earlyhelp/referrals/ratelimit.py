"""A small fixed-window rate limit for the public referral form, kept in Django's cache.

No third-party service sees the visitor. The cache key is a keyed SHA-256 (HMAC with the
secret key) of the client's IP address, so the address itself is never stored, and a plain
hash of the small IPv4 space could not be reversed by trying every address either.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from earlyhelp.core.client_address import client_address

WINDOW_SECONDS = 60 * 60
DEFAULT_PER_HOUR = 10
_KEY_SALT = "earlyhelp.referrals.ratelimit"


def limit_per_hour() -> int:
    return int(getattr(settings, "EARLYHELP_PUBLIC_REFERRALS_PER_HOUR", DEFAULT_PER_HOUR))


def client_key(request: HttpRequest) -> str:
    """An opaque key for the client (its address behind a trusted proxy: core.client_address)."""
    address = client_address(request) or "unknown"
    return salted_hmac(_KEY_SALT, address, algorithm="sha256").hexdigest()


def _cache_key(request: HttpRequest, now: float) -> str:
    window = int(now // WINDOW_SECONDS)
    return f"eh:public-referral:{client_key(request)}:{window}"


def hit(request: HttpRequest, *, now: float | None = None) -> bool:
    """Count one submission from this client; False once it is over this hour's limit."""
    key = _cache_key(request, time.time() if now is None else now)
    # add() only sets a missing key, so concurrent first hits do not reset each other's count.
    # The timeout outlives the window slightly; the window number in the key ends it anyway.
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count <= limit_per_hour()
