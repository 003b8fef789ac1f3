"""On PostgreSQL the service's role can read and append the audit trail and nothing more;
TRUNCATE is refused even to the owner; a service connected as a privileged role is told
(decision 0017). The suite itself runs as the app role (tests/app_role.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import record_event
from earlyhelp.core import database_roles
from earlyhelp.core.checks import check_database_role
from tests.app_role import ROLE, as_owner

TABLE = "audit_auditevent"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles are a PostgreSQL matter"
    ),
]


@pytest.fixture
def event() -> AuditEvent:
    return record_event(actor=None, action=Action.VIEW, object_type="family", detail={"n": 1})


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return str(cursor.fetchone()[0])


def _refused(sql: str, match: str) -> None:
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_the_suite_runs_as_the_app_role_which_owns_nothing() -> None:
    assert _current_user() == ROLE
    assert database_roles.role_problems(connection) == []


def test_the_app_role_reads_and_appends_audit_events(event: AuditEvent) -> None:
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'search'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
        "DROP TABLE audit_auditevent",
    ],
)
def test_the_app_role_cannot_change_or_empty_the_audit_trail(event: AuditEvent, sql: str) -> None:
    # Refused by the grants ("permission denied"/"must be owner"), before any trigger runs.
    _refused(sql, "permission denied|must be owner")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_app_role_still_writes_case_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_codeentry SET label = label WHERE false")
        cursor.execute("DELETE FROM django_session WHERE false")


def test_truncate_is_refused_even_to_the_owner(event: AuditEvent) -> None:
    with as_owner():
        _refused("TRUNCATE audit_auditevent", "append-only: TRUNCATE refused")
        _refused("TRUNCATE audit_auditevent CASCADE", "append-only: TRUNCATE refused")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_owner_or_a_superuser_is_named_by_the_check_and_fails_the_health_check(
    settings, client: Client
) -> None:
    settings.EARLYHELP_DB_ROLE_CHECK = True
    database_roles._checked_safe = False
    with as_owner():
        problems = database_roles.role_problems(connection)
        messages = check_database_role(databases=["default"])
        response = client.get("/healthz")
    assert any("superuser" in problem for problem in problems)
    assert {message.id for message in messages} == {"earlyhelp.E004"}
    assert response.status_code == 503
    assert response.json() == {"status": "unsafe database role"}
    # Back as the app role: nothing to report, and the service is ready.
    assert check_database_role(databases=["default"]) == []
    assert client.get("/healthz").status_code == 200


def test_the_check_needs_the_database_to_be_asked_for() -> None:
    with as_owner():
        assert check_database_role(databases=None) == []


def test_a_role_that_owns_the_audit_table_is_named() -> None:
    # CREATE ROLE is transactional in PostgreSQL: the test's rollback removes it.
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = %s", [TABLE])
        owner = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute("CREATE ROLE earlyhelp_test_owner_member NOLOGIN")
        cursor.execute(f"GRANT {owner} TO earlyhelp_test_owner_member")
        cursor.execute("SET ROLE earlyhelp_test_owner_member")
        problems = database_roles.role_problems(connection)
        cursor.execute("RESET ROLE")
    assert any(f"owns {TABLE}" in problem for problem in problems)
    assert not any("superuser" in problem for problem in problems)


def _app_role_may(privilege: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [ROLE, TABLE, privilege])
        return bool(cursor.fetchone()[0])


def test_a_hand_made_grant_on_the_audit_trail_is_taken_back_by_migrate() -> None:
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON {TABLE} TO {ROLE}")
        assert _app_role_may("DELETE")
        call_command("migrate", verbosity=0)  # grants EARLYHELP_DB_APP_ROLE afterwards
        assert not any(_app_role_may(p) for p in ("UPDATE", "DELETE", "TRUNCATE"))
        assert _app_role_may("INSERT") and _app_role_may("SELECT")


def test_the_grant_command_refuses_an_unknown_role() -> None:
    with as_owner(), pytest.raises(CommandError, match="no database role 'no_such_role'"):
        call_command("grant_app_role", "no_such_role")


def test_the_grant_command_grants_and_says_what() -> None:
    out = io.StringIO()
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON {TABLE} TO {ROLE}")
        cursor.execute(f"REVOKE SELECT ON core_codeentry FROM {ROLE}")  # noqa: S608
        call_command("grant_app_role", ROLE, stdout=out)
        assert not _app_role_may("TRUNCATE")
        cursor.execute("SELECT has_table_privilege(%s, 'core_codeentry', 'SELECT')", [ROLE])
        assert cursor.fetchone()[0]
    assert "read and append only on the audit trail" in out.getvalue()
