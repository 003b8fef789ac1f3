"""``earlyhelp headlines``: read and edit the headline needs without a release.

earlyhelp headlines list
earlyhelp headlines set-descriptor CODE "text"      (or --file descriptor.txt)
earlyhelp headlines set-label CODE "label"
earlyhelp headlines retire CODE | restore CODE
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.assessments import selectors, services
from earlyhelp.core.errors import DomainError, NotFound


class Command(BaseCommand):
    help = (
        "The Supporting Families headline needs and their local descriptors: list them, "
        "change a descriptor or label, retire or restore a headline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="every headline with its code, status and descriptor")
        descriptor = actions.add_parser("set-descriptor", help="replace a headline's descriptor")
        descriptor.add_argument("code")
        descriptor.add_argument("text", nargs="?", default=None)
        descriptor.add_argument("--file", type=Path, help="read the descriptor from this file")
        label = actions.add_parser("set-label", help="rename a headline (its code stays)")
        label.add_argument("code")
        label.add_argument("label")
        for name, text in (
            ("retire", "stop offering a headline for new needs"),
            ("restore", "offer a retired headline again"),
        ):
            actions.add_parser(name, help=text).add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list()
            return
        try:
            headline = selectors.get_headline(options["code"])
        except NotFound:
            raise CommandError(f"There is no headline with the code {options['code']!r}.") from None
        changes: dict[str, Any] = {}
        if action == "set-descriptor":
            changes["descriptor"] = self._descriptor(options)
        elif action == "set-label":
            changes["label"] = options["label"]
        else:
            changes["active"] = action == "restore"
        try:
            services.update_headline(actor=None, headline=headline, **changes)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{headline.code}: saved")

    def _descriptor(self, options: dict[str, Any]) -> str:
        path: Path | None = options["file"]
        text: str | None = options["text"]
        if (path is None) == (text is None):
            raise CommandError("Give the descriptor either as text or with --file, not both.")
        return path.read_text(encoding="utf-8") if path is not None else str(text)

    def _list(self) -> None:
        for headline in selectors.all_headlines():
            status = "" if headline.active else " (retired)"
            self.stdout.write(f"{headline.code}{status}\n  {headline.label}")
            self.stdout.write(f"  {headline.descriptor or '(no descriptor)'}\n")
