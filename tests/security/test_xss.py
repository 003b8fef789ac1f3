"""Stored cross-site scripting: a script and an attribute break-out, stored in every free-text
field a user can enter, render inert on every page that shows them and as plain text in the
plan PDF.

Each field gets its own marker (``xnote`` ...) followed by both payloads, so a field that is
not shown at all fails too (the escaped form must be there), and a field shown unescaped
fails because the raw markup is found. The referral goes in through the public form over
HTTP; the casework, plan and sharing records through their services as the practitioner
records them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.assessments import services as assessments
from earlyhelp.casework.contacts.services import (
    ContactInput,
    ProfessionalInput,
    VoiceInput,
    record_contact,
)
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.partners.services import link_partner_user
from earlyhelp.people.models import Family
from earlyhelp.plans import services as plans
from earlyhelp.referrals.models import Referral
from earlyhelp.referrals.services import Decision
from earlyhelp.referrals.services import record_decision as triage
from earlyhelp.sharing.decisions import DecisionInput
from earlyhelp.sharing.decisions import record_decision as record_sharing_decision
from earlyhelp.sharing.packages.services import PackageInput, create_package
from earlyhelp.sharing.partner.services import add_contribution
from tests.factories import PASSWORD, World, agree_to_share

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
# Any of these in a page means a payload was written out as markup.
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"


def bad(marker: str) -> str:
    return f"{marker} {PAYLOAD}"


def assert_inert(html: str, markers: list[str], where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{raw!r} unescaped on {where}"
    for marker in markers:
        assert f"{marker} {ESCAPED_SCRIPT}" in html, f"{marker} not shown escaped on {where}"
    if markers:
        assert ESCAPED_IMG in html, where


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _post(client: Client, path: str, data: Mapping[str, object]) -> None:
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _signed_in(user: object) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


REFERRAL_MARKERS = [
    "xreferrer",
    "xorganisation",
    "xrole",
    "xchildfirst",
    "xchildlast",
    "xparentfirst",
    "xparentlast",
    "xline",
    "xtown",
    "xsummary",
]


def _person(first: str, last: str, role: str, year: str) -> dict[str, str]:
    return {
        "first_name": bad(first),
        "last_name": bad(last),
        "date_of_birth-day": "14",
        "date_of_birth-month": "3",
        "date_of_birth-year": year,
        "sex": "female",
        "role": role,
        "nhs_number": "",
    }


def _public_referral(client: Client) -> Referral:
    """The public form, every free-text answer a payload; the check page shows them inert."""
    cache.clear()  # the form's rate limit counts in the cache
    _post(client, "/refer/who/", {"referrer_type": "professional"})
    _post(
        client,
        "/refer/your-details/",
        {
            "referrer_name": bad("xreferrer"),
            "phone": "01632 960001",
            "email": "o.brambleby@school.example.org",
            "organisation_type": "school",
            "organisation": bad("xorganisation"),
            "role": bad("xrole"),
        },
    )
    people = [
        _person("xchildfirst", "xchildlast", "child", "2016"),
        _person("xparentfirst", "xparentlast", "parent_or_carer", "1987"),
    ]
    for index, person in enumerate(people):
        _post(client, "/refer/people/add/", person)
        _post(client, "/refer/people/", {"add_another": "yes" if index == 0 else "no"})
    _post(
        client,
        "/refer/address/",
        {
            "address_line1": bad("xline"),
            "address_town": bad("xtown"),
            "address_postcode": "AB1 2XY",
        },
    )
    _post(
        client,
        "/refer/concern/",
        {"reasons": ["getting_a_good_education"], "summary": bad("xsummary")},
    )
    _post(client, "/refer/agreement/", {"family_consents": "yes", "family_aware": "yes"})
    assert_inert(_page(client, "/refer/check/"), REFERRAL_MARKERS, "the public check page")
    _post(client, "/refer/check/", {"website": ""})
    return Referral.objects.get()


def test_stored_payloads_in_every_free_text_field_render_inert(world: World) -> None:
    referral = _public_referral(Client())
    duty = _signed_in(world.duty)
    assert_inert(
        _page(duty, reverse("referrals:detail", kwargs={"referral_id": referral.pk})),
        REFERRAL_MARKERS,
        "the referral page",
    )

    result = triage(
        actor=world.duty,
        referral=referral,
        decision=Decision(outcome="accepted", team_slug="north", lead_practitioner="pat"),
    )
    assert result.family_id is not None
    family = Family.objects.get(pk=result.family_id)
    members = {m.first_name.split()[0]: m for m in family.members.all()}
    child, parent = members["xchildfirst"], members["xparentfirst"]
    pat = world.practitioner
    today = timezone.localdate()

    note = record_contact(
        actor=pat,
        family=family,
        data=ContactInput(
            contact_type="home_visit",
            occurred_at=timezone.now() - timedelta(hours=2),
            note=bad("xnote"),
            subjects=[child.pk, parent.pk],
            present_members=[child.pk, parent.pk],
            professionals=[
                ProfessionalInput(
                    name=bad("xprofname"), organisation=bad("xproforg"), role=bad("xprofrole")
                )
            ],
            child_words=[VoiceInput(person_id=child.pk, text=bad("xchildwords"))],
            parent_views=[VoiceInput(person_id=parent.pk, text=bad("xparentviews"))],
        ),
    )

    assessment = assessments.start_assessment(
        actor=pat, family=family, started_on=today, organisation=bad("xassessorg")
    )
    assessments.update_assessment(
        actor=pat,
        assessment=assessment,
        changes=assessments.AssessmentChanges(
            strengths=bad("xstrengths"),
            child_views=bad("xchildviews"),
            parent_views=bad("xparentsay"),
            analysis=bad("xanalysis"),
            conclusion=bad("xconclusion"),
        ),
    )
    assessments.add_need(
        actor=pat,
        assessment=assessment,
        person_id=child.pk,
        headline_code="getting_a_good_education",
        evidence=bad("xevidence"),
        severity="medium",
    )

    school = Organisation.objects.create(name="Brookfield Primary School", kind="school")
    teacher = PartnerContact.objects.create(
        organisation=school,
        name="Ms Hollis Partridge",
        job_title="Designated safeguarding lead",
        email="h.partridge@brookfield.example.org",
    )
    plan = plans.create_plan(
        actor=pat,
        family=family,
        outcomes=[
            plans.OutcomeInput(
                headline_code="getting_a_good_education",
                description=bad("xoutcome"),
                measure=bad("xmeasure"),
                people=[child.pk, parent.pk],
            )
        ],
    )
    version = plans.current_version(plan)
    plans.add_action(
        actor=pat,
        version=version,
        data=plans.ActionInput(
            what=bad("xaction"),
            due_on=today + timedelta(days=14),
            owner_contact=teacher.pk,
            outcome=version.outcomes.get().pk,
        ),
    )
    version = plans.current_version(plan)
    plans.add_member(actor=pat, version=version, contact=teacher.pk, role_in_plan=bad("xtafrole"))
    version = plans.current_version(plan)

    agreements = [
        agree_to_share(
            pat,
            family,
            person,
            organisation=school,
            scopes=("plan", "assessments", "case_notes"),
            given_by=parent,
            purpose=bad("xagreement"),
        )
        for person in (parent, child)
    ]
    decision = record_sharing_decision(
        actor=pat,
        family=family,
        data=DecisionInput(
            outcome="share",
            decided_on=today,
            people=[parent.pk, child.pk],
            recipient_organisation=school.pk,
            purpose=bad("xdecisionpurpose"),
            scopes=["plan"],
            gateway="safeguarding",
            consent_status="not_sought",
            consent_not_sought_reason=bad("xnotsought"),
            family_told=False,
            family_not_told_reason=bad("xnottold"),
            necessity=bad("xnecessity"),
            items_shared=bad("xitems"),
            transfer_method="encrypted_file",
        ),
    )
    package = create_package(
        actor=pat,
        family=family,
        data=PackageInput(
            recipient_organisation=school.pk,
            recipient_contact=teacher.pk,
            purpose=bad("xpackage"),
            items=[{"type": "plan_version", "id": str(version.pk)}],
            people=[parent.pk, child.pk],
        ),
    )
    link_partner_user(actor=None, contact=teacher, user=world.partner)
    add_contribution(actor=world.partner, family_id=family.pk, text=bad("xcontribution"))

    agreement_id = agreements[0].pk  # type: ignore[attr-defined]
    staff = _signed_in(pat)
    f = {"family_id": family.pk}
    names = ["xchildfirst", "xchildlast", "xparentfirst", "xparentlast"]
    voices = ["xnote", "xchildwords", "xparentviews", "xprofname", "xproforg", "xprofrole"]
    assessment_fields = ["xassessorg", "xstrengths", "xchildviews", "xparentsay"]
    assessment_fields += ["xanalysis", "xconclusion", "xevidence"]
    plan_fields = ["xoutcome", "xmeasure", "xaction", "xtafrole"]
    pages = {
        ("casework:family", ()): [*names, "xcontribution"],
        ("contacts:list", ()): [],
        ("contacts:detail", (("contact_id", note.pk),)): names + voices,
        ("assessments:detail", (("assessment_id", assessment.pk),)): assessment_fields,
        ("assessments:edit", (("assessment_id", assessment.pk),)): assessment_fields[:-1],
        ("plans:detail", (("plan_id", plan.pk),)): plan_fields,
        ("plans:print", (("plan_id", plan.pk),)): plan_fields,
        ("sharing:agreements", ()): [],
        ("sharing:agreement", (("agreement_id", agreement_id),)): ["xagreement"],
        ("sharing:decision", (("decision_id", decision.pk),)): [
            "xdecisionpurpose",
            "xnotsought",
            "xnottold",
            "xnecessity",
            "xitems",
        ],
        ("packages:detail", (("package_id", package.pk),)): ["xpackage"],
    }
    for (name, extra), markers in pages.items():
        path = reverse(name, kwargs={**f, **dict(extra)})
        assert_inert(_page(staff, path), markers, name)

    partner = _signed_in(world.partner)
    assert_inert(
        _page(partner, reverse("partner:family", kwargs=f)),
        ["xoutcome", "xaction", "xcontribution"],
        "the partner's family page",
    )

    # The plan PDF carries the same text as plain characters, not entities.
    response = staff.get(reverse("plans:pdf", kwargs={**f, "plan_id": plan.pk}))
    assert response.status_code == 200
    pdf = response.content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    compact = "".join(text.split())
    for marker in ("xoutcome", "xaction"):
        assert f"{marker}<script>alert(1)</script>" in compact, marker
    assert "&lt;" not in text and "&#" not in text
