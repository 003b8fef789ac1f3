"""``earlyhelp link_partner_user --contact UUID --username NAME [--unlink]``.

Links a professional in the partner directory to their own sign-in (a user with the
``partner`` role), so they see the family plans that name them; ``--unlink`` removes it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.accounts.services import get_user_by_username
from earlyhelp.core.errors import DomainError
from earlyhelp.core.ids import parse_id
from earlyhelp.partners.models import PartnerContact
from earlyhelp.partners.services import link_partner_user


class Command(BaseCommand):
    help = (
        "Link a partner directory contact to a user with the partner role (create the user "
        "first with `earlyhelp createuser NAME --role partner`), or unlink it with --unlink."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contact", required=True, help="the partner contact's id")
        parser.add_argument("--username", help="the partner's user name")
        parser.add_argument("--unlink", action="store_true", help="remove the contact's sign-in")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["unlink"] == bool(options["username"]):
            raise CommandError("Give either --username to link, or --unlink.")
        try:
            contact_id = parse_id(options["contact"])
        except DomainError:
            raise CommandError("--contact must be a partner contact's id (a UUID).") from None
        contact = PartnerContact.objects.filter(pk=contact_id).first()
        if contact is None:
            raise CommandError("There is no partner contact with that id.")
        try:
            user = None if options["unlink"] else get_user_by_username(options["username"])
            link_partner_user(actor=None, contact=contact, user=user)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if user is None:
            self.stdout.write(f"Partner contact {contact.pk} no longer has a sign-in.")
        else:
            self.stdout.write(f"Partner contact {contact.pk} now signs in as {user.username}.")
