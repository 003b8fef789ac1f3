"""``earlyhelp audit verify`` and ``earlyhelp audit checkpoint``.

``verify`` walks the keyed hash chain and holds it against the checkpoints kept outside the
database; ``checkpoint`` (scheduled, every few minutes) appends the chain's length and head to
that file and the log.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit import checkpoints
from earlyhelp.audit.services import ChainNotVerified, write_checkpoint
from earlyhelp.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` checks the hash chain from the first event to the last "
        "and against the checkpoints; `checkpoint` records the chain's length and head outside "
        "the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--after-restore",
            action="store_true",
            help="checkpoint: the database was just restored from backup; the events after "
            "the backup are expected to be missing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint(after_restore=options["after_restore"])
        else:
            self._verify()

    def _verify(self) -> None:
        result = verify_chain()
        broken = result.walk.broken
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at sequence number {broken.seq}: {broken.reason} "
                f"({result.walk.checked} events before it are intact)."
            )
        if result.problem is not None:
            raise CommandError(f"Audit chain does not match its checkpoints: {result.problem}.")
        self.stdout.write(f"Audit chain intact: {result.walk.checked} events verified.")
        if result.checkpoints_matched:
            self.stdout.write(f"It matches all {result.checkpoints_matched} checkpoints.")
        else:
            self.stderr.write(
                "WARNING: no checkpoints to compare with, so deletion of the newest events "
                f"cannot be detected. Schedule `earlyhelp audit checkpoint` "
                f"({checkpoints.checkpoint_file()})."
            )
        if result.lost_in_restore:
            self.stdout.write(
                f"{result.lost_in_restore} checkpoints lie beyond the last restore from backup."
            )

    def _checkpoint(self, *, after_restore: bool) -> None:
        try:
            written = write_checkpoint(after_restore=after_restore)
        except (ChainNotVerified, checkpoints.DamagedCheckpoint) as exc:
            raise CommandError(f"No checkpoint written: {exc}.") from None
        self.stdout.write(f"Checkpoint written: {written.seq} events, head {written.head[:12]}.")
