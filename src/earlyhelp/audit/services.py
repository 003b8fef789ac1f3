"""The one write path into the audit trail."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit import checkpoints
from earlyhelp.audit.chain import GENESIS_HASH, compute_hash, current_key
from earlyhelp.audit.denials import Denial
from earlyhelp.audit.models import Action, AuditEvent, DenialAlert
from earlyhelp.audit.object_types import OBJECT_TYPES
from earlyhelp.audit.verification import verify_chain
from earlyhelp.core import request_context
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.ids import parse_id

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User
    from earlyhelp.accounts.permissions import AnyUser

# Any constant: every writer of the chain takes this one PostgreSQL advisory lock.
_CHAIN_LOCK_KEY = 0x6561756469740001
# Detail values are codes and counts. Free text (a name, a search term) cannot pass this.
_CODE = re.compile(r"^[a-z0-9_.:-]{0,64}$")


class UnsafeAuditDetail(ValueError):
    pass


class UnknownObjectType(ValueError):
    """An object type not in ``audit.object_types``: list it there, with its meaning."""


class ChainNotVerified(Exception):
    """A checkpoint was asked for, but the chain does not verify: nothing is written."""


def _check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    for key, value in detail.items():
        if not _CODE.match(key):
            raise UnsafeAuditDetail(f"audit detail key {key!r} is not a code")
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, bool | int) or item is None:
                continue
            if isinstance(item, uuid.UUID):
                continue
            if isinstance(item, str) and _CODE.match(item):
                continue
            raise UnsafeAuditDetail(f"audit detail {key!r} must hold codes or counts only")
    return {k: _json_safe(val) for k, val in detail.items()}


def _json_safe(value: Any) -> Any:
    # UUIDs are stored as text so that the event can be hashed as canonical JSON.
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return str(value) if isinstance(value, uuid.UUID) else value


def _lock_chain_head() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite: settings open every transaction with BEGIN IMMEDIATE, so the writer already
    # holds the database's single write lock here.


def record_event(
    *,
    actor: User | None,
    action: Action | str,
    object_type: str = "",
    object_id: str | uuid.UUID | int = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Called from every service that writes and every selector that returns personal data, so
    the event commits or rolls back with the work it records.
    """
    if object_type and object_type not in OBJECT_TYPES:
        raise UnknownObjectType(
            f"audit object type {object_type!r} is not in audit/object_types.py"
        )
    clean_detail = _check_detail(detail or {})
    if purpose and not _CODE.match(purpose):
        raise UnsafeAuditDetail("purpose must be a code")
    with transaction.atomic():
        _lock_chain_head()
        head = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        event = AuditEvent(
            seq=(head.seq + 1) if head else 1,
            at=timezone.now(),
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            purpose=purpose,
            request_id=request_context.current_request_id() or "",
            detail=clean_detail,
            prev_hash=head.hash if head else GENESIS_HASH,
        )
        key = current_key()
        event.key_id = key.id
        event.hash = compute_hash(event.prev_hash, event, key)
        event.save(force_insert=True)
    return event


def write_checkpoint(*, after_restore: bool = False) -> checkpoints.Checkpoint:
    """Record the chain's committed length and head outside the database.

    ``after_restore`` marks a restore from backup: the checkpoints beyond the restored head
    are then expected to be missing. It is refused unless everything up to the restored head
    still matches what was checkpointed, so a restore cannot be used to cover a rewrite.
    """
    result = verify_chain(assume_restored=after_restore)
    if result.walk.broken is not None:
        raise ChainNotVerified(
            f"the audit chain is broken at sequence number {result.walk.broken.seq}"
        )
    if result.problem is not None:
        raise ChainNotVerified(result.problem)
    return checkpoints.append(
        kind=checkpoints.RESTORED if after_restore else checkpoints.CHECKPOINT,
        seq=result.walk.head_seq,
        head=result.walk.head_hash,
    )


def write_denials(denials: Sequence[Denial]) -> None:
    """Audit each refusal (action ``denied``), then see whether its user's refusals in the
    window make a burst: if so, open an alert for the DPO, or add to the one still open."""
    with transaction.atomic():
        for denial in denials:
            record_event(
                actor=_user(denial.actor_id),
                action=Action.DENIED,
                object_type=denial.object_type,
                object_id=denial.object_id,
            )
        for actor_id in sorted({d.actor_id for d in denials if d.actor_id is not None}):
            _alert_on_burst(actor_id)


def _user(actor_id: int | None) -> User | None:
    from earlyhelp.accounts.models import User

    return None if actor_id is None else User.objects.filter(pk=actor_id).first()


def _alert_on_burst(actor_id: int) -> None:
    now = timezone.now()
    since = now - timedelta(minutes=int(settings.EARLYHELP_DENIAL_BURST_MINUTES))
    refused = AuditEvent.objects.filter(actor_id=actor_id, action=Action.DENIED, at__gte=since)
    count = refused.count()
    if count < int(settings.EARLYHELP_DENIAL_BURST):
        return
    open_alert = (
        DenialAlert.objects.select_for_update()
        .filter(user_id=actor_id, reviewed_at__isnull=True, last_at__gte=since)
        .first()
    )
    if open_alert is not None:
        # The same burst goes on: count every refusal since it began, no second e-mail.
        open_alert.denials = AuditEvent.objects.filter(
            actor_id=actor_id, action=Action.DENIED, at__gte=open_alert.first_at
        ).count()
        open_alert.last_at = now
        open_alert.save(update_fields=["denials", "last_at"])
        return
    first = refused.order_by("seq").values_list("at", flat=True).first() or now
    alert = DenialAlert.objects.create(
        user_id=actor_id, first_at=first, last_at=now, denials=count, created_at=now
    )
    record_event(
        actor=None,
        action=Action.CREATE,
        object_type="denial_alert",
        object_id=alert.pk,
        detail={"denials": count},
    )
    messages = [_denial_alert_email(alert, address) for address in _dpo_addresses()]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))


def _dpo_addresses() -> list[str]:
    from earlyhelp.accounts.models import Membership, Role, User

    dpos = Membership.objects.filter(role=Role.DPO).values("user_id")
    return list(
        User.objects.filter(pk__in=dpos, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _denial_alert_email(alert: DenialAlert, to: str) -> EmailMessage:
    link = settings.EARLYHELP_SITE_URL.rstrip("/") + reverse("audit:denials")
    minutes = int(settings.EARLYHELP_DENIAL_BURST_MINUTES)
    body = (
        f"A member of staff was refused {alert.denials} records outside their scope within "
        f"{minutes} minutes. That can be a mistake, or someone looking for records they "
        "should not see.\n\n"
        f"Review it: {link}\n\n"
        "This e-mail deliberately holds no personal data; sign in to see who and which records."
    )
    return EmailMessage(
        subject="Refused access to records: a burst to review",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


REVIEW_NOTE_MAX = 2000


class AlertAlreadyReviewed(DomainError):
    pass


@transaction.atomic
def review_denial_alert(*, actor: User, alert_id: uuid.UUID | str, note: str) -> DenialAlert:
    """The DPO records what they found; the alert leaves the list of those to review."""
    from earlyhelp.audit.selectors import may_review_denials

    if not may_review_denials(actor):
        raise NotFound()
    alert = DenialAlert.objects.select_for_update().filter(pk=parse_id(alert_id)).first()
    if alert is None:
        raise NotFound()
    if alert.is_reviewed:
        raise AlertAlreadyReviewed("This alert has already been reviewed.")
    note = note.strip()
    if not note:
        raise DomainError("Enter what you found.", field="note")
    if len(note) > REVIEW_NOTE_MAX:
        raise DomainError(
            f"What you found must be {REVIEW_NOTE_MAX} characters or fewer.", field="note"
        )
    alert.reviewed_by = actor
    alert.reviewed_at = timezone.now()
    alert.review_note = note
    alert.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    record_event(actor=actor, action=Action.UPDATE, object_type="denial_alert", object_id=alert.pk)
    return alert


def record_read(
    user: AnyUser, object_type: str, object_id: object = "", *, purpose: str = "", **detail: Any
) -> AuditEvent:
    """A read of personal data: the one helper every selector and list page audits with.

    ``detail`` holds counts and codes only (``count=3, list=True``), as ``record_event``
    enforces."""
    return record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type=object_type,
        object_id=str(object_id),
        purpose=purpose,
        detail=detail,
    )


def record_list_view(user: AnyUser, object_type: str, count: int) -> AuditEvent:
    """A page or response listing ``count`` records of one kind (a list is personal data)."""
    return record_read(user, object_type, count=count, list=True)
