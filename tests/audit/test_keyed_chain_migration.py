"""Migration audit/0003 keys a chain written by the previous release, and refuses a broken one."""

from __future__ import annotations

import hashlib
import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from earlyhelp.audit.chain import GENESIS_HASH
from earlyhelp.audit.models import AuditEvent
from tests.app_role import as_owner

BEFORE = ("audit", "0002_append_only_trigger")
KEYED = ("audit", "0003_keyed_chain")


def _migrate(target: tuple[str, str]) -> None:
    with as_owner():  # migrations alter tables: the owner's job, never the app role's
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([target])


def _old_hash(prev: str, body: dict[str, object]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev + text).encode("ascii")).hexdigest()


def _write_unkeyed_chain(count: int) -> None:
    """Events as the previous release wrote them: plain SHA-256, no key id column."""
    prev = GENESIS_HASH
    with connection.cursor() as cursor:
        for seq in range(1, count + 1):
            at = timezone.now()
            body = {
                "seq": seq,
                "at": at.isoformat(timespec="microseconds"),
                "actor_id": None,
                "action": "view",
                "object_type": "family",
                "object_id": str(uuid.uuid4()),
                "purpose": "",
                "request_id": "",
                "detail": {"count": seq},
            }
            digest = _old_hash(prev, body)
            cursor.execute(
                "INSERT INTO audit_auditevent (seq, at, actor_id, action, object_type, "
                "object_id, purpose, request_id, detail, prev_hash, hash) "
                "VALUES (%s, %s, NULL, 'view', 'family', %s, '', '', %s, %s, %s)",
                [seq, at, body["object_id"], json.dumps(body["detail"]), prev, digest],
            )
            prev = digest


def _verify() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_previous_releases_chain_is_verified_then_keyed_and_reversible() -> None:
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            assert cursor.fetchone()[0] == 0  # a flushed test database
        _write_unkeyed_chain(5)
    finally:
        _migrate(KEYED)
    assert "5 events verified" in _verify()
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {"test-1"}
    # And back: the previous release's unkeyed chain again, which that release verifies.
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq, prev_hash, hash FROM audit_auditevent ORDER BY seq")
            rows = cursor.fetchall()
        prev = GENESIS_HASH
        for _seq, prev_hash, _hash in rows:
            assert prev_hash == prev
            prev = _hash
        assert len(rows) == 5
    finally:
        _migrate(KEYED)


@pytest.mark.django_db(transaction=True)
def test_a_chain_already_broken_is_not_re_signed() -> None:
    _migrate(BEFORE)
    try:
        _write_unkeyed_chain(4)
        with as_owner(triggers=False), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET action = 'search' WHERE seq = 3")
        with pytest.raises(RuntimeError, match="broken at sequence number 3"):
            _migrate(KEYED)
    finally:
        with as_owner(triggers=False), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE audit_auditevent")
            else:
                cursor.execute("DELETE FROM audit_auditevent")
        _migrate(KEYED)
