"""The demo's screens render for the demo logins, with the demo's content on them."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.models import Contact, ContactAttachment, Episode
from earlyhelp.demo.generator import DEMO_PASSWORD
from earlyhelp.outcomes.claims import claim_status
from earlyhelp.partners.models import Organisation
from earlyhelp.people.models import Family
from earlyhelp.plans.models import FamilyPlan, PlanObjection, PlanReview
from earlyhelp.programmes.models import Enrolment, Programme, ProgrammeKind
from tests.demo.conftest import LoadedDemo

pytestmark = pytest.mark.django_db

PRACTITIONER = "north.practitioner"


def _showcase() -> Family:
    return PlanObjection.objects.get(withdrawn_on__isnull=True).plan.family


def _showcase_plan() -> FamilyPlan:
    return PlanObjection.objects.get(withdrawn_on__isnull=True).plan


def _family_page() -> str:
    return reverse("casework:family", args=[_showcase().pk])


def _plan() -> str:
    plan = _showcase_plan()
    return reverse("plans:detail", args=[plan.family_id, plan.pk])


def _first_version() -> str:
    plan = _showcase_plan()
    return reverse("plans:version", args=[plan.family_id, plan.versions.get(number=1).pk])


def _review() -> str:
    review = PlanReview.objects.filter(plan=_showcase_plan()).order_by("held_on").first()
    assert review is not None
    return reverse("plans:review_detail", args=[review.plan.family_id, review.pk])


def _assessment() -> str:
    assessment = Assessment.objects.get(family=_showcase())
    return reverse("assessments:detail", args=[assessment.family_id, assessment.pk])


def _contacts() -> str:
    return reverse("contacts:list", args=[_showcase().pk])


def _corrected_note() -> str:
    contact = Contact.objects.filter(
        family=_showcase(), corrected_at__isnull=False, deleted_at__isnull=True
    ).get()
    return reverse("contacts:detail", args=[contact.family_id, contact.pk])


def _deleted_note() -> str:
    contact = Contact.objects.get(deleted_at__isnull=False)
    return reverse("contacts:detail", args=[contact.family_id, contact.pk])


def _observations() -> str:
    return reverse("programmes:observations", args=[_showcase().pk])


def _enrolment() -> str:
    enrolment = Enrolment.objects.filter(
        family=_showcase(), programme__kind=ProgrammeKind.PARENTING_COURSE
    ).first()
    assert enrolment is not None
    return reverse("programmes:enrolment", args=[enrolment.family_id, enrolment.pk])


def _course() -> str:
    return reverse(
        "programmes:detail", args=[Programme.objects.get(kind=ProgrammeKind.PARENTING_COURSE).pk]
    )


def _claimable() -> str:
    family = next(f for f in Family.objects.all() if claim_status(f).is_claimable)
    return reverse("outcomes:claim", args=[family.pk])


def _partner() -> str:
    school = Organisation.objects.filter(urn="990101").first()
    assert school is not None
    return reverse("partners:detail", args=[school.pk])


def _url(name: str) -> Callable[[], str]:
    return lambda: reverse(name)


def _text(value: str) -> Callable[[], str]:
    return lambda: value


def _awaiting_north() -> str:
    assessment = Assessment.objects.filter(status="submitted", episode__team__slug="north").first()
    assert assessment is not None
    return assessment.family.reference


def _overdue_north() -> str:
    plan = (
        FamilyPlan.objects.filter(status="active", episode__team__slug="north")
        .order_by("next_review_due")
        .first()
    )
    assert plan is not None
    return plan.family.reference


PAGES: list[tuple[str, str, Callable[[], str], Callable[[], str]]] = [
    # (who, what, where, something the page must show)
    (PRACTITIONER, "family page", _family_page, _text("Family plan")),
    (PRACTITIONER, "caseload", _url("dashboards:caseload"), lambda: _showcase().reference),
    (PRACTITIONER, "plan", _plan, _text("Version 3, agreed")),
    (PRACTITIONER, "first plan version", _first_version, _text("Family plan, version 1")),
    (PRACTITIONER, "plan review", _review, _text("Progress on each outcome")),
    (PRACTITIONER, "assessment", _assessment, _text("Authorised")),
    (PRACTITIONER, "contacts", _contacts, _text("Deleted note")),
    (PRACTITIONER, "corrected note", _corrected_note, _text("The note named the wrong school")),
    (PRACTITIONER, "deleted note", _deleted_note, _text("Recorded on this family's record")),
    (PRACTITIONER, "observations", _observations, _text("School attendance")),
    (PRACTITIONER, "enrolment", _enrolment, _text("Completed")),
    (PRACTITIONER, "programmes", _url("programmes:list"), _text("Little Steps stay-and-play")),
    (PRACTITIONER, "course register", _course, _text("Withdrawn")),
    (PRACTITIONER, "partners", _url("partners:list"), _text("Brookfield Primary School")),
    (PRACTITIONER, "sustain checks due", _url("outcomes:sustain_due"), _text("Due now")),
    ("north.manager", "team dashboard", _url("dashboards:team"), _text("North Family Support")),
    ("north.manager", "awaiting authorisation", _url("assessments:awaiting"), _awaiting_north),
    ("north.manager", "reviews due", _url("plans:reviews_due"), _overdue_north),
    ("south.manager", "team dashboard", _url("dashboards:team"), _text("South Family Support")),
    ("north.manager", "claimable family", _claimable, _text("Can be claimed")),
    ("duty", "referral queue", _url("referrals:queue"), _text("Awaiting triage")),
    ("admin", "partners", _url("partners:list"), _text("Riverside Surgery")),
    ("admin", "a school", _partner, _text("990101")),
]


@pytest.mark.parametrize(
    ("username", "where", "expect"),
    [(who, where, expect) for who, _what, where, expect in PAGES],
    ids=[f"{who}:{what}" for who, what, _where, _expect in PAGES],
)
def test_demo_page_renders_with_content(
    demo: LoadedDemo,
    sign_in: Callable[[str], Client],
    username: str,
    where: Callable[[], str],
    expect: Callable[[], str],
) -> None:
    client = sign_in(username)

    response = client.get(where())

    assert response.status_code == 200
    assert expect() in html.unescape(response.content.decode())


def test_the_showcase_family_page_shows_both_alerts_and_the_lead(
    demo: LoadedDemo, sign_in: Callable[[str], Client]
) -> None:
    client = sign_in(PRACTITIONER)

    page = client.get(_family_page()).content.decode()

    assert "A confidential address is held for this family" in page
    assert "The family objects to the plan being shared" in page
    assert "Penrose" in page  # the lead practitioner, Pat Penrose


def test_the_team_dashboard_lists_the_unallocated_families(
    demo: LoadedDemo, sign_in: Callable[[str], Client]
) -> None:
    client = sign_in("north.manager")

    page = client.get(reverse("dashboards:team")).content.decode()

    unallocated = Episode.objects.filter(
        team__slug="north", closed_at__isnull=True, lead_practitioner__isnull=True
    )
    assert unallocated.exists()
    for episode in unallocated:
        assert episode.family.reference in page


def test_the_photo_downloads_for_the_lead_practitioner(
    demo: LoadedDemo, sign_in: Callable[[str], Client]
) -> None:
    photo = ContactAttachment.objects.get()
    client = sign_in(PRACTITIONER)

    response = client.get(
        reverse("contacts:attachment", args=[photo.contact.family_id, photo.contact_id, photo.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]


def test_every_family_page_renders_for_its_team_manager(demo: LoadedDemo) -> None:
    """Every record's timeline line links to a page that exists (the family page reverses them)."""
    clients = {}
    for slug in ("north", "south"):
        clients[slug] = Client()
        assert clients[slug].login(username=f"{slug}.manager", password=DEMO_PASSWORD)
    for family in Family.objects.all():
        episode = Episode.objects.filter(family=family).order_by("-opened_at").first()
        assert episode is not None

        response = clients[episode.team.slug].get(reverse("casework:family", args=[family.pk]))

        assert response.status_code == 200, family.reference
