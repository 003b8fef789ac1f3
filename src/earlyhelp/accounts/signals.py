"""Sign-in, failed sign-in and sign-out go into the audit trail (never the username tried)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # ``backend`` is the dotted path of the backend that authenticated the user.
    sso = getattr(user, "backend", "") == "earlyhelp.accounts.oidc.OidcBackend"
    record_event(
        actor=user,
        action=Action.LOGIN,
        object_type="user",
        object_id=user.pk,
        detail={"method": "oidc" if sso else "password"},
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action=Action.LOGOUT, object_type="user", object_id=user.pk)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The attempted username may be a mistyped password or someone's name: not recorded.
    record_event(actor=None, action=Action.LOGIN_FAILED, object_type="user")
