"""`earlyhelp audit verify` passes an intact chain and names the first tampered event."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from earlyhelp.audit.chain import compute_hash, current_key
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import record_event
from tests.app_role import as_owner

pytestmark = pytest.mark.django_db

EVENTS = 6


@pytest.fixture
def chain() -> list[AuditEvent]:
    for n in range(EVENTS):
        record_event(
            actor=None,
            action=Action.VIEW,
            object_type="family",
            object_id=uuid.uuid4(),
            detail={"count": n},
        )
    return list(AuditEvent.objects.order_by("seq"))


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def assert_broken_at(seq: int) -> None:
    with pytest.raises(CommandError, match=rf"sequence number {seq}\b"):
        verify()


@contextmanager
def as_superuser_bypassing_triggers() -> Iterator[None]:
    """Simulate a database superuser tampering: on PostgreSQL, switch the trigger off."""
    # On SQLite there is no append-only trigger; the keyed chain is the protection there.
    with as_owner(triggers=False):
        yield


def test_intact_chain_verifies_and_reports_the_count(chain: list[AuditEvent]) -> None:
    total = AuditEvent.objects.count()
    assert total >= EVENTS
    assert f"{total} events verified" in verify()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_postgres_trigger_refuses_update_and_delete_even_to_the_owner(
    chain: list[AuditEvent],
) -> None:
    # The app role is refused by its grants first (tests/audit/test_database_roles.py); the
    # trigger stops the owner too.
    target = chain[2].seq
    with as_owner():
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(seq=target).update(detail={"count": 99})
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [target])
    assert AuditEvent.objects.get(seq=target).detail == {"count": 2}
    assert "events verified" in verify()


def _change_detail(chain: list[AuditEvent]) -> int:
    AuditEvent.objects.filter(seq=chain[2].seq).update(detail={"count": 99})
    return chain[2].seq


def _change_actor(chain: list[AuditEvent]) -> int:
    AuditEvent.objects.filter(seq=chain[3].seq).update(actor_id=424242)
    return chain[3].seq


def _delete_row(chain: list[AuditEvent]) -> int:
    AuditEvent.objects.filter(seq=chain[2].seq).delete()
    return chain[2].seq  # the gap is where the chain breaks


def _rewrite_row_with_a_fresh_hash(chain: list[AuditEvent]) -> int:
    # A careful forger recomputes the changed row's own hash: the next row no longer follows.
    victim = AuditEvent.objects.get(seq=chain[2].seq)
    victim.action = Action.SEARCH
    victim.hash = compute_hash(victim.prev_hash, victim, current_key())
    AuditEvent.objects.filter(pk=victim.pk).update(action=victim.action, hash=victim.hash)
    return chain[3].seq


def _append_copy_renumbered(chain: list[AuditEvent]) -> int:
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None
    forged = AuditEvent.objects.get(seq=chain[1].seq)
    forged.pk = None
    forged.seq = head.seq + 1
    forged.save(force_insert=True)
    return head.seq + 1


def _append_copy_after_a_gap(chain: list[AuditEvent]) -> int:
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None
    forged = AuditEvent.objects.get(seq=chain[1].seq)
    forged.pk = None
    forged.seq = head.seq + 5
    forged.save(force_insert=True)
    return head.seq + 1


@pytest.mark.parametrize(
    "tamper",
    [
        _change_detail,
        _change_actor,
        _delete_row,
        _rewrite_row_with_a_fresh_hash,
        _append_copy_renumbered,
        _append_copy_after_a_gap,
    ],
)
def test_tampering_is_detected_at_the_first_broken_event(
    chain: list[AuditEvent], tamper: Callable[[list[AuditEvent]], int]
) -> None:
    assert "events verified" in verify()
    with as_superuser_bypassing_triggers():
        broken_at = tamper(chain)
    assert_broken_at(broken_at)


def test_error_says_how_many_events_before_the_break_are_intact(chain: list[AuditEvent]) -> None:
    with as_superuser_bypassing_triggers():
        seq = _change_detail(chain)
    with pytest.raises(CommandError) as excinfo:
        verify()
    intact = re.search(r"\((\d+) events before it are intact\)", str(excinfo.value))
    assert intact is not None and int(intact.group(1)) == seq - 1
