"""Writes for accounts: teams, users with roles, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from earlyhelp.accounts.models import TEAM_ROLES, ApiToken, Membership, Role, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound

TOKEN_PREFIX = "eh_"  # noqa: S105 - a public marker, not a secret


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput(
            f"Unknown role {value!r}. Choose one of: {choices}.", field="role"
        ) from None


def team_by_slug(slug: str) -> Team:
    try:
        return Team.objects.get(slug=slug)
    except Team.DoesNotExist:
        raise NotFound(f"There is no team with the slug {slug!r}.") from None


@transaction.atomic
def create_team(*, actor: User | None, slug: str, name: str) -> Team:
    if not slug or slugify(slug) != slug:
        raise InvalidInput("A team slug is lower-case letters, digits and hyphens.", field="slug")
    if not name.strip():
        raise InvalidInput("Enter the team's name.", field="name")
    if Team.objects.filter(slug=slug).exists():
        raise Conflict(f"A team with the slug {slug!r} already exists.")
    if Team.objects.filter(name=name.strip()).exists():
        raise Conflict(f"A team named {name.strip()!r} already exists.")
    team = Team.objects.create(slug=slug, name=name.strip())
    record_event(actor=actor, action=Action.CREATE, object_type="team", object_id=team.pk)
    return team


@dataclass(frozen=True)
class CreatedUser:
    user: User
    password: str
    generated: bool


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    role: str,
    team_slug: str | None,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> CreatedUser:
    """Create a staff user holding one role (in a team for team roles).

    Without a password a one-time one is generated; the user is asked to change it.
    """
    the_role = _role(role)
    team = team_by_slug(team_slug) if team_slug else None
    if the_role in TEAM_ROLES and team is None:
        raise InvalidInput(f"The role {the_role.value} needs a team (--team SLUG).", field="team")
    if not username.strip():
        raise InvalidInput("Enter a username.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"A user named {username!r} already exists.")
    generated = password is None
    secret = password if password is not None else secrets.token_urlsafe(15)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(secret, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    user.set_password(secret)
    user.save()
    Membership.objects.create(user=user, team=team, role=the_role)
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="user",
        object_id=user.pk,
        detail={"role": the_role.value},
    )
    return CreatedUser(user=user, password=secret, generated=generated)


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: str, team_slug: str | None) -> Membership:
    the_role = _role(role)
    team = team_by_slug(team_slug) if team_slug else None
    if the_role in TEAM_ROLES and team is None:
        raise InvalidInput(f"The role {the_role.value} needs a team.", field="team")
    membership, created = Membership.objects.get_or_create(user=user, team=team, role=the_role)
    if created:
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=user.pk,
            detail={"granted_role": the_role.value},
        )
    return membership


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, role: str, team_slug: str | None) -> bool:
    """Take a role (in a team, or council-wide without one) away; False if it was not held."""
    the_role = _role(role)
    memberships = Membership.objects.filter(user=user, role=the_role)
    memberships = (
        memberships.filter(team__slug=team_slug) if team_slug else memberships.filter(team=None)
    )
    deleted, _ = memberships.delete()
    if deleted:
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=user.pk,
            detail={"revoked_role": the_role.value},
        )
    return bool(deleted)


def _hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough (no need for a slow hash).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(*, actor: User | None, user: User) -> str:
    """Create a bearer token and return it; it cannot be shown again."""
    secret = secrets.token_urlsafe(32)
    prefix = secret[:8]
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(user=user, prefix=prefix, key_hash=_hash_token(raw))
    record_event(actor=actor, action=Action.CREATE, object_type="api_token", object_id=token.pk)
    return raw


@transaction.atomic
def revoke_tokens(*, actor: User | None, user: User) -> int:
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, action=Action.DELETE, object_type="api_token", object_id=token.pk)
    return len(tokens)


def user_for_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None for unknown or revoked tokens."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Recorded at most once a minute: a busy partner system should not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def get_user_by_username(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise NotFound(f"There is no user named {username!r}.") from None
