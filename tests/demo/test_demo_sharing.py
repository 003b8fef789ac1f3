"""After `loaddemo` every information-sharing screen has realistic content to show."""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.accounts.models import User
from earlyhelp.casework.models import Episode, TimelineEntry, TimelineKind
from earlyhelp.core import files
from earlyhelp.demo.case import age_on
from earlyhelp.demo.sharing import mail_kept_in_memory, signed_form_pdf
from earlyhelp.partners.models import OrganisationKind, PartnerContact
from earlyhelp.people.models import FamilyRole
from earlyhelp.plans.models import FamilyPlan, PlanStatus, TafMember
from earlyhelp.plans.printing import plan_people_ids
from earlyhelp.plans.services import current_version
from earlyhelp.sharing import decisions
from earlyhelp.sharing.models import (
    Agreement,
    AgreementKind,
    AuthorisationStatus,
    ConsentMethod,
    DecisionOutcome,
    DisclosureChannel,
    DisclosureLogEntry,
    Gateway,
    Scope,
    SharingDecision,
)
from earlyhelp.sharing.partner.access import listed_families
from earlyhelp.sharing.policy import OutputPath, decide
from tests.demo.conftest import LoadedDemo

pytestmark = pytest.mark.django_db


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_open_families_agreed_to_receive_early_help_and_to_share_their_plan(
    demo: LoadedDemo,
) -> None:
    today = timezone.localdate()
    open_families = Episode.objects.filter(
        closed_at__isnull=True, lead_practitioner__isnull=False
    ).values("family_id")
    support = Agreement.objects.filter(kind=AgreementKind.RECEIVE_SUPPORT)
    assert support.filter(family_id__in=open_families).values("family_id").distinct().count() >= 20
    assert not support.exclude(recipient_kind="").exists()

    share = Agreement.objects.filter(kind=AgreementKind.SHARE).select_related(
        "person", "given_by", "recipient_organisation"
    )
    schools = share.filter(recipient_organisation__kind=OrganisationKind.SCHOOL)
    health = share.filter(recipient_kind=OrganisationKind.HEALTH_VISITING)
    assert schools.values("family_id").distinct().count() >= 10
    assert health.values("family_id").distinct().count() >= 10
    assert all(a.scopes == [Scope.PLAN, Scope.EDUCATION] for a in schools)
    assert all(a.scopes == [Scope.PLAN, Scope.HEALTH] for a in health)
    assert {a.method for a in share} >= {ConsentMethod.VERBAL, ConsentMethod.WRITTEN}

    for agreement in Agreement.objects.select_related("family"):
        opened = (
            Episode.objects.filter(family=agreement.family)
            .order_by("opened_at")
            .values_list("opened_at", flat=True)
            .first()
        )
        assert opened is not None
        assert timezone.localdate(opened) <= agreement.given_on <= today
        assert agreement.recorded_at <= timezone.now()

    # Who gave it: a young person of 14+ for themself, a parent for a younger child.
    competent = [
        a for a in share if a.given_by_id == a.person_id and age_on(a.person, a.given_on) < 18
    ]
    assert competent
    assert all(age_on(a.person, a.given_on) >= 14 for a in competent)
    for_child = [a for a in share if a.given_by_id != a.person_id]
    assert for_child
    assert all(age_on(a.person, a.given_on) < 14 for a in for_child)
    assert all(
        a.family.memberships.get(person=a.given_by).role == FamilyRole.PARENT_OR_CARER
        for a in for_child
    )


def test_an_agreement_was_given_on_a_signed_form_stored_as_a_pdf(demo: LoadedDemo) -> None:
    signed = Agreement.objects.get(method=ConsentMethod.SIGNED_FORM)

    assert signed.signed_form_type == "application/pdf"
    data = files.path_of(signed.signed_form).read_bytes()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Agreement to share information" in text
    assert signed.recipient_organisation is not None
    assert signed.recipient_organisation.name in text


def test_the_hand_written_pdf_is_valid_and_escapes_brackets() -> None:
    data = signed_form_pdf(["Name: Zoë (synthetic)", "back\\slash"])

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Name: Zoë (synthetic)" in text
    assert "back\\slash" in text


def test_one_family_withdrew_its_agreement_with_the_school(
    demo: LoadedDemo, sign_in: Callable[[str], Client]
) -> None:
    withdrawn = Agreement.objects.filter(withdrawn_on__isnull=False)
    assert withdrawn.exists()
    assert withdrawn.values("family_id").distinct().count() == 1
    for agreement in withdrawn:
        assert agreement.recipient_organisation is not None
        assert agreement.recipient_organisation.kind == OrganisationKind.SCHOOL
        assert agreement.withdrawn_on is not None
        assert agreement.given_on <= agreement.withdrawn_on <= timezone.localdate()
        assert agreement.withdrawn_by_id == agreement.given_by_id
        assert agreement.withdrawal_note
    family = withdrawn.first().family  # type: ignore[union-attr]
    assert TimelineEntry.objects.filter(
        family=family, kind=TimelineKind.SHARING, title="Agreement withdrawn"
    ).exists()
    # Nothing more goes to that school for the family.
    school = withdrawn.first().recipient_organisation  # type: ignore[union-attr]
    plan = FamilyPlan.objects.get(family=family, status=PlanStatus.ACTIVE)
    assert not decide(
        family=family,
        recipient=school,  # type: ignore[arg-type]
        people=plan_people_ids(current_version(plan)),
        scopes=[Scope.PLAN],
        path=OutputPath.TAF_PLAN,
    ).allowed

    team = Episode.objects.get(family=family, closed_at__isnull=True).team.slug
    response = sign_in(f"{team}.manager").get(reverse("sharing:agreements", args=[family.pk]))
    assert response.status_code == 200
    assert "Withdrawn" in response.content.decode()


def test_sharing_decisions_of_every_kind(demo: LoadedDemo) -> None:
    not_share = SharingDecision.objects.get(outcome=DecisionOutcome.NOT_SHARE)
    assert not_share.recipient_organisation.kind == OrganisationKind.SCHOOL
    assert not_share.items_shared == ""
    assert not_share.authorisation == AuthorisationStatus.NOT_REQUIRED

    in_part = SharingDecision.objects.get(outcome=DecisionOutcome.SHARE_IN_PART)
    assert in_part.gateway == ""
    assert in_part.agreements.exists()
    assert in_part.authorisation == AuthorisationStatus.NOT_REQUIRED

    waiting = SharingDecision.objects.filter(authorisation=AuthorisationStatus.PENDING)
    pending = waiting.get(emergency=False)
    assert pending.gateway == Gateway.SAFEGUARDING
    assert pending.decided_by.username == "north.practitioner"
    emergency = SharingDecision.objects.get(emergency=True)
    # North's manager has both waiting (the emergency one already released).
    assert set(decisions.awaiting_authorisation(_user("north.manager"))) == {pending, emergency}
    assert not decisions.awaiting_authorisation(_user("south.manager")).exists()

    authorised = SharingDecision.objects.get(authorisation=AuthorisationStatus.AUTHORISED)
    assert authorised.gateway
    assert authorised.authorised_by is not None
    assert authorised.authorised_by_id != authorised.decided_by_id
    assert authorised.authorised_at is not None
    assert authorised.decided_on <= timezone.localdate(authorised.authorised_at)
    assert authorised.authorised_at <= timezone.now()

    for decision in SharingDecision.objects.all():
        assert decision.decided_on <= timezone.localdate()
        assert decision.necessity and decision.purpose
        assert decision.recorded_at <= timezone.now()
        assert TimelineEntry.objects.filter(
            object_type="sharing_decision", object_id=str(decision.pk)
        ).exists()


def test_an_emergency_release_waits_past_its_24_hours(demo: LoadedDemo) -> None:
    now = timezone.now()
    emergency = SharingDecision.objects.get(emergency=True)

    assert emergency.gateway == Gateway.VITAL_INTERESTS
    assert emergency.authorisation == AuthorisationStatus.PENDING
    assert emergency.released_at is not None and emergency.authorisation_due_at is not None
    assert emergency.authorisation_due_at - emergency.released_at == timedelta(
        hours=settings.EARLYHELP_EMERGENCY_AUTHORISATION_HOURS
    )
    assert emergency.authorisation_due_at < now
    assert decisions.is_overdue(emergency)
    assert list(decisions.overdue_authorisations(_user("dpo"))) == [emergency]
    assert list(decisions.overdue_authorisations(_user("north.manager"))) == [emergency]
    assert not decisions.overdue_authorisations(_user("south.manager")).exists()


def test_the_dpo_sees_the_overdue_release_and_its_decision_page(
    demo: LoadedDemo, sign_in: Callable[[str], Client]
) -> None:
    emergency = SharingDecision.objects.select_related("recipient_organisation").get(emergency=True)
    client = sign_in("dpo")

    response = client.get(reverse("sharing:overdue"))

    assert response.status_code == 200
    assert emergency.recipient_organisation.name in html.unescape(response.content.decode())
    client.logout()
    manager = sign_in("north.manager")
    page = manager.get(reverse("sharing:decision", args=[emergency.family_id, emergency.pk]))
    assert page.status_code == 200


def test_plans_sent_to_the_taf_are_in_the_disclosure_log(demo: LoadedDemo) -> None:
    log = DisclosureLogEntry.objects.select_related("agreement")
    sent = log.filter(channel=DisclosureChannel.TAF_EMAIL)
    assert sent.values("family_id").distinct().count() >= 2
    for entry in sent:
        assert entry.scopes == [Scope.PLAN]
        assert entry.agreement is not None
        assert entry.agreement.person_id == entry.person_id
        assert entry.agreement.given_on <= timezone.localdate(entry.disclosed_at)
        assert entry.disclosed_at <= timezone.now()
        assert entry.recipient_contact is not None
        assert TafMember.objects.filter(
            contact=entry.recipient_contact, version__plan__family=entry.family
        ).exists()
    assert not log.filter(disclosed_at__gt=timezone.now()).exists()
    assert not log.filter(disclosed_at__lt=F("agreement__given_on")).exists()


def test_the_partner_login_sees_a_family_that_agreed_to_share_with_its_school(
    demo: LoadedDemo, sign_in: Callable[[str], Client]
) -> None:
    partner = _user("partner")
    contact = PartnerContact.objects.select_related("organisation").get(user=partner)
    assert contact.organisation.kind == OrganisationKind.SCHOOL
    assert contact.active

    listed = listed_families(partner).rows
    assert listed
    for row in listed:
        plan = FamilyPlan.objects.get(family_id=row.family_id, status=PlanStatus.ACTIVE)
        version = current_version(plan)
        assert version.members.filter(contact=contact).exists()
        standing = Agreement.objects.filter(
            family_id=row.family_id,
            recipient_organisation=contact.organisation,
            kind=AgreementKind.SHARE,
            withdrawn_on__isnull=True,
        )
        assert any(Scope.PLAN in a.scopes for a in standing)

    client = sign_in("partner")
    response = client.get(reverse("partner:families"))
    assert response.status_code == 200
    assert listed[0].reference in response.content.decode()
    page = client.get(reverse("partner:family", args=[listed[0].family_id]))
    assert page.status_code == 200
    assert DisclosureLogEntry.objects.filter(
        family_id=listed[0].family_id, channel=DisclosureChannel.PARTNER_READ
    ).exists()
    assert "partner" in demo.output
    assert reverse("partner:families") in demo.output
    assert contact.name in demo.output


def test_loaddemo_prints_what_was_shared(demo: LoadedDemo) -> None:
    agreements = Agreement.objects.count()
    assert f"Information sharing: {agreements} agreements " in demo.output
    assert reverse("sharing:overdue") in demo.output


def test_mail_sent_while_loading_the_demo_stays_in_memory() -> None:
    with mail_kept_in_memory():
        assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
        before = len(getattr(mail, "outbox", []))
        mail.send_mail("demo", "synthetic", "a@example.org", ["b@example.org"])
        assert len(mail.outbox) == before + 1
