"""Writes: restrict a family or a person and name who may open it, lift it, break the glass
into a family, review.

Each write records an audit event in the same transaction (codes, ids and counts only: never
the reason, which can itself say who the family is). Alert e-mails go once the transaction has
committed, and carry the family reference and a link, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Membership, Role, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import Episode
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.people.models import Family, Person
from earlyhelp.restricted.models import (
    AllowedUser,
    BreakGlassAccess,
    Notice,
    Restriction,
    ReviewOutcome,
)
from earlyhelp.restricted.permissions import (
    active_person_restriction,
    active_restriction,
    can_break_glass,
    can_manage_person_restriction,
    can_manage_restriction,
    can_review,
)

# A reason has to say something a reviewer can judge ("checking" is not a reason).
MIN_REASON_LENGTH = 20
# Roles that may be put on an access list: the people who work on case records.
CASE_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)


def _reason(text: str, field: str = "reason") -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("Enter the reason.", field=field)
    if len(cleaned) < MIN_REASON_LENGTH:
        raise InvalidInput(
            f"The reason must be at least {MIN_REASON_LENGTH} characters: say why you need it.",
            field=field,
        )
    return cleaned


def _allowed_users(usernames: Sequence[str]) -> list[User]:
    users: list[User] = []
    for index, username in enumerate(dict.fromkeys(u.strip() for u in usernames if u.strip())):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InvalidInput(
                f"There is no active user named {username!r}.", field=f"allowed.{index}"
            )
        if not Membership.objects.filter(user=user, role__in=CASE_ROLES).exists():
            raise InvalidInput(
                f"{username!r} is not a practitioner or team manager, so cannot open case records.",
                field=f"allowed.{index}",
            )
        users.append(user)
    return users


def _audit_type(target: Family | Person) -> str:
    return "family_restriction" if isinstance(target, Family) else "person_restriction"


def _restrict(
    *, actor: User, target: Family | Person, reason: str, allowed: Sequence[str]
) -> Restriction:
    """Restrict a family or a person (one mechanism for both), and audit it (ids and the
    access list's size, never the reason)."""
    reason = _reason(reason)
    users = _allowed_users(allowed)
    now = timezone.now()
    key: dict[str, Family | Person] = (
        {"family": target} if isinstance(target, Family) else {"person": target}
    )
    restriction, created = Restriction.objects.select_for_update().get_or_create(
        defaults={"reason": reason, "set_by": actor, "set_at": now}, **key
    )
    newly = created or restriction.lifted_at is not None
    if not created:
        if newly:
            restriction.set_by, restriction.set_at = actor, now
        restriction.reason = reason
        restriction.lifted_at, restriction.lifted_by = None, None
        restriction.save()
    keep = {u.pk for u in users}
    restriction.allowed_users.exclude(user_id__in=keep).delete()
    present = set(restriction.allowed_users.values_list("user_id", flat=True))
    AllowedUser.objects.bulk_create(
        AllowedUser(restriction=restriction, user=u, added_by=actor, added_at=now)
        for u in users
        if u.pk not in present
    )
    record_event(
        actor=actor,
        action=Action.CREATE if newly else Action.UPDATE,
        object_type=_audit_type(target),
        object_id=target.pk,
        detail={"allowed": len(users)},
    )
    return restriction


def _lift(restriction: Restriction | None, actor: User, target: Family | Person) -> Restriction:
    if restriction is None:
        raise Conflict(
            f"This {'family' if isinstance(target, Family) else 'person'} is not restricted."
        )
    restriction.lifted_at, restriction.lifted_by = timezone.now(), actor
    restriction.save(update_fields=["lifted_at", "lifted_by"])
    record_event(
        actor=actor, action=Action.DELETE, object_type=_audit_type(target), object_id=target.pk
    )
    return restriction


@transaction.atomic
def restrict_family(
    *, actor: User, family: Family, reason: str, allowed: Sequence[str]
) -> Restriction:
    """Restrict ``family`` (or change its restriction): only the named users open it.

    ``allowed`` is the whole access list, as usernames; it replaces the previous list.
    """
    if not can_manage_restriction(actor, family):
        raise NotFound()
    return _restrict(actor=actor, target=family, reason=reason, allowed=allowed)


@transaction.atomic
def lift_restriction(*, actor: User, family: Family) -> Restriction:
    if not can_manage_restriction(actor, family):
        raise NotFound()
    return _lift(active_restriction(family), actor, family)


@transaction.atomic
def restrict_person(
    *, actor: User, person: Person, reason: str, allowed: Sequence[str]
) -> Restriction:
    """Restrict ``person`` (or change their restriction): only the named users see them, and
    every family they belong to is closed to everyone else (break-glass opens one family).

    ``allowed`` is the whole access list, as usernames; it replaces the previous list.
    """
    if not can_manage_person_restriction(actor, person):
        raise NotFound()
    return _restrict(actor=actor, target=person, reason=reason, allowed=allowed)


@transaction.atomic
def lift_person_restriction(*, actor: User, person: Person) -> Restriction:
    if not can_manage_person_restriction(actor, person):
        raise NotFound()
    return _lift(active_person_restriction(person), actor, person)


def break_glass_hours() -> int:
    return int(settings.EARLYHELP_BREAK_GLASS_HOURS)


def alert_recipients(family: Family, actor: User) -> list[User]:
    """The DPO(s) and the managers of the family's team: its open episode's, or else the team
    of its latest episode. Never the person who broke the glass."""
    episodes = Episode.objects.filter(family=family)
    episode = (
        episodes.filter(closed_at__isnull=True).first() or episodes.order_by("-opened_at").first()
    )
    team_id = episode.team_id if episode else None
    memberships = Membership.objects.filter(role=Role.DPO)
    if team_id is not None:
        memberships = memberships | Membership.objects.filter(
            role=Role.TEAM_MANAGER, team_id=team_id
        )
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .exclude(pk=actor.pk)
        .order_by("pk")
    )


def _alert_email(family: Family, access: BreakGlassAccess, to: str) -> EmailMessage:
    link = settings.EARLYHELP_SITE_URL.rstrip("/") + reverse("restricted:review", args=[access.pk])
    body = (
        f"Someone has used break-glass access to open restricted family {family.reference}.\n\n"
        f"Review the access: {link}\n\n"
        "This e-mail deliberately holds no personal data; sign in to see who and why."
    )
    return EmailMessage(
        subject=f"Break-glass access to family {family.reference}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


@dataclass(frozen=True)
class BreakGlassResult:
    access: BreakGlassAccess
    alerted: int


@transaction.atomic
def break_glass(*, actor: User, family: Family, reason: str) -> BreakGlassResult:
    """Open a restricted family for a limited time, with a reason; alert and audit it."""
    if not can_break_glass(actor, family):
        raise NotFound()
    reason = _reason(reason)
    now = timezone.now()
    hours = break_glass_hours()
    access = BreakGlassAccess.objects.create(
        user=actor, family=family, reason=reason, at=now, expires_at=now + timedelta(hours=hours)
    )
    recipients = alert_recipients(family, actor)
    Notice.objects.bulk_create(
        Notice(recipient=r, kind=Notice.Kind.BREAK_GLASS, access=access, created_at=now)
        for r in recipients
    )
    record_event(
        actor=actor,
        action=Action.BREAK_GLASS,
        object_type="family",
        object_id=family.pk,
        detail={"access": str(access.pk), "hours": hours, "alerted": len(recipients)},
    )
    messages = [_alert_email(family, access, r.email) for r in recipients if r.email]

    def send() -> None:
        get_connection().send_messages(messages)

    if messages:
        transaction.on_commit(send)
    return BreakGlassResult(access=access, alerted=len(recipients))


@transaction.atomic
def review_access(
    *,
    actor: User,
    access: BreakGlassAccess,
    outcome: str,
    escalated: bool = False,
    note: str = "",
) -> BreakGlassAccess:
    """Record the reviewer's judgement of a break-glass access (it can be revised)."""
    if access.user_id == actor.pk:
        raise PermissionDenied("Someone else must review your own break-glass access.")
    if not can_review(actor, access):
        raise NotFound()
    if outcome not in ReviewOutcome.values:
        raise InvalidInput("Select whether the access was appropriate.", field="outcome")
    note = note.strip()
    if outcome == ReviewOutcome.INAPPROPRIATE and not note:
        raise InvalidInput(
            "Say what was wrong with the access and what you have done about it.", field="note"
        )
    revised = access.is_reviewed
    access.outcome, access.escalated, access.review_note = outcome, escalated, note
    access.reviewed_by, access.reviewed_at = actor, timezone.now()
    access.save(update_fields=["outcome", "escalated", "review_note", "reviewed_by", "reviewed_at"])
    Notice.objects.filter(access=access, read_at__isnull=True).update(read_at=access.reviewed_at)
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="break_glass_access",
        object_id=access.pk,
        detail={"outcome": outcome, "escalated": escalated, "revised": revised},
    )
    return access


def mark_notices_read(*, actor: User) -> int:
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
