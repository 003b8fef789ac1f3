"""The printable plan: what leaves the allocated team on paper, in a PDF or by e-mail.

It is built from the plan alone: the family reference, the version's outcomes, actions and
members, and the names of the people the plan itself includes (the people an outcome is
about, family members who own an action, family members in the TAF). Nothing else about
the family is read, so a household member the plan does not name never appears, and no
address is ever printed: home addresses are left out altogether, which is the only way to
be sure a confidential one cannot leak through a shared plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.core import codelists
from earlyhelp.plans.models import PlanVersion

PRINT_CSS = Path(__file__).resolve().parent / "static" / "plans" / "print.css"


@dataclass(frozen=True)
class PrintedOutcome:
    headline: str
    description: str
    measure: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class PrintedAction:
    what: str
    owner: str
    owner_detail: str
    due_on: date
    status: str
    outcome: str


@dataclass(frozen=True)
class PrintedMember:
    name: str
    detail: str
    role_in_plan: str


@dataclass(frozen=True)
class PrintablePlan:
    family_reference: str
    version_number: int
    agreed_on: date
    next_review_due: date
    outcomes: tuple[PrintedOutcome, ...]
    actions: tuple[PrintedAction, ...]
    members: tuple[PrintedMember, ...]
    people: tuple[str, ...]
    not_for_sharing: bool

    @property
    def filename(self) -> str:
        return f"family-plan-{self.family_reference}-v{self.version_number}.pdf"


def _professional_detail(contact: Any) -> str:
    return ", ".join(part for part in (contact.job_title, contact.organisation.name) if part)


def plan_people_ids(version: PlanVersion) -> list[Any]:
    """Everyone the version names (the people its printable form includes), by id.

    The same people ``printable_plan`` prints: an outcome's people, family members who own an
    action, family members in the TAF. Sharing the plan needs the agreement of each of them.
    """
    ids: dict[Any, None] = {}
    for outcome in version.outcomes.prefetch_related("people"):
        ids.update(dict.fromkeys(person.pk for person in outcome.people.all()))
    ids.update(
        dict.fromkeys(
            version.actions.filter(owner_person__isnull=False).values_list(
                "owner_person_id", flat=True
            )
        )
    )
    ids.update(
        dict.fromkeys(
            version.members.filter(person__isnull=False).values_list("person_id", flat=True)
        )
    )
    return list(ids)


def printable_plan(version: PlanVersion, *, objection_active: bool) -> PrintablePlan:
    """Assemble the printable plan of ``version`` (the caller has checked access)."""
    plan = version.plan
    headlines = codelists.labels("referral_reasons")
    outcomes = list(version.outcomes.prefetch_related("people").order_by("position", "id"))
    actions = list(
        version.actions.select_related(
            "owner_person", "owner_contact__organisation", "outcome"
        ).order_by("due_on", "id")
    )
    members = list(version.members.select_related("contact__organisation", "person").order_by("id"))
    people: dict[object, str] = {}
    printed_outcomes = []
    for outcome in outcomes:
        names = []
        for person in outcome.people.all():
            people[person.pk] = person.full_name
            names.append(person.full_name)
        printed_outcomes.append(
            PrintedOutcome(
                headline=headlines.get(outcome.headline_code, outcome.headline_code),
                description=outcome.description,
                measure=outcome.measure,
                people=tuple(names),
            )
        )
    printed_actions = []
    for action in actions:
        if action.owner_person is not None:
            people[action.owner_person.pk] = action.owner_person.full_name
            owner, detail = action.owner_person.full_name, "Family member"
        else:
            assert action.owner_contact is not None
            owner = action.owner_contact.name
            detail = _professional_detail(action.owner_contact)
        printed_actions.append(
            PrintedAction(
                what=action.what,
                owner=owner,
                owner_detail=detail,
                due_on=action.due_on,
                status=action.get_status_display(),
                outcome=headlines.get(action.outcome.headline_code, "") if action.outcome else "",
            )
        )
    printed_members = []
    for member in members:
        if member.person is not None:
            people[member.person.pk] = member.person.full_name
            printed_members.append(
                PrintedMember(member.person.full_name, "Family member", member.role_in_plan)
            )
        else:
            assert member.contact is not None
            printed_members.append(
                PrintedMember(
                    member.contact.name,
                    _professional_detail(member.contact),
                    member.role_in_plan,
                )
            )
    return PrintablePlan(
        family_reference=plan.family.reference,
        version_number=version.number,
        agreed_on=timezone.localdate(version.created_at),
        next_review_due=plan.next_review_due,
        outcomes=tuple(printed_outcomes),
        actions=tuple(printed_actions),
        members=tuple(printed_members),
        people=tuple(sorted(people.values())),
        not_for_sharing=objection_active,
    )


def render_plan_pdf(printable: PrintablePlan) -> bytes:
    """The plan as a PDF, built from our own HTML and stylesheet only.

    WeasyPrint is imported here, not at module level: it is heavy and only PDF requests
    need it. Its URL fetcher refuses every URL, so nothing in the document can make the
    server fetch anything from the network (or from its own files).
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("the plan PDF does not load external resources")

    html = render_to_string("plans/pdf.html", {"plan": printable})
    fetcher = NoFetching()
    stylesheet = CSS(string=PRINT_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher)
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
    assert pdf is not None
    return bytes(pdf)
