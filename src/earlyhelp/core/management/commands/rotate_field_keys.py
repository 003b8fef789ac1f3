"""``earlyhelp rotate_field_keys``: re-encrypt what older keys made (see core/key_rotation.py).

``--check`` changes nothing: it lists the models still holding values under an older key and
exits with status 1 while any remain, so a deployment script can refuse to drop the old key.
Prints model names, counts and key ids only, never a value.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.core import encryption
from earlyhelp.core.key_rotation import rotate


class Command(BaseCommand):
    help = "Re-encrypt field values and blind indexes made with older keys, under the current keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if any value still uses an older key.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        field_key = encryption.field_keys()[0].id
        index_key = encryption.index_keys()[0].id
        try:
            report = rotate(check_only=options["check"])
        except encryption.EncryptionError as exc:
            # Batches already rewritten stay rewritten: running again after fixing resumes.
            raise CommandError(str(exc)) from None
        for label, rows in sorted(report.rows.items()):
            keys = ", ".join(report.old_keys[label])
            verb = "still under" if options["check"] else "re-encrypted from"
            self.stdout.write(f"{label}: {rows} row(s) {verb} key(s) {keys}")
        if options["check"]:
            unknown = sorted(report.unknown_keys)
            if unknown:
                raise CommandError(
                    f"Values were made with key(s) {', '.join(unknown)}, which are not "
                    "configured, so they cannot be read: add the key(s) back to "
                    "EARLYHELP_FIELD_KEYS / EARLYHELP_BLIND_INDEX_KEYS (after the current key), "
                    "then run `earlyhelp rotate_field_keys`."
                )
            if report.rows:
                raise CommandError(
                    f"{report.total} row(s) still use an older key: run "
                    "`earlyhelp rotate_field_keys` before removing it."
                )
            self.stdout.write(
                f"Every value uses the current keys (field {field_key}, index {index_key}): "
                "older keys can be removed."
            )
        else:
            self.stdout.write(
                f"Rewrote {report.total} row(s); current keys: field {field_key}, "
                f"index {index_key}."
            )
