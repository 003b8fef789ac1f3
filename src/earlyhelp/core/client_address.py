"""The address of the client a request came from, also behind the council's reverse proxy.

``REMOTE_ADDR`` is the address the WSGI server saw: behind a proxy that is the proxy's, the
same for every visitor, so a per-address limit would lock everyone out together. A proxy adds
the address it saw to ``X-Forwarded-For``; but a client can send that header too, forged. So
it is read only when the request came from a configured proxy (``EARLYHELP_TRUSTED_PROXIES``:
addresses or networks), and from the right: the last address that is not one of our proxies
is the client (anything left of it was written by the client and is not believed).

Used by everything that counts per client: the public form's rate limit and the sign-in
lockout (``AXES_CLIENT_IP_CALLABLE``). The address is never stored or logged; the rate limit
keeps only a keyed hash of it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in configured)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "EARLYHELP_TRUSTED_PROXIES", ())))


def _is_proxy(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy, in which case the
    rightmost address in X-Forwarded-For that is not a trusted proxy."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = trusted_proxies()
    if not proxies or not _is_proxy(remote, proxies):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _valid(hop):
            break  # garbage in the chain: believe nothing further left
        if not _is_proxy(hop, proxies):
            return hop
    # Only proxies (or nothing believable) in the chain: count it against the proxy itself.
    return remote
