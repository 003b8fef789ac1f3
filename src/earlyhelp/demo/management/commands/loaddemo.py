"""``earlyhelp loaddemo``: load the synthetic demo data (idempotent) and print the logins."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand
from django.urls import reverse

from earlyhelp.demo.generator import DEMO_PASSWORD, STAFF, TEAMS, DemoSummary, load_demo
from earlyhelp.demo.sharing import partner_login_contact


def _sum(counts: Counter[str], prefix: str) -> int:
    return sum(n for key, n in counts.items() if key.startswith(prefix))


def content_lines(counts: Counter[str]) -> list[str]:
    """What the demo holds, one line per screen."""
    return [
        f"Contacts and case notes: {counts['contacts']} ({counts['child_words']} with the "
        f"child's own words, {counts['parent_views']} with a parent's views, "
        f"{counts['corrected_contacts']} corrected, {counts['deleted_contacts']} deleted, "
        f"{counts['attachments']} photo attached)",
        f"Early Help assessments: {_sum(counts, 'assessment:')} "
        f"({counts['assessment:authorised']} authorised, "
        f"{counts['assessment:submitted']} awaiting authorisation, "
        f"{counts['assessment:draft'] + counts['assessment:returned']} in draft, "
        f"{counts['assessment:returned']} of them returned by a manager)",
        f"Family plans: {counts['plans']} ({counts['plan_reviews']} reviews, "
        f"{counts['plan_actions']} actions, {counts['objections']} objections to sharing, "
        f"{counts['objections_withdrawn']} withdrawn)",
        f"Partner directory: {counts['organisations']} organisations, "
        f"{counts['partner_contacts']} professionals",
        f"Programmes: {counts['programmes']} ({counts['programme_sessions']} sessions, "
        f"{counts['enrolments']} enrolments, {counts['attendance_marks']} register marks, "
        f"{counts['enrolments_completed']} completed)",
        f"Observations: {_sum(counts, 'observation:')} (2-year checks, school readiness, "
        "attendance, exclusions, SEN status)",
        f"Closed episodes: {_sum(counts, 'closed:')} ({counts['onward_referrals']} onward "
        f"referrals); outcome ratings: {counts['outcome_ratings']}; sustain checks "
        f"recorded: {_sum(counts, 'sustain:')}",
        f"Unallocated families: {counts['unallocated']}",
        f"Information sharing: {counts['agreements']} agreements "
        f"({counts['agreements_withdrawn']} withdrawn), {_sum(counts, 'sharing_decision:')} "
        f"sharing decisions, {counts['plans_sent_to_taf']} plans sent to the TAF, "
        f"{counts['disclosures']} disclosure log lines",
        f"Restricted records: {counts['restricted_records']} (a family and a parent; one "
        "break-glass access waiting for review)",
    ]


def where_to_start(summary: DemoSummary | None = None) -> list[tuple[str, str]]:
    """Which login shows which screens, and the family to open first."""
    family = ""
    if summary is not None and summary.showcase_family is not None:
        family = (
            f"; {reverse('casework:family', args=[summary.showcase_family])} "
            "has a bit of everything"
        )
    return [
        (
            "north.practitioner",
            f"My caseload {reverse('dashboards:caseload')} (reviews overdue, next visits, "
            f"sustain checks due){family}",
        ),
        (
            "north.manager",
            f"Team dashboard {reverse('dashboards:team')} (unallocated families, overdue "
            "reviews, assessments and sharing decisions awaiting authorisation, an overdue "
            "emergency release, caseload per practitioner)",
        ),
        ("south.manager", "Team dashboard for South Family Support; programmes they run"),
        ("duty", f"Referrals awaiting triage {reverse('referrals:queue')}"),
        (
            "admin",
            f"Partner directory {reverse('partners:list')}, headline needs, data map "
            "(no case records)",
        ),
        (
            "dpo",
            f"Access log {reverse('audit:access_lookup')}, overdue sharing authorisations "
            f"{reverse('sharing:overdue')}, a break-glass access to review "
            f"{reverse('restricted:review_list')}, data map, privacy notice",
        ),
        *_partner_line(),
    ]


def _partner_line() -> list[tuple[str, str]]:
    contact = partner_login_contact()
    if contact is None:
        return []
    return [
        (
            "partner",
            f"Partner view {reverse('partner:families')}: signed in as {contact.name}, "
            f"{contact.job_title} at {contact.organisation.name}, a TAF member who sees "
            "the plans the families agreed to share",
        )
    ]


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
            for line in content_lines(counts):
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
        self._print_logins()
        self.stdout.write("Where to start (sign in as):")
        for username, text in where_to_start(summary):
            self.stdout.write(f"  {username:<19}  {text}")
        self.stdout.write("")

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
