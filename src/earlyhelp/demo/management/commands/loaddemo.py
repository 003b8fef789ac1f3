"""``earlyhelp loaddemo``: load the synthetic demo data (idempotent) and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earlyhelp.demo.generator import DEMO_PASSWORD, STAFF, TEAMS, load_demo


class Command(BaseCommand):
    help = "Load synthetic demo data (teams, staff in every role, families in every state)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        if summary.created:
            counts = summary.counts
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded synthetic demo data: {counts['families']} families, "
                    f"{counts['people']} people, {counts['referrals']} referrals."
                )
            )
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
        self._print_logins()

    def _print_logins(self) -> None:
        team_names = dict(TEAMS)
        rows = [
            (s.username, s.role.value, team_names[s.team] if s.team else "(council-wide)")
            for s in STAFF
        ]
        widths = [
            max(len(row[i]) for row in [("Username", "Role", "Team"), *rows]) for i in range(3)
        ]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("")
        self.stdout.write("Demo logins (synthetic data only; never use these on a real service)")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(line.format("Username", "Role", "Team").rstrip())
        self.stdout.write(line.format(*("-" * w for w in widths)).rstrip())
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write("")
