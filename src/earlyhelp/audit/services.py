"""The one write path into the audit trail."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from earlyhelp.audit.chain import GENESIS_HASH, compute_hash
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.core import request_context

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User

# Any constant: every writer of the chain takes this one PostgreSQL advisory lock.
_CHAIN_LOCK_KEY = 0x6561756469740001
# Detail values are codes and counts. Free text (a name, a search term) cannot pass this.
_CODE = re.compile(r"^[a-z0-9_.:-]{0,64}$")


class UnsafeAuditDetail(ValueError):
    pass


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
        event.hash = compute_hash(event.prev_hash, event)
        event.save(force_insert=True)
    return event
