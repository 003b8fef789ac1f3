"""``earlyhelp token USERNAME [--revoke]``: issue (or revoke) an API bearer token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.accounts.services import get_user_by_username, issue_token, revoke_tokens
from earlyhelp.core.errors import DomainError


class Command(BaseCommand):
    help = "Print a new API bearer token for a user (its last word), or revoke all of theirs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="revoke every active token")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_by_username(options["username"])
            if options["revoke"]:
                count = revoke_tokens(actor=None, user=user)
                self.stdout.write(f"Revoked {count} token(s) of {user.username}.")
                return
            raw = issue_token(actor=None, user=user)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"New API token for {user.username} (shown once): {raw}")
