"""``earlyhelp grant_app_role <role>``: grant the service's database role what it needs.

Run as the owner (the DATABASE_URL that migrates). ``earlyhelp migrate`` does the same by
itself when EARLYHELP_DB_APP_ROLE is set; this is for a role set up by hand, or to repair
one. It then checks that the role could not change the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from earlyhelp.core.database_roles import RoleError, grant_app_role


class Command(BaseCommand):
    help = "Grant the app's PostgreSQL role read/write on case tables, read/append on audit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The role the service connects as, e.g. earlyhelp_app")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; SQLite has none.")
        try:
            grant_app_role(connection, options["role"])
        except RoleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Granted {options['role']}: read and write on case tables, read and append only "
            "on the audit trail."
        )
