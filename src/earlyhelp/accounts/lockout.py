"""Lockout after repeated failed sign-ins (django-axes), without revealing who exists.

``LockoutBackend`` is django-axes' standalone backend placed first in
``AUTHENTICATION_BACKENDS``: once a username and IP address pair has failed
``AXES_FAILURE_LIMIT`` times, every further attempt from that pair is refused for
``AXES_COOLOFF_TIME``, even with the right password. Attempts are counted per username and
IP address whether or not the username exists, and a refused attempt renders the same sign-in
form error with the same status as a wrong password, so the form never tells an attacker
whether an account exists or is locked.

An administrator unlocks early with ``earlyhelp axes_reset`` (everyone),
``earlyhelp axes_reset_username USERNAME`` or ``earlyhelp axes_reset_ip IP``.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest, HttpResponse


class LockoutBackend(AxesStandaloneBackend):
    """Refuse locked-out username and IP pairs; authentication itself is ModelBackend's.

    Authentication without an HTTP request (Django's test client ``login()``, code calling
    ``authenticate`` directly) has no IP address to count against, so it is passed on to the
    next backend rather than refused: every sign-in from a browser goes through the sign-in
    view, which always passes the request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse | None:
    """AXES_LOCKOUT_CALLABLE: keep the sign-in form's own answer.

    The form already says "Enter a correct username and password" with status 200; answering
    a locked-out attempt any differently (django-axes' default is a 429 page) would tell the
    caller that this username exists and is locked.
    """
    return original_response
