"""sharing.policy: every agreement state x gateway state x output path, and the edges.

Agreement states: none, given, withdrawn, given with the family's objection to sharing the
plan. Gateway: no decision, or a decision naming a gateway that is waiting, an emergency
release waiting, authorised, or refused. Paths: the plan sent to the TAF, a partner's read,
a disclosure package.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.plans import services as plan_services
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.decisions import DecisionInput, authorise_decision, record_decision
from earlyhelp.sharing.models import Scope, SharingDecision
from earlyhelp.sharing.policy import OutputPath, Verdict, check_sharing, decide
from tests.factories import World, agree_to_share
from tests.plans.conftest import Setup

pytestmark = pytest.mark.django_db

AGREEMENT_STATES = ["none", "given", "withdrawn", "objection"]
GATEWAY_STATES = ["none", "pending", "emergency", "authorised", "refused"]
PATHS = list(OutputPath)
SCOPES = {
    OutputPath.TAF_PLAN: [Scope.PLAN],
    OutputPath.PARTNER_READ: [Scope.PLAN, Scope.ASSESSMENTS],
    OutputPath.DISCLOSURE_PACKAGE: [Scope.PLAN, Scope.CASE_NOTES],
}


def expected(agreement: str, gateway: str, path: OutputPath) -> Verdict:
    if gateway != "none":
        if path is not OutputPath.DISCLOSURE_PACKAGE:
            return Verdict.REFUSED  # gateways are only for disclosure packages
        return {
            "pending": Verdict.NEEDS_AUTHORISATION,
            "emergency": Verdict.ALLOWED,
            "authorised": Verdict.ALLOWED,
            "refused": Verdict.REFUSED,
        }[gateway]
    return Verdict.ALLOWED if agreement == "given" else Verdict.REFUSED


def _arrange_agreement(world: World, s: Setup, state: str, bare_plan) -> None:
    if state == "none":
        return
    scopes = [Scope.PLAN, Scope.ASSESSMENTS, Scope.CASE_NOTES]
    agreements = [
        agree_to_share(
            world.practitioner,
            s.family,
            person,
            organisation=s.school,
            scopes=scopes,
            given_by=s.parent,
        )
        for person in (s.parent, s.child)
    ]
    if state == "withdrawn":
        withdraw_agreement(
            actor=world.practitioner,
            agreement=agreements[1],
            withdrawn_on=timezone.localdate(),
            withdrawn_by=s.parent.pk,
        )
    if state == "objection":
        plan_services.record_objection(
            actor=world.practitioner,
            plan=bare_plan,
            objected_by=s.parent.pk,
            objected_on=timezone.localdate(),
        )


def gateway_decision(world: World, s: Setup, *, emergency: bool = False) -> SharingDecision:
    return record_decision(
        actor=world.practitioner,
        family=s.family,
        data=DecisionInput(
            outcome="share",
            decided_on=timezone.localdate(),
            people=[s.parent.pk, s.child.pk],
            recipient_organisation=s.school.pk,
            purpose="The school's designated safeguarding lead needs the plan and notes.",
            scopes=[Scope.PLAN, Scope.CASE_NOTES, Scope.ASSESSMENTS],
            gateway="safeguarding",
            consent_status="not_sought",
            consent_not_sought_reason="Asking would put Zoë at increased risk.",
            family_told=False,
            family_not_told_reason="Telling them now would increase the risk.",
            necessity="Only the plan and the last two notes; nothing about the household.",
            items_shared="Family plan version 1 and two case notes",
            transfer_method="encrypted_file",
            emergency=emergency,
        ),
    )


def _arrange_gateway(world: World, s: Setup, state: str) -> SharingDecision | None:
    if state == "none":
        return None
    decision = gateway_decision(world, s, emergency=state == "emergency")
    if state in ("authorised", "refused"):
        authorise_decision(
            actor=world.manager,
            decision=decision,
            authorise=state == "authorised",
            note="" if state == "authorised" else "Not proportionate: ask the family first.",
        )
        decision.refresh_from_db()
    return decision


@pytest.mark.parametrize("path", PATHS, ids=str)
@pytest.mark.parametrize("gateway", GATEWAY_STATES)
@pytest.mark.parametrize("agreement", AGREEMENT_STATES)
def test_every_agreement_gateway_and_path(world, setup, bare_plan, agreement, gateway, path):
    _arrange_agreement(world, setup, agreement, bare_plan)
    decision = _arrange_gateway(world, setup, gateway)
    before = AuditEvent.objects.filter(object_type="sharing_check").count()

    result = check_sharing(
        actor=world.practitioner,
        family=setup.family,
        recipient=setup.school,
        people=[setup.parent.pk, setup.child.pk],
        scopes=SCOPES[path],
        path=path,
        decision=decision,
    )

    assert result.verdict is expected(agreement, gateway, path)
    assert result.reason
    event = AuditEvent.objects.filter(object_type="sharing_check").order_by("-seq").first()
    assert AuditEvent.objects.filter(object_type="sharing_check").count() == before + 1
    assert event is not None and event.detail["verdict"] == result.verdict.value
    assert event.detail["path"] == path.value
    assert "Marigold" not in str(event.detail) and "Zoë" not in result.reason


def test_agreement_must_cover_every_person_and_every_scope(world, setup):
    agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    both = [setup.parent.pk, setup.child.pk]

    def verdict(people, scopes):
        return decide(
            family=setup.family,
            recipient=setup.school,
            people=people,
            scopes=scopes,
            path=OutputPath.TAF_PLAN,
        ).verdict

    assert verdict([setup.parent.pk], [Scope.PLAN]) is Verdict.ALLOWED
    assert verdict(both, [Scope.PLAN]) is Verdict.REFUSED  # nothing from Zoë's side
    assert verdict([setup.parent.pk], [Scope.PLAN, Scope.HEALTH]) is Verdict.REFUSED
    agree_to_share(
        world.practitioner,
        setup.family,
        setup.child,
        organisation=setup.school,
        given_by=setup.parent,
    )
    assert verdict(both, [Scope.PLAN]) is Verdict.ALLOWED


def test_agreement_names_the_organisation_or_its_kind(world, setup):
    agree_to_share(world.practitioner, setup.family, setup.parent, kind="health_visiting")
    clinic = setup.nurse.organisation

    def verdict(recipient):
        return decide(
            family=setup.family,
            recipient=recipient,
            people=[setup.parent.pk],
            scopes=[Scope.PLAN],
            path=OutputPath.TAF_PLAN,
        ).verdict

    assert verdict(clinic) is Verdict.ALLOWED
    assert verdict(setup.school) is Verdict.REFUSED
    clinic.active = False
    clinic.save()
    assert verdict(clinic) is Verdict.REFUSED


def test_an_agreement_counts_from_the_day_it_was_given(world, setup):
    agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    given = timezone.localdate() - timedelta(days=1)
    for day, verdict in ((given - timedelta(days=1), Verdict.REFUSED), (given, Verdict.ALLOWED)):
        result = decide(
            family=setup.family,
            recipient=setup.school,
            people=[setup.parent.pk],
            scopes=[Scope.PLAN],
            path=OutputPath.TAF_PLAN,
            on=day,
        )
        assert result.verdict is verdict


def test_a_decision_not_to_share_stops_sharing_with_that_recipient(world, setup):
    agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    record_decision(
        actor=world.practitioner,
        family=setup.family,
        data=DecisionInput(
            outcome="not_share",
            decided_on=timezone.localdate(),
            people=[setup.parent.pk],
            recipient_organisation=setup.school.pk,
            purpose="The school asked for the whole file.",
            consent_status="refused",
            family_told=True,
            necessity="The school's request goes beyond what it needs.",
        ),
    )
    result = decide(
        family=setup.family,
        recipient=setup.school,
        people=[setup.parent.pk],
        scopes=[Scope.PLAN],
        path=OutputPath.TAF_PLAN,
    )
    assert result.verdict is Verdict.REFUSED and "not to share" in result.reason


def test_a_gateway_decision_covers_only_its_people_scopes_and_recipient(world, setup):
    decision = gateway_decision(world, setup)
    authorise_decision(actor=world.manager, decision=decision, authorise=True)
    decision.refresh_from_db()

    def verdict(**kwargs):
        arguments = {
            "family": setup.family,
            "recipient": setup.school,
            "people": [setup.parent.pk],
            "scopes": [Scope.PLAN],
            "path": OutputPath.DISCLOSURE_PACKAGE,
            "decision": decision,
        } | kwargs
        return decide(**arguments).verdict

    assert verdict() is Verdict.ALLOWED
    assert verdict(scopes=[Scope.HEALTH]) is Verdict.REFUSED
    assert verdict(people=[setup.excluded.pk]) is Verdict.REFUSED
    assert verdict(recipient=setup.nurse.organisation) is Verdict.REFUSED


def test_nothing_selected_is_refused_and_unknown_scopes_are_an_error(world, setup):
    result = decide(
        family=setup.family,
        recipient=setup.school,
        people=[],
        scopes=[Scope.PLAN],
        path=OutputPath.TAF_PLAN,
    )
    assert result.verdict is Verdict.REFUSED
    with pytest.raises(ValueError):
        decide(
            family=setup.family,
            recipient=setup.school,
            people=[setup.parent.pk],
            scopes=["everything"],
            path=OutputPath.TAF_PLAN,
        )
