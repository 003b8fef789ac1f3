"""On PostgreSQL the suite runs as the app role, as the service does (decision 0017).

The test database is created and migrated by the superuser of DATABASE_URL (its owner);
then every connection to it switches to ``earlyhelp_test_app``, a role granted exactly what
``earlyhelp migrate`` grants the service's role. So a test that passes on PostgreSQL passed
without the privileges that bypass the audit table's grants and triggers.

Two things still run as the owner, and only these: the test harness's flush between
transactional tests (Django empties every table with one TRUNCATE, audit trail included),
and what a test does inside :func:`as_owner` (migrations, and tampering with the trail on
purpose to prove that verification notices).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.backends.signals import connection_created
from psycopg import errors

from earlyhelp.core.database_roles import grant_app_role

ROLE = "earlyhelp_test_app"
_original_sql_flush = DatabaseOperations.sql_flush


def _is_test_database(wrapper: Any) -> bool:
    return wrapper.vendor == "postgresql" and (
        wrapper.settings_dict["NAME"] == connection.settings_dict["NAME"]
    )


def _set_role(*, connection: Any, **kwargs: object) -> None:
    if _is_test_database(connection):
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {ROLE}")


def _flush_as_owner(self: DatabaseOperations, style: Any, tables: Any, **kwargs: Any) -> list[str]:
    statements = _original_sql_flush(self, style, tables, **kwargs)
    if not statements:
        return statements
    # Inside the flush's own transaction: the owner, with triggers off, then back.
    return [
        "RESET ROLE",
        "SET LOCAL session_replication_role = replica",
        *statements,
        f"SET ROLE {ROLE}",
    ]


def become_app_role() -> None:
    """Create the role if this cluster has not got it, grant it, and switch to it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            # Another suite on this cluster may make it first.
            with suppress(errors.DuplicateObject):
                cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    grant_app_role(connection, ROLE)
    settings.EARLYHELP_DB_APP_ROLE = ROLE  # so a test's `migrate` grants it too
    DatabaseOperations.sql_flush = _flush_as_owner  # type: ignore[method-assign]
    connection_created.connect(_set_role)
    _set_role(connection=connection)


def leave_app_role() -> None:
    """Back to the owner, so that the harness can drop the test database."""
    if connection.vendor != "postgresql":
        return
    connection_created.disconnect(_set_role)
    DatabaseOperations.sql_flush = _original_sql_flush  # type: ignore[method-assign]
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@contextmanager
def as_owner(*, triggers: bool = True) -> Iterator[None]:
    """Run the block as the tables' owner (on this connection only). ``triggers=False``
    also switches the audit trail's triggers off, as a superuser tampering could. On the
    way out the app role is granted again (a migration may have made new tables)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        if not triggers:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if not triggers:
                cursor.execute("SET session_replication_role = DEFAULT")
            grant_app_role(connection, ROLE)
            cursor.execute(f"SET ROLE {ROLE}")
