"""``earlyhelp mfa reset USERNAME``: remove a user's authenticator and recovery codes.

For a user who lost their phone and their recovery codes. Check who is asking first (in
person or by a call back to a known number): whoever holds the password can then set up a new
authenticator at the next sign-in. The reset is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.accounts.mfa import reset_mfa
from earlyhelp.accounts.services import get_user_by_username
from earlyhelp.core.errors import DomainError


class Command(BaseCommand):
    help = "Manage multi-factor authentication: `mfa reset USERNAME` after a lost phone."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        reset = actions.add_parser(
            "reset",
            help="remove the user's authenticator app and recovery codes; "
            "they set MFA up again at their next sign-in",
        )
        reset.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_by_username(options["username"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        removed = reset_mfa(actor=None, user=user)
        self.stdout.write(
            f"Removed {removed} MFA device(s) of {user.username}. They will set up an "
            "authenticator app at their next sign-in."
        )
