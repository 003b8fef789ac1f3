"""``earlyhelp createteam SLUG "Name"``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.accounts.services import create_team
from earlyhelp.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short identifier, e.g. north-family-support")
        parser.add_argument("name", help='display name, e.g. "North Family Support"')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            team = create_team(actor=None, slug=options["slug"], name=options["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created team {team.slug}: {team.name}")
