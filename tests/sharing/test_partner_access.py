"""Partner access (issue 5 section 4): which families a partner sees, and what of them.

The partner (``world.partner``) is linked to the school's designated safeguarding lead
(``setup.teacher``), a TAF member of the plan who owns one action. The ``plan`` fixture
carries the parent's agreement, for herself and Zoë, to the school receiving the plan; Wystan
is in the household but named by no plan.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.assessments.models import Assessment, AssessmentNeed, Headline
from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.contacts.services import ContactInput, VoiceInput, record_contact
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.partners.models import PartnerContact
from earlyhelp.partners.services import link_partner_user
from earlyhelp.people.models import Address
from earlyhelp.plans import services as plan_services
from earlyhelp.plans.models import PlanAction
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.decisions import DecisionInput, record_decision
from earlyhelp.sharing.models import (
    Agreement,
    DisclosureChannel,
    DisclosureLogEntry,
    PartnerContribution,
    Scope,
)
from earlyhelp.sharing.partner import access, services
from earlyhelp.sharing.policy import OutputPath, decide
from tests.factories import World, agree_to_share, make_user
from tests.plans.conftest import Setup

pytestmark = pytest.mark.django_db

CONFIDENTIAL_LINE = "4 Sparrowhawk Close"
CONFIDENTIAL_POSTCODE = "ZX1 9QQ"
# What must never reach a partner: the excluded household member and any address.
NEVER_SHOWN = ["Wystan", "Sparrowhawk", "ZX1 9QQ", "ZX19QQ", "Larkspur"]


# --- Helpers shared by the partner page and API tests ------------------------------------------


def link(world: World, s: Setup, contact: PartnerContact | None = None) -> PartnerContact:
    contact = contact or s.teacher
    link_partner_user(actor=None, contact=contact, user=world.partner)
    return contact


def hide_in_record(world: World, s: Setup) -> None:
    """A confidential address for the parent, and notes naming Wystan and the address: what
    a partner must never see, put where a careless page would show it."""
    Address.objects.create(
        person=s.parent,
        line1=CONFIDENTIAL_LINE,
        town="Exampleton",
        postcode=CONFIDENTIAL_POSTCODE,
        confidential=True,
    )
    record_contact(
        actor=world.practitioner,
        family=s.family,
        data=ContactInput(
            contact_type="home_visit",
            occurred_at=timezone.now() - timedelta(days=2),
            note=(
                "Zoë was ready for school. Wystan Quillfeather was at 4 Sparrowhawk Close "
                "(ZX1 9QQ) and Wystan spoke about the mornings."
            ),
            subjects=[s.child.pk],
            child_words=[VoiceInput(person_id=s.child.pk, text="I like my teacher.")],
        ),
    )
    record_contact(
        actor=world.practitioner,
        family=s.family,
        data=ContactInput(
            contact_type="phone_call",
            occurred_at=timezone.now() - timedelta(days=1),
            note="Call with Wystan about his own support.",
            subjects=[s.excluded.pk],
        ),
    )


def authorised_assessment(world: World, s: Setup) -> Assessment:
    headline = Headline.objects.order_by("position").first()
    assert headline is not None
    assessment = Assessment.objects.create(
        family=s.family,
        episode=s.episode,
        status=Assessment.Status.AUTHORISED,
        started_on=timezone.localdate() - timedelta(days=20),
        completed_on=timezone.localdate() - timedelta(days=10),
        strengths="Marigold keeps in touch with the school; Wystan helps on Fridays.",
        conclusion="Routines are the priority.",
        created_by=world.practitioner,
    )
    AssessmentNeed.objects.create(
        assessment=assessment,
        person=s.child,
        headline=headline,
        evidence="Late most mornings.",
        severity="medium",
    )
    AssessmentNeed.objects.create(
        assessment=assessment,
        person=s.excluded,
        headline=headline,
        evidence="Needs of his own.",
        severity="high",
    )
    return assessment


def agree_scope(world: World, s: Setup, scope: str) -> None:
    for person in (s.parent, s.child):
        agree_to_share(
            world.practitioner,
            s.family,
            person,
            organisation=s.school,
            scopes=[scope],
            given_by=s.parent,
        )


def withdraw_all(world: World, s: Setup) -> None:
    for agreement in Agreement.objects.filter(family=s.family, withdrawn_on__isnull=True):
        withdraw_agreement(
            actor=world.practitioner,
            agreement=agreement,
            withdrawn_on=timezone.localdate(),
            withdrawn_by=s.parent.pk,
        )


def object_to_sharing(world: World, s: Setup, plan) -> None:  # type: ignore[no-untyped-def]
    plan_services.record_objection(
        actor=world.practitioner,
        plan=plan,
        objected_by=s.parent.pk,
        objected_on=timezone.localdate(),
    )


def decide_not_to_share(world: World, s: Setup) -> None:
    record_decision(
        actor=world.practitioner,
        family=s.family,
        data=DecisionInput(
            outcome="not_share",
            decided_on=timezone.localdate(),
            people=[s.parent.pk],
            recipient_organisation=s.school.pk,
            purpose="The school asked for more than it needs.",
            consent_status="refused",
            family_told=True,
            necessity="Not necessary for the school's part in the plan.",
        ),
    )


def text_of(shown: access.PartnerFamily) -> str:
    """Every string the family view holds, flattened."""
    return repr(shown)


# --- Which families -------------------------------------------------------------------------


def test_a_partner_sees_the_family_only_with_the_familys_agreement(world, setup, bare_plan):
    link(world, setup)
    assert access.listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)

    from tests.plans.conftest import agree_to_taf_sharing

    agree_to_taf_sharing(world, setup)
    rows = access.listed_families(world.partner).rows
    assert [row.family_id for row in rows] == [setup.family.pk]
    assert rows[0].my_open_actions == 1
    shown = access.partner_family(world.partner, setup.family.pk)
    assert shown.scopes == [Scope.PLAN]
    assert [a.what for a in shown.my_actions] == ["Weekly attendance check-in"]
    assert {o.description for o in shown.plan.outcomes} >= {"Mornings are calm at home."}


def test_partner_families_are_those_whose_current_plan_names_the_contact(world, setup, plan):
    link(world, setup)
    assert list(access.partner_families(world.partner)) == [setup.family]
    # Another professional at the same school is not in the TAF: the school's agreement is
    # not enough, the plan must name them.
    colleague = PartnerContact.objects.create(organisation=setup.school, name="Mr Ansel Brook")
    other = make_user(Role.PARTNER, None)
    link_partner_user(actor=None, contact=colleague, user=other)
    assert list(access.partner_families(other)) == []
    assert access.listed_families(other).rows == []
    with pytest.raises(NotFound):
        access.partner_family(other, setup.family.pk)


def test_a_partner_without_a_linked_active_contact_sees_nothing(world, setup, plan):
    assert access.listed_families(world.partner).contact is None
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)
    link(world, setup)
    setup.teacher.active = False
    setup.teacher.save()
    assert access.listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)


def test_staff_are_not_partners(world, setup, plan):
    link(world, setup)
    with pytest.raises(NotFound):
        access.partner_family(world.practitioner, setup.family.pk)
    assert access.listed_families(world.practitioner).rows == []


def test_withdrawing_the_agreement_hides_the_family_and_logs_nothing_new(world, setup, plan):
    link(world, setup)
    access.partner_family(world.partner, setup.family.pk)
    logged = DisclosureLogEntry.objects.count()
    assert logged == 2  # the parent and Zoë, for the plan

    withdraw_all(world, setup)
    assert access.listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)
    assert DisclosureLogEntry.objects.count() == logged
    refused = AuditEvent.objects.filter(object_type="sharing_check").order_by("-seq").first()
    assert refused is not None
    assert refused.detail["verdict"] == "refused"
    assert refused.detail["path"] == "partner_read"


def test_an_objection_hides_the_family(world, setup, plan):
    link(world, setup)
    object_to_sharing(world, setup, plan)
    assert access.listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)
    assert not DisclosureLogEntry.objects.exists()


def test_a_family_named_only_by_an_earlier_version_is_not_shown(world, setup, plan):
    link(world, setup)
    version = plan_services.current_version(plan)
    # A review copies the TAF forward; then the teacher leaves the TAF of the new version.
    plan_services.record_review(
        actor=world.practitioner,
        plan=plan,
        data=plan_services.ReviewInput(
            held_on=timezone.localdate(),
            summary="Good progress.",
            change_summary="The school steps back.",
            progress=[
                plan_services.ProgressInput(outcome=o.pk, rating="on_track")
                for o in version.outcomes.all()
            ],
        ),
    )
    new_version = plan_services.current_version(plan)
    assert new_version.number == 2
    new_version.members.filter(contact=setup.teacher).delete()
    PlanAction.objects.filter(version=new_version, owner_contact=setup.teacher).delete()
    assert access.listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)


# --- The list agrees with the policy ------------------------------------------------------------


STATES = ["none", "given", "withdrawn", "objection", "not_share", "kind", "partial", "other_scope"]


@pytest.mark.parametrize("state", STATES)
def test_the_family_list_applies_the_policys_decision(world, setup, bare_plan, state):
    link(world, setup)
    s = setup
    if state in ("given", "withdrawn", "objection", "not_share"):
        agree_scope(world, s, Scope.PLAN)
    if state == "withdrawn":
        withdraw_all(world, s)
    if state == "objection":
        object_to_sharing(world, s, bare_plan)
    if state == "not_share":
        decide_not_to_share(world, s)
    if state == "kind":
        for person in (s.parent, s.child):
            agree_to_share(world.practitioner, s.family, person, kind="school", given_by=s.parent)
    if state == "partial":
        agree_to_share(world.practitioner, s.family, s.parent, organisation=s.school)
    if state == "other_scope":
        agree_scope(world, s, Scope.ASSESSMENTS)
    version = plan_services.current_version(bare_plan)
    from earlyhelp.plans.printing import plan_people_ids

    verdict = decide(
        family=s.family,
        recipient=s.school,
        people=plan_people_ids(version),
        scopes=[Scope.PLAN],
        path=OutputPath.PARTNER_READ,
    )
    listed = bool(access.listed_families(world.partner).rows)
    assert listed == verdict.allowed
    assert listed == (state in ("given", "kind"))


# --- What is shown ------------------------------------------------------------------------------


def test_case_notes_only_when_the_agreement_covers_them(world, setup, plan):
    link(world, setup)
    hide_in_record(world, setup)
    shown = access.partner_family(world.partner, setup.family.pk)
    assert shown.notes is None
    assert Scope.CASE_NOTES not in shown.scopes
    assert "ready for school" not in text_of(shown)

    agree_scope(world, setup, Scope.CASE_NOTES)
    shown = access.partner_family(world.partner, setup.family.pk)
    assert shown.notes is not None
    # The note about Zoë is shown; the call about Wystan is not.
    assert [n.contact_type for n in shown.notes] == ["Home visit"]
    note = shown.notes[0]
    assert note.note.startswith("Zoë was ready for school.")
    assert "[other household member]" in note.note
    assert "[address removed]" in note.note
    assert [v.text for v in note.voices] == ["I like my teacher."]


def test_assessments_only_when_the_agreement_covers_them(world, setup, plan):
    link(world, setup)
    authorised_assessment(world, setup)
    assert access.partner_family(world.partner, setup.family.pk).assessments is None
    agree_scope(world, setup, Scope.ASSESSMENTS)
    shown = access.partner_family(world.partner, setup.family.pk)
    assert shown.assessments is not None and len(shown.assessments) == 1
    assessment = shown.assessments[0]
    assert [n.person for n in assessment.needs] == [setup.child.full_name]
    assert "[other household member] helps on Fridays" in assessment.strengths


def test_no_address_and_no_excluded_person_in_anything_shown(world, setup, plan):
    link(world, setup)
    hide_in_record(world, setup)
    authorised_assessment(world, setup)
    agree_scope(world, setup, Scope.CASE_NOTES)
    agree_scope(world, setup, Scope.ASSESSMENTS)
    # The plan's own text names Wystan too.
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    action.what = "Weekly attendance check-in; Wystan drops Zoë off on Mondays"
    action.save()
    shown = access.partner_family(world.partner, setup.family.pk)
    assert shown.notes and shown.assessments
    text = text_of(shown)
    for secret in NEVER_SHOWN:
        assert secret.lower() not in text.lower(), secret
    assert "Zoë" in text  # the people the plan names are shown


def test_a_partner_read_is_audited_and_in_the_disclosure_log(world, setup, plan):
    link(world, setup)
    hide_in_record(world, setup)
    agree_scope(world, setup, Scope.CASE_NOTES)
    first = AuditEvent.objects.order_by("-seq").first()
    assert first is not None
    access.partner_family(world.partner, setup.family.pk)

    events = list(AuditEvent.objects.filter(seq__gt=first.seq).order_by("seq"))
    view = [e for e in events if e.action == "view" and e.object_type == "family"]
    assert len(view) == 1
    assert view[0].purpose == "partner"
    assert view[0].object_id == str(setup.family.pk)
    assert view[0].actor_id == world.partner.pk
    checks = [e for e in events if e.object_type == "sharing_check"]
    assert {tuple(e.detail["scopes"]) for e in checks} == {
        ("plan",),
        ("assessments",),
        ("case_notes",),
    }
    assert all(e.detail["path"] == "partner_read" for e in checks)

    entries = list(DisclosureLogEntry.objects.all())
    assert {e.channel for e in entries} == {DisclosureChannel.PARTNER_READ}
    assert {e.recipient_contact_id for e in entries} == {setup.teacher.pk}
    plan_people = {(e.person_id) for e in entries if e.scopes == ["plan"]}
    assert plan_people == {setup.parent.pk, setup.child.pk}
    note_people = {e.person_id for e in entries if e.scopes == ["case_notes"]}
    assert note_people == {setup.child.pk}  # the shown note is about Zoë alone
    assert setup.excluded.pk not in {e.person_id for e in entries}
    assert all(e.agreement is not None for e in entries)


# --- Writes -------------------------------------------------------------------------------------


def test_a_partner_updates_their_own_action(world, setup, plan):
    link(world, setup)
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    shown = services.update_my_action_status(
        actor=world.partner, family_id=setup.family.pk, action_id=action.pk, status="in_progress"
    )
    assert shown.status == "in_progress"
    action.refresh_from_db()
    assert action.status == "in_progress"
    event = AuditEvent.objects.filter(object_type="plan_action", action="update").get()
    assert event.purpose == "partner"
    assert event.detail == {"change": "status", "from": "not_started", "to": "in_progress"}
    entry = TimelineEntry.objects.filter(family=setup.family, object_type="plan").latest(
        "occurred_at"
    )
    assert entry.title == "Action updated by a TAF partner"
    assert entry.kind == "plan"


def test_a_partner_cannot_update_anyone_elses_action(world, setup, plan):
    link(world, setup)
    parents_action = PlanAction.objects.get(owner_person=setup.parent)
    with pytest.raises(NotFound):
        services.update_my_action_status(
            actor=world.partner,
            family_id=setup.family.pk,
            action_id=parents_action.pk,
            status="done",
        )
    parents_action.refresh_from_db()
    assert parents_action.status == "not_started"


def test_an_unknown_status_is_refused(world, setup, plan):
    link(world, setup)
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    with pytest.raises(InvalidInput) as raised:
        services.update_my_action_status(
            actor=world.partner, family_id=setup.family.pk, action_id=action.pk, status="later"
        )
    assert raised.value.field == "status"


def test_no_updates_once_the_agreement_is_withdrawn(world, setup, plan):
    link(world, setup)
    withdraw_all(world, setup)
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    with pytest.raises(NotFound):
        services.update_my_action_status(
            actor=world.partner, family_id=setup.family.pk, action_id=action.pk, status="done"
        )
    with pytest.raises(NotFound):
        services.add_contribution(actor=world.partner, family_id=setup.family.pk, text="Hello")


def test_a_contribution_is_recorded_audited_and_on_the_timeline(world, setup, plan):
    link(world, setup)
    contribution = services.add_contribution(
        actor=world.partner,
        family_id=setup.family.pk,
        text="  Attendance up to 92% this half term.  ",
    )
    stored = PartnerContribution.objects.get()
    assert stored.pk == contribution.pk
    assert stored.text == "Attendance up to 92% this half term."
    assert stored.contact == setup.teacher
    assert stored.plan == plan
    assert stored.written_by == world.partner
    event = AuditEvent.objects.get(object_type="partner_contribution")
    assert event.action == "create" and event.purpose == "partner"
    entry = TimelineEntry.objects.get(object_type="partner_contribution")
    assert entry.summary == "Attendance up to 92% this half term."
    shown = access.partner_family(world.partner, setup.family.pk)
    assert [c.pk for c in shown.contributions] == [contribution.pk]


def test_an_empty_contribution_is_refused(world, setup, plan):
    link(world, setup)
    with pytest.raises(InvalidInput) as raised:
        services.add_contribution(actor=world.partner, family_id=setup.family.pk, text="   ")
    assert raised.value.field == "text"
    assert not PartnerContribution.objects.exists()


# --- Linking a contact to a sign-in -------------------------------------------------------------


def test_only_an_administrator_links_a_partner_sign_in(world, setup):
    with pytest.raises(PermissionDenied):
        link_partner_user(actor=world.manager, contact=setup.teacher, user=world.partner)
    link_partner_user(actor=world.admin, contact=setup.teacher, user=world.partner)
    setup.teacher.refresh_from_db()
    assert setup.teacher.user == world.partner
    event = AuditEvent.objects.filter(object_type="partner_contact").latest("seq")
    assert event.detail["change"] == "sign_in"
    assert event.actor_id == world.admin.pk


def test_the_linked_user_must_be_a_partner_with_one_contact(world, setup):
    with pytest.raises(InvalidInput):
        link_partner_user(actor=world.admin, contact=setup.teacher, user=world.practitioner)
    link_partner_user(actor=world.admin, contact=setup.teacher, user=world.partner)
    with pytest.raises(Conflict):
        link_partner_user(actor=world.admin, contact=setup.nurse, user=world.partner)
    other = make_user(Role.PARTNER, None)
    with pytest.raises(Conflict):
        link_partner_user(actor=world.admin, contact=setup.teacher, user=other)
    link_partner_user(actor=world.admin, contact=setup.teacher, user=None)
    setup.teacher.refresh_from_db()
    assert setup.teacher.user is None


def test_the_link_command(world, setup, capsys):
    call_command("link_partner_user", "--contact", str(setup.teacher.pk), "--username", "parker")
    setup.teacher.refresh_from_db()
    assert setup.teacher.user == world.partner
    assert "now signs in as parker" in capsys.readouterr().out
    with pytest.raises(CommandError, match="partner role"):
        call_command("link_partner_user", "--contact", str(setup.nurse.pk), "--username", "pat")
    with pytest.raises(CommandError, match="UUID"):
        call_command("link_partner_user", "--contact", "nope", "--username", "parker")
    call_command("link_partner_user", "--contact", str(setup.teacher.pk), "--unlink")
    setup.teacher.refresh_from_db()
    assert setup.teacher.user is None
