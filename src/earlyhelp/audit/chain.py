"""Keying and verification of the audit chain.

Each event's hash is ``HMAC-SHA256(key, prev_hash || canonical JSON)``. The key lives outside
the database (``EARLYHELP_AUDIT_KEYS``), so someone who can write to the database but does not
hold the key cannot re-hash a changed chain into one that verifies: an unkeyed SHA-256 chain
could be recomputed by anyone. The key id is part of what is signed, so events can be
verified across key rotations without letting a forger swap the id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from earlyhelp.core.encryption import Key, audit_keys

GENESIS_HASH = "0" * 64


class ChainLink(Protocol):
    seq: int
    at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    purpose: str
    request_id: str
    detail: Any
    key_id: str
    prev_hash: str
    hash: str


def current_key() -> Key:
    return audit_keys()[0]


def key_named(key_id: str) -> Key | None:
    return next((key for key in audit_keys() if key.id == key_id), None)


def canonical_json(event: ChainLink) -> str:
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "detail": event.detail,
        "key_id": event.key_id,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def compute_hash(prev_hash: str, event: ChainLink, key: Key) -> str:
    message = (prev_hash + canonical_json(event)).encode("ascii")
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def sign(message: str, key: Key) -> str:
    """An HMAC over a short ASCII message (a checkpoint line) with an audit key."""
    return hmac.new(key.secret, message.encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


@dataclass(frozen=True)
class Walk:
    """The result of walking the chain: how many events are intact, the head, the first break."""

    checked: int
    head_seq: int
    head_hash: str
    broken: Break | None


def walk(events: Iterable[ChainLink]) -> Walk:
    """Walk events in sequence order, stopping at the first break.

    Sequence numbers start at 1 and have no gaps, so a deleted row shows as a gap; an
    inserted or reordered row shows as a wrong ``prev_hash``; a changed row, or one re-hashed
    without the key, as a wrong hash. Deleting the newest rows leaves a chain that is whole:
    only a checkpoint kept outside the database (``audit.checkpoints``) shows that.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in events:
        broken = _check_link(event, expected_seq, prev_hash)
        if broken is not None:
            return Walk(checked, expected_seq - 1, prev_hash, broken)
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return Walk(checked, expected_seq - 1, prev_hash, None)


def _check_link(event: ChainLink, expected_seq: int, prev_hash: str) -> Break | None:
    if event.seq != expected_seq:
        return Break(expected_seq, f"expected sequence {expected_seq}, found {event.seq}")
    if event.prev_hash != prev_hash:
        return Break(event.seq, "does not follow the previous event")
    key = key_named(event.key_id)
    if key is None:
        return Break(
            event.seq,
            f"it is signed with audit key {event.key_id or '(none)'!s}, which is not configured",
        )
    if not hmac.compare_digest(compute_hash(prev_hash, event, key), event.hash):
        return Break(event.seq, "its content does not match its hash")
    return None
