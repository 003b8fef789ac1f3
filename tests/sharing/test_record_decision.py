"""sharing.decisions: decisions with every field, gateways, four-eyes authorisation, 24 hours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.sharing.decisions import (
    DecisionInput,
    authorise_decision,
    awaiting_authorisation,
    is_overdue,
    overdue_authorisations,
    record_decision,
)
from earlyhelp.sharing.models import AuthorisationStatus, SharingDecision
from tests.factories import agree_to_share
from tests.sharing.test_policy_matrix import gateway_decision

pytestmark = pytest.mark.django_db


def _with_agreement(world, setup, **overrides) -> DecisionInput:
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    values = {
        "outcome": "share",
        "decided_on": timezone.localdate(),
        "people": [setup.parent.pk],
        "recipient_organisation": setup.school.pk,
        "recipient_contact": setup.teacher.pk,
        "purpose": "Attendance support",
        "scopes": ["plan"],
        "consent_status": "given",
        "agreements": [agreement.pk],
        "family_told": True,
        "necessity": "The school acts on the plan's actions.",
        "items_shared": "Family plan version 1",
        "transfer_method": "secure_email",
    }
    return DecisionInput(**(values | overrides))


def test_a_decision_with_agreement_needs_no_authorisation(world, setup):
    decision = record_decision(
        actor=world.practitioner, family=setup.family, data=_with_agreement(world, setup)
    )
    assert decision.authorisation == AuthorisationStatus.NOT_REQUIRED
    assert decision.lawful_basis == "6(1)(e)" and decision.gateway == ""
    assert list(decision.people.all()) == [setup.parent]
    event = AuditEvent.objects.get(object_type="sharing_decision")
    assert event.action == "decision" and event.detail["outcome"] == "share"


def test_a_decision_not_to_share_is_recorded_too(world, setup):
    decision = record_decision(
        actor=world.practitioner,
        family=setup.family,
        data=DecisionInput(
            outcome="not_share",
            decided_on=timezone.localdate(),
            people=[setup.child.pk],
            recipient_organisation=setup.school.pk,
            purpose="Request for the case file",
            consent_status="refused",
            family_told=True,
            necessity="Not necessary for the school's role.",
        ),
    )
    assert decision.outcome == "not_share" and decision.scopes == []
    assert decision.transfer_method == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"decided_on": None}, "decided_on"),
        ({"people": []}, "people"),
        ({"recipient_organisation": None}, "recipient_organisation"),
        ({"consent_status": "given", "agreements": []}, "agreements"),
        ({"consent_status": "refused", "agreements": []}, "gateway"),
        ({"consent_status": "not_sought", "agreements": []}, "consent_not_sought_reason"),
        ({"family_told": None}, "family_told"),
        ({"family_told": False}, "family_not_told_reason"),
        ({"necessity": ""}, "necessity"),
        ({"transfer_method": ""}, "transfer_method"),
        ({"items_shared": ""}, "items_shared"),
        ({"scopes": []}, "scopes"),
        ({"emergency": True}, "emergency"),
    ],
)
def test_an_incomplete_decision_is_refused_with_the_field(world, setup, overrides, field):
    with pytest.raises(InvalidInput) as error:
        record_decision(
            actor=world.practitioner,
            family=setup.family,
            data=_with_agreement(world, setup, **overrides),
        )
    assert error.value.field == field
    assert not SharingDecision.objects.exists()


def test_a_gateway_decision_waits_for_a_manager_who_did_not_make_it(world, setup):
    decision = gateway_decision(world, setup)
    assert decision.authorisation == AuthorisationStatus.PENDING
    assert decision.released_at is None and decision.authorisation_due_at is None
    assert list(awaiting_authorisation(world.manager)) == [decision]
    for user in (world.practitioner, world.manager_south, world.dpo):
        with pytest.raises(PermissionDenied):
            authorise_decision(actor=user, decision=decision, authorise=True)
    with pytest.raises(InvalidInput) as error:
        authorise_decision(actor=world.manager, decision=decision, authorise=False)
    assert error.value.field == "note"
    authorised = authorise_decision(actor=world.manager, decision=decision, authorise=True)
    assert authorised.authorisation == AuthorisationStatus.AUTHORISED
    assert authorised.authorised_by == world.manager
    with pytest.raises(Conflict):
        authorise_decision(actor=world.manager, decision=decision, authorise=True)
    assert list(awaiting_authorisation(world.manager)) == []


def test_a_manager_cannot_authorise_their_own_decision(world, setup):
    decision = record_decision(
        actor=world.manager,
        family=setup.family,
        data=_gateway_input(setup),
    )
    with pytest.raises(PermissionDenied):
        authorise_decision(actor=world.manager, decision=decision, authorise=True)


def _gateway_input(setup) -> DecisionInput:
    return DecisionInput(
        outcome="share",
        decided_on=timezone.localdate(),
        people=[setup.child.pk],
        recipient_organisation=setup.school.pk,
        purpose="Police request about a missing-from-home episode.",
        scopes=["case_notes"],
        gateway="crime",
        consent_status="not_sought",
        consent_not_sought_reason="Would prejudice the investigation.",
        family_told=False,
        family_not_told_reason="Would prejudice the investigation.",
        necessity="Only the notes of the night in question.",
        items_shared="Two case notes",
        transfer_method="encrypted_file",
    )


def test_an_emergency_release_is_due_for_authorisation_within_24_hours(world, setup):
    decision = gateway_decision(world, setup, emergency=True)
    assert decision.released_at is not None
    assert decision.authorisation_due_at == decision.released_at + timedelta(hours=24)
    assert not is_overdue(decision)
    assert list(overdue_authorisations(world.manager)) == []

    SharingDecision.objects.filter(pk=decision.pk).update(
        authorisation_due_at=timezone.now() - timedelta(minutes=1)
    )
    decision.refresh_from_db()
    assert is_overdue(decision)
    assert list(overdue_authorisations(world.manager)) == [decision]
    assert list(overdue_authorisations(world.dpo)) == [decision]
    assert list(overdue_authorisations(world.manager_south)) == []
    assert list(overdue_authorisations(world.practitioner)) == []

    authorise_decision(actor=world.manager, decision=decision, authorise=True)
    assert list(overdue_authorisations(world.dpo)) == []
    late = AuditEvent.objects.filter(object_type="sharing_decision").order_by("-seq").first()
    assert late is not None and late.detail["late"] is True


def test_a_withdrawn_agreement_cannot_be_relied_on(world, setup):
    from earlyhelp.sharing.agreements import withdraw_agreement

    data = _with_agreement(world, setup)
    withdraw_agreement(
        actor=world.practitioner,
        agreement=setup.family.agreements.get(pk=data.agreements[0]),
        withdrawn_on=timezone.localdate(),
        withdrawn_by=setup.parent.pk,
    )
    with pytest.raises(InvalidInput) as error:
        record_decision(actor=world.practitioner, family=setup.family, data=data)
    assert error.value.field == "agreements"
