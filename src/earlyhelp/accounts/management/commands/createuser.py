"""``earlyhelp createuser USERNAME --role ROLE --team SLUG [--email E] [--password-stdin]``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.services import create_user
from earlyhelp.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a staff user with a role. Prints a one-time password unless one is piped in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(r.value for r in Role))
        parser.add_argument("--team", help="team slug (required for team roles)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password was given on standard input.")
        try:
            created = create_user(
                actor=None,
                username=options["username"],
                role=options["role"],
                team_slug=options["team"],
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        where = f" in team {options['team']}" if options["team"] else ""
        self.stdout.write(f"Created user {created.user.username} ({options['role']}{where}).")
        if created.generated:
            self.stdout.write(f"One-time password (shown once): {created.password}")
