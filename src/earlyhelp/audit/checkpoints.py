"""Checkpoints of the audit chain kept outside the database.

A chain whose newest events were deleted is still a whole chain: nothing inside the database
can show what is missing. So a scheduled job (``earlyhelp audit checkpoint``) appends the
chain's length and head hash to a file on other storage (``EARLYHELP_AUDIT_CHECKPOINT_FILE``,
ideally append-only or write-once) and to the log, which the council ships off the server;
``earlyhelp audit verify`` compares the chain against every checkpoint. Each line is signed
with the audit key, so a line changed by hand is also found.

A restore from backup legitimately loses the events after the backup: ``earlyhelp audit
checkpoint --after-restore`` writes a *restored* line, and the checkpoints before it that
lie beyond the restored head are reported as lost in the restore instead of as deletions.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from earlyhelp.audit.chain import current_key, key_named, sign

logger = logging.getLogger("earlyhelp.audit")

CHECKPOINT = "checkpoint"
RESTORED = "restored"


class DamagedCheckpoint(Exception):
    """A checkpoint line that cannot be read or whose signature does not match."""


@dataclass(frozen=True)
class Checkpoint:
    line: int
    kind: str
    seq: int
    head: str
    at: datetime


def checkpoint_file() -> Path:
    return Path(settings.EARLYHELP_AUDIT_CHECKPOINT_FILE)


def _signed_text(kind: str, seq: int, head: str, at: str) -> str:
    return f"{kind}:{seq}:{head}:{at}"


def append(*, kind: str, seq: int, head: str) -> Checkpoint:
    """Append one signed line (and log it); the file is created 0600."""
    at = timezone.now().isoformat(timespec="seconds")
    key = current_key()
    line = json.dumps(
        {
            "kind": kind,
            "seq": seq,
            "head": head,
            "at": at,
            "key_id": key.id,
            "mac": sign(_signed_text(kind, seq, head, at), key),
        },
        separators=(",", ":"),
    )
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    # The same line goes to the log: a second copy outside the database and off this server.
    logger.info("audit %s seq=%d head=%s", kind, seq, head)
    number = sum(1 for _ in path.open(encoding="ascii"))
    return Checkpoint(number, kind, seq, head, datetime.fromisoformat(at))


def read_all() -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; none when there is no file yet."""
    path = checkpoint_file()
    if not path.exists():
        return []
    checkpoints = []
    with path.open(encoding="ascii", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if text.strip():
                checkpoints.append(_parse(number, text))
    return checkpoints


def _parse(number: int, text: str) -> Checkpoint:
    try:
        entry = json.loads(text)
        kind, seq, head, at = entry["kind"], int(entry["seq"]), entry["head"], entry["at"]
        key_id, mac = entry["key_id"], entry["mac"]
        if kind not in (CHECKPOINT, RESTORED) or not all(
            isinstance(v, str) for v in (head, at, key_id, mac)
        ):
            raise ValueError
        stamp = datetime.fromisoformat(at)
    except (ValueError, KeyError, TypeError):
        raise DamagedCheckpoint(f"line {number} of the checkpoint file is unreadable") from None
    key = key_named(key_id)
    if key is None:
        raise DamagedCheckpoint(
            f"line {number} of the checkpoint file is signed with an audit key that is not "
            "configured"
        )
    if not hmac.compare_digest(sign(_signed_text(kind, seq, head, at), key), mac):
        raise DamagedCheckpoint(
            f"line {number} of the checkpoint file does not match its signature: it was changed"
        )
    return Checkpoint(number, kind, seq, head, stamp)
