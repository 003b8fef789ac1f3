"""The chain is keyed and checkpointed outside the database (issue 12, item 5).

Someone with write access to the database but not the audit key cannot re-hash a changed
chain into one that verifies, and deleting the newest events (which leaves a whole chain) is
found by comparing with the checkpoints that `earlyhelp audit checkpoint` keeps in a file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from earlyhelp.audit import checkpoints
from earlyhelp.audit.chain import GENESIS_HASH, canonical_json, compute_hash, current_key
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import record_event
from earlyhelp.core.encryption import Key, generate_key_line
from tests.app_role import as_owner

pytestmark = pytest.mark.django_db


def _events(count: int) -> None:
    for n in range(count):
        record_event(
            actor=None,
            action=Action.VIEW,
            object_type="family",
            object_id=uuid.uuid4(),
            detail={"count": n},
        )


def verify() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def checkpoint(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "checkpoint", *args, stdout=out)
    return out.getvalue()


@contextmanager
def tampering() -> Iterator[None]:
    """Someone who can switch the append-only trigger off (PostgreSQL) or has the file."""
    with as_owner(triggers=False):
        yield


def _rehash_from(seq: int, hasher) -> None:  # type: ignore[no-untyped-def]
    """Rewrite every hash from ``seq`` on, as a forger who changed that event would."""
    events = list(AuditEvent.objects.order_by("seq"))
    prev = GENESIS_HASH
    for event in events:
        if event.seq >= seq:
            event.prev_hash = prev
            event.hash = hasher(prev, event)
            AuditEvent.objects.filter(pk=event.pk).update(
                prev_hash=event.prev_hash, hash=event.hash
            )
        prev = event.hash


def _plain_sha256(prev: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev + canonical_json(event)).encode("ascii")).hexdigest()


def _guessed_key(prev: str, event: AuditEvent) -> str:
    return compute_hash(prev, event, Key(event.key_id, b"\x00" * 32))


def test_every_event_is_keyed_with_the_current_audit_key() -> None:
    _events(2)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    key_id, _, encoded = settings.EARLYHELP_AUDIT_KEYS[0].partition(":")
    secret = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    assert event.key_id == key_id
    expected = hmac.new(
        secret, (event.prev_hash + canonical_json(event)).encode("ascii"), hashlib.sha256
    ).hexdigest()
    assert event.hash == expected
    assert event.hash != _plain_sha256(event.prev_hash, event)


@pytest.mark.parametrize("hasher", [_plain_sha256, _guessed_key], ids=["sha256", "wrong-key"])
def test_a_chain_re_hashed_without_the_key_is_broken_where_it_was_changed(hasher) -> None:  # type: ignore[no-untyped-def]
    _events(6)
    victim = AuditEvent.objects.order_by("seq")[2]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(action=Action.SEARCH)
        _rehash_from(victim.seq, hasher)
    with pytest.raises(CommandError, match=rf"sequence number {victim.seq}\b.*does not match"):
        verify()


def test_an_event_signed_with_an_unknown_key_id_is_a_break() -> None:
    _events(3)
    victim = AuditEvent.objects.order_by("seq")[1]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(key_id="forged")
    with pytest.raises(CommandError, match=rf"{victim.seq}\b.*not configured"):
        verify()


def test_events_from_an_older_key_verify_after_rotation() -> None:
    _events(3)
    new_key = generate_key_line("rotated")
    with override_settings(EARLYHELP_AUDIT_KEYS=[new_key, *settings.EARLYHELP_AUDIT_KEYS]):
        _events(2)
        assert {e.key_id for e in AuditEvent.objects.all()} >= {"rotated", "test-1"}
        assert "events verified" in verify()
    # Dropping the old key while its events are kept is itself reported.
    with (
        override_settings(EARLYHELP_AUDIT_KEYS=[new_key]),
        pytest.raises(CommandError, match="not configured"),
    ):
        verify()


def test_deleting_the_newest_events_is_found_by_the_checkpoint() -> None:
    _events(6)
    assert "Checkpoint written: 6 events" in checkpoint()
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None
    with tampering():
        AuditEvent.objects.filter(seq__gt=4).delete()
    # The chain that is left is whole: only the checkpoint shows what is missing.
    with pytest.raises(CommandError, match=r"ends at sequence number 4.*recorded 6 events"):
        verify()


def test_a_rewrite_with_the_key_is_found_by_the_checkpoint() -> None:
    # Even someone holding the key (or a future weakness) cannot rewrite checkpointed history.
    _events(5)
    checkpoint()
    victim = AuditEvent.objects.order_by("seq")[1]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(action=Action.SEARCH)
        _rehash_from(victim.seq, lambda prev, e: compute_hash(prev, e, current_key()))
    with pytest.raises(CommandError, match="event 5 is not the one checkpointed"):
        verify()


def test_verify_reports_matching_checkpoints_and_warns_without_any() -> None:
    _events(2)
    assert "no checkpoints to compare with" in verify()
    checkpoint()
    _events(2)
    checkpoint()
    output = verify()
    assert "4 events verified" in output and "matches all 2 checkpoints" in output


def test_a_checkpoint_line_changed_by_hand_is_found() -> None:
    _events(4)
    checkpoint()
    path = Path(settings.EARLYHELP_AUDIT_CHECKPOINT_FILE)
    entry = json.loads(path.read_text())
    entry["seq"] = 2  # hide the newest two events
    path.write_text(json.dumps(entry) + "\n")
    with pytest.raises(CommandError, match="line 1 of the checkpoint file does not match"):
        verify()


def test_checkpoint_file_is_private_and_the_line_is_logged(caplog) -> None:  # type: ignore[no-untyped-def]
    _events(1)
    with caplog.at_level("INFO", logger="earlyhelp.audit"):
        checkpoint()
    path = Path(settings.EARLYHELP_AUDIT_CHECKPOINT_FILE)
    assert path.stat().st_mode & 0o777 == 0o600
    head = AuditEvent.objects.get(seq=1).hash
    assert any(f"seq=1 head={head}" in r.getMessage() for r in caplog.records)


def test_no_checkpoint_is_written_over_a_broken_chain() -> None:
    _events(3)
    with tampering():
        AuditEvent.objects.filter(seq=2).update(action=Action.SEARCH)
    with pytest.raises(CommandError, match=r"No checkpoint written.*sequence number 2"):
        checkpoint()
    assert checkpoints.read_all() == []


def test_a_restore_from_backup_is_marked_and_the_lost_events_are_not_a_deletion() -> None:
    _events(3)
    checkpoint()
    _events(3)
    checkpoint()
    with tampering():  # the restored backup was taken after the first checkpoint
        AuditEvent.objects.filter(seq__gt=3).delete()
    with pytest.raises(CommandError, match="newest events have been deleted"):
        verify()
    assert "Checkpoint written: 3 events" in checkpoint("--after-restore")
    output = verify()
    assert "3 events verified" in output and "1 checkpoints lie beyond the last restore" in output


def test_a_restore_mark_cannot_cover_a_rewrite_before_it() -> None:
    _events(4)
    checkpoint()
    victim = AuditEvent.objects.order_by("seq")[1]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(action=Action.SEARCH)
        _rehash_from(victim.seq, lambda prev, e: compute_hash(prev, e, current_key()))
    with pytest.raises(CommandError, match=r"No checkpoint written.*not the one checkpointed"):
        checkpoint("--after-restore")
