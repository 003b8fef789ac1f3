"""On PostgreSQL the service runs as a role that owns nothing (decision 0017).

Two roles: the **owner** creates and alters the tables (``earlyhelp migrate`` runs as it);
the **app role** is what the running service connects as. The app role may read and write
case records but may only read and append audit events: no UPDATE, DELETE or TRUNCATE on
the audit table, and, not owning it, it cannot drop its triggers either. A superuser or
the table's owner bypasses all of that, so the service must never connect as one;
:func:`role_problems` says when it does (system check ``earlyhelp.E004`` and the health
check in production).

SQLite (the demo database) has no roles: everything here does nothing there.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# Tables the app may read and append to, never change: the audit trail.
APPEND_ONLY_TABLES = ("audit_auditevent",)

logger = logging.getLogger(__name__)


class RoleError(Exception):
    """The app role named in settings cannot be granted (it does not exist, or the name is
    not a plain role name)."""


def configured_app_role() -> str:
    """The role ``earlyhelp migrate`` grants to after migrating (``EARLYHELP_DB_APP_ROLE``);
    empty when not set."""
    return str(getattr(settings, "EARLYHELP_DB_APP_ROLE", "") or "")


def grant_app_role(connection: BaseDatabaseWrapper, role: str) -> None:
    """Give ``role`` what the running service needs and nothing more. Idempotent: run after
    every migration (``earlyhelp migrate`` does it when ``EARLYHELP_DB_APP_ROLE`` is set), so
    that tables a migration creates are granted too and the audit table never is."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise RoleError(
                f"There is no database role {role!r}: create it first "
                "(docs/operations.md, 'Database roles')."
            )
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        target, schema_name = quote(role), quote(schema)
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema_name} TO {target}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_name} "
            f"TO {target}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {target}")
        # TRUNCATE, REFERENCES and TRIGGER are never granted; on the audit trail, nor are
        # UPDATE and DELETE (a grant made by hand before is taken back here).
        cursor.execute(
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema_name} "
            f"FROM {target}"
        )
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {target}")


def role_problems(connection: BaseDatabaseWrapper) -> list[str]:
    """Why the connected role could change the audit trail; empty when it cannot (and on
    SQLite)."""
    if connection.vendor != "postgresql":
        return []
    problems: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        user, superuser = cursor.fetchone()
        if superuser:
            problems.append(f"the service connects as {user!r}, a superuser")
        for table in APPEND_ONLY_TABLES:
            cursor.execute(
                "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)",
                [table],
            )
            row = cursor.fetchone()
            if row is None:
                continue  # not migrated yet: nothing to protect
            (owner,) = row
            cursor.execute("SELECT pg_has_role(current_user, %s, 'USAGE')", [owner])
            if not superuser and cursor.fetchone()[0]:
                problems.append(f"the service's role {user!r} owns {table} (through {owner!r})")
            for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
                cursor.execute("SELECT has_table_privilege(%s, %s)", [table, privilege])
                if not superuser and cursor.fetchone()[0]:
                    problems.append(f"the service's role {user!r} may {privilege} {table}")
    return problems


def grant_after_migrate(*, using: str = "default", **kwargs: object) -> None:
    """After ``earlyhelp migrate``: grant the app role (``EARLYHELP_DB_APP_ROLE``) what the
    new schema needs, so no one has to remember to."""
    from django.db import connections

    role = configured_app_role()
    if role:
        grant_app_role(connections[using], role)


_checked_safe = False


def database_role_is_safe() -> bool:
    """For the health check: False (and the reasons logged) while the connected role could
    change the audit trail. A passing answer is kept for the process's life; a failing one
    is asked again, so that fixing the grants makes the service ready without a restart."""
    global _checked_safe
    if _checked_safe:
        return True
    from django.db import connection

    problems = role_problems(connection)
    for problem in problems:
        logger.error("database role: %s", problem)
    _checked_safe = not problems
    return _checked_safe
