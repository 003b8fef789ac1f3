"""Hashing and verification of the audit chain: hash = SHA-256(prev_hash || canonical JSON)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

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
    prev_hash: str
    hash: str


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
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def compute_hash(prev_hash: str, event: ChainLink) -> str:
    return hashlib.sha256((prev_hash + canonical_json(event)).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def find_first_break(events: Iterable[ChainLink]) -> tuple[int, Break | None]:
    """Walk events in sequence order; return how many were checked and the first break.

    Sequence numbers start at 1 and have no gaps, so a deleted row shows as a gap; an
    inserted or reordered row shows as a wrong ``prev_hash``; a changed row as a wrong hash.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in events:
        if event.seq != expected_seq:
            return checked, Break(
                expected_seq, f"expected sequence {expected_seq}, found {event.seq}"
            )
        if event.prev_hash != prev_hash:
            return checked, Break(event.seq, "does not follow the previous event")
        if compute_hash(prev_hash, event) != event.hash:
            return checked, Break(event.seq, "its content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return checked, None
