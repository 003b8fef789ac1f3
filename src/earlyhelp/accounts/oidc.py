"""Single sign-on with the council's identity provider over OpenID Connect.

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE, the token request and
the ID token's signature); this backend adds what earlyhelp needs on top:

- the provider's endpoints may come from its discovery document (``OIDC_OP_DISCOVERY``);
- the ID token's issuer, audience and expiry are checked, and the userinfo subject must be the
  ID token's subject;
- users are matched by the provider's subject identifier (``OidcIdentity``), never by e-mail
  address or username, so a local account cannot be taken over by a look-alike identity;
- roles and team memberships follow the groups claim on every sign-in through
  ``EARLYHELP_OIDC_GROUP_MAP``: a group taken away at the provider takes the role away here,
  and someone in no mapped group is refused (no account is created for them).

A refusal sets ``request.oidc_refusal`` to a reason code (``REFUSAL_REASONS``) that the
callback view turns into a page, and raises ``PermissionDenied`` so that Django records a
failed sign-in. Nothing personal goes into logs or the audit trail.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from earlyhelp.accounts.models import OidcIdentity, User
from earlyhelp.accounts.services import grant_role, revoke_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import DomainError

logger = logging.getLogger(__name__)

BACKEND_PATH = "earlyhelp.accounts.oidc.OidcBackend"
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
DISCOVERY_CACHE_SECONDS = 3600

# Why a single sign-on was refused; each has its own explanation on the refusal page.
NO_GROUP = "no_group"
INACTIVE = "inactive"
INVALID_RESPONSE = "invalid_response"
PROVIDER_UNAVAILABLE = "provider_unavailable"
PROVIDER_ERROR = "provider_error"
CONFIGURATION = "configuration"
REFUSAL_REASONS = frozenset(
    {NO_GROUP, INACTIVE, INVALID_RESPONSE, PROVIDER_UNAVAILABLE, PROVIDER_ERROR, CONFIGURATION}
)

_ENDPOINT_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}


class OidcRefused(PermissionDenied):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refuse(request: HttpRequest, reason: str) -> OidcRefused:
    """Mark the request with why sign-in was refused; the caller raises what this returns."""
    request.oidc_refusal = reason  # type: ignore[attr-defined]
    return OidcRefused(reason)


def discovery_document() -> dict[str, Any]:
    """The provider's discovery document, fetched at most once an hour; {} without one."""
    url = settings.OIDC_OP_DISCOVERY
    if not url:
        return {}
    cached = _discovery_cache.get(url)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_CACHE_SECONDS:
        return cached[1]
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict):
        raise ImproperlyConfigured("OIDC_OP_DISCOVERY did not return a discovery document.")
    missing = [key for key in ("issuer", *_ENDPOINT_KEYS.values()) if not document.get(key)]
    if missing:
        raise ImproperlyConfigured(f"The discovery document lacks {', '.join(missing)}.")
    # OpenID Connect Discovery 1.0, section 4.3: the issuer is the URL it was fetched under.
    if document["issuer"].rstrip("/") != url.removesuffix(DISCOVERY_SUFFIX).rstrip("/"):
        raise ImproperlyConfigured("The discovery document's issuer does not match its URL.")
    _discovery_cache[url] = (time.monotonic(), document)
    return document


def oidc_setting(attr: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting; endpoints not set one by one come from discovery."""
    if attr in _ENDPOINT_KEYS and not getattr(settings, attr, "") and settings.OIDC_OP_DISCOVERY:
        return discovery_document()[_ENDPOINT_KEYS[attr]]
    return import_from_settings(attr, *default)


def expected_issuer() -> str:
    issuer = settings.OIDC_OP_ISSUER or discovery_document().get("issuer", "")
    if not issuer:
        raise ImproperlyConfigured("Set OIDC_OP_ISSUER or OIDC_OP_DISCOVERY.")
    return str(issuer)


def exempt_from_lockout(request: HttpRequest | None, credentials: Any = None) -> bool:
    """AXES_WHITELIST_CALLABLE: single sign-on callbacks are not counted by the lockout.

    The lockout is against password guessing; the callback takes no password (the provider
    guards its own sign-in), and counting refusals there would lock every member of staff
    behind an office's shared IP address out of single sign-on.
    """
    return request is not None and request.path == reverse("oidc_authentication_callback")


def mapped_roles(claims: dict[str, Any]) -> set[tuple[str, str | None]]:
    """The (role, team slug or None) pairs the user's groups give them."""
    groups = claims.get(settings.EARLYHELP_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    group_map: dict[str, tuple[str, str | None]] = settings.EARLYHELP_OIDC_GROUP_MAP
    return {group_map[g] for g in groups if isinstance(g, str) and g in group_map}


_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def _username_for(claims: dict[str, Any]) -> str:
    wanted = str(claims.get("preferred_username") or claims.get("email") or "")
    base = _USERNAME_UNSAFE.sub("-", wanted).strip("-")[:140] or "sso-user"
    candidate, number = base, 1
    # A name already taken (a local account, say) is never reused: the new user gets a suffix.
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _text_claim(claims: dict[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    return value[:limit] if isinstance(value, str) else ""


class OidcBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every listed backend for every sign-in, the password form's included:
        # the provider is only asked for its endpoints when a callback is being handled, so a
        # provider that is down cannot stop local accounts from signing in.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if (
            request is None
            or not settings.OIDC_ENABLED
            or "nonce" not in kwargs
            or "username" in kwargs
            or "password" in kwargs
        ):
            return None
        try:
            super().__init__()
            user: User | None = super().authenticate(request, **kwargs)
        except OidcRefused:
            raise
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            # The library's messages name the check that failed, never a claim's value.
            logger.warning("single sign-on response refused: %s", exc)
            raise refuse(request, INVALID_RESPONSE) from None
        except (requests.RequestException, ValueError, KeyError) as exc:
            # The exception text may quote the provider's response: only its type is logged.
            logger.warning("single sign-on provider failed: %s", type(exc).__name__)
            raise refuse(request, PROVIDER_UNAVAILABLE) from None
        except ImproperlyConfigured as exc:
            logger.error("single sign-on is misconfigured: %s", exc)
            raise refuse(request, CONFIGURATION) from None
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if "nonce" not in kwargs:
            return payload  # a signed userinfo response, not an ID token
        # The library checks the signature and the nonce; these are OpenID Connect Core 3.1.3.7.
        if payload.get("iss") != expected_issuer():
            raise SuspiciousOperation("ID token issuer mismatch.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience mismatch.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised party mismatch.")
        if not isinstance(payload.get("exp"), int | float):
            raise SuspiciousOperation("ID token without expiry.")
        if not payload.get("sub"):
            raise SuspiciousOperation("ID token without subject.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        request = self.request
        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload["sub"]:
            # OpenID Connect Core 5.3.2: the userinfo response must be about the same person.
            logger.warning("single sign-on refused: userinfo subject mismatch")
            raise refuse(request, INVALID_RESPONSE)
        targets = mapped_roles(claims)
        try:
            user = self._synchronise(payload["iss"], payload["sub"], claims, targets)
        except DomainError as exc:
            # The group map names a role or team that does not exist: a configuration fault.
            logger.error("single sign-on group map is wrong: %s", exc.message)
            raise refuse(request, CONFIGURATION) from None
        if user is None or not targets:
            raise refuse(request, NO_GROUP)
        if not user.is_active:
            raise refuse(request, INACTIVE)
        return user

    @transaction.atomic
    def _synchronise(
        self,
        issuer: str,
        subject: str,
        claims: dict[str, Any],
        targets: set[tuple[str, str | None]],
    ) -> User | None:
        identity = (
            OidcIdentity.objects.select_related("user")
            .select_for_update()
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            if not targets:
                return None  # nobody in a mapped group gets an account
            user = User(username=_username_for(claims))
            user.set_unusable_password()  # a single sign-on user has no password here
            self._copy_details(user, claims)
            user.save()
            identity = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
            record_event(
                actor=None,
                action=Action.CREATE,
                object_type="user",
                object_id=user.pk,
                detail={"method": "oidc"},
            )
        else:
            user = identity.user
            self._copy_details(user, claims)
            user.save(update_fields=["email", "first_name", "last_name"])
        current = {
            (m.role, m.team.slug if m.team else None)
            for m in user.memberships.select_related("team")
        }
        for role, team_slug in sorted(current - targets, key=str):
            revoke_role(actor=None, user=user, role=role, team_slug=team_slug)
        for role, team_slug in sorted(targets - current, key=str):
            grant_role(actor=None, user=user, role=role, team_slug=team_slug)
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        return user

    @staticmethod
    def _copy_details(user: User, claims: dict[str, Any]) -> None:
        user.email = _text_claim(claims, "email", 254)
        user.first_name = _text_claim(claims, "given_name", 150)
        user.last_name = _text_claim(claims, "family_name", 150)

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
