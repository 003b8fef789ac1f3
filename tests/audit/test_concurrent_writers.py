"""Concurrent writers never fork the chain: sequence numbers stay contiguous and unique."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import record_event
from earlyhelp.audit.verification import verify_chain

THREADS = 8
EVENTS_PER_THREAD = 25


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot be shared between threads",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_record_event_keeps_one_unbroken_chain() -> None:
    before = AuditEvent.objects.count()
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer() -> None:
        from django.db import connection as thread_connection

        try:
            start.wait()
            for n in range(EVENTS_PER_THREAD):
                record_event(
                    actor=None,
                    action=Action.VIEW,
                    object_type="family",
                    object_id=uuid.uuid4(),
                    detail={"count": n},
                )
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = before + THREADS * EVENTS_PER_THREAD
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    result = verify_chain()
    assert result.ok
    assert result.walk.checked == total
