"""sharing.agreements: who may give an agreement, what it must say, and its withdrawal."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core import files
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.sharing.agreements import AgreementInput, record_agreement, withdraw_agreement
from earlyhelp.sharing.models import Agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _input(setup, **overrides) -> AgreementInput:
    values = {
        "person": setup.parent.pk,
        "given_by": setup.parent.pk,
        "kind": "share",
        "recipient_organisation": setup.school.pk,
        "scopes": ["plan", "education"],
        "purpose": "Support with attendance through the Team Around the Family",
        "method": "verbal",
        "given_on": timezone.localdate(),
    }
    return AgreementInput(**(values | overrides))


def _record(world, setup, **overrides):
    return record_agreement(
        actor=world.practitioner, family=setup.family, data=_input(setup, **overrides)
    )


def test_an_adult_agrees_for_herself_and_it_is_audited_and_on_the_timeline(world, setup):
    agreement = _record(world, setup)
    assert agreement.is_active and agreement.given_by == setup.parent
    assert agreement.scopes == ["plan", "education"]
    assert agreement.recipient_label == "Brookfield Primary School"
    event = AuditEvent.objects.get(object_type="agreement", action="create")
    assert event.object_id == str(agreement.pk) and "Marigold" not in str(event.detail)
    entry = TimelineEntry.objects.get(object_id=str(agreement.pk))
    assert entry.kind == "sharing" and entry.link_name == "sharing:agreement"


def test_a_parent_agrees_for_a_young_child_and_a_competent_child_for_themself(world, setup):
    by_parent = _record(world, setup, person=setup.child.pk)
    assert by_parent.given_by == setup.parent
    with pytest.raises(InvalidInput) as error:
        _record(world, setup, person=setup.child.pk, given_by=setup.child.pk)
    assert error.value.field == "given_by"
    competent = _record(
        world, setup, person=setup.child.pk, given_by=setup.child.pk, child_competent=True
    )
    assert competent.given_by == setup.child


def test_an_adult_is_not_agreed_for_by_someone_else_nor_a_child_by_a_non_parent(world, setup):
    with pytest.raises(InvalidInput) as error:
        _record(world, setup, person=setup.parent.pk, given_by=setup.excluded.pk)
    assert error.value.field == "given_by"
    with pytest.raises(InvalidInput) as error:
        # Wystan is a household member, not a parent or carer.
        _record(world, setup, person=setup.child.pk, given_by=setup.excluded.pk)
    assert error.value.field == "given_by"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"recipient_organisation": None}, "recipient_organisation"),
        ({"recipient_kind": "school"}, "recipient_organisation"),  # both given
        ({"purpose": "  "}, "purpose"),
        ({"method": "telepathy"}, "method"),
        ({"method": "signed_form"}, "signed_form"),
        ({"given_on": None}, "given_on"),
        ({"given_on": date.today() + timedelta(days=2)}, "given_on"),
        ({"person": None}, "person"),
    ],
)
def test_an_incomplete_agreement_is_refused_with_the_field(world, setup, overrides, field):
    with pytest.raises(InvalidInput) as error:
        _record(world, setup, **overrides)
    assert error.value.field == field
    assert not Agreement.objects.exists()


def test_someone_from_another_family_cannot_agree(world, setup):
    from tests.plans.conftest import make_setup

    other = make_setup(world, last_name="Ashgrove")
    with pytest.raises(InvalidInput) as error:
        _record(world, setup, person=other.parent.pk, given_by=other.parent.pk)
    assert error.value.field == "person"


def test_an_agreement_to_receive_support_needs_no_recipient(world, setup):
    agreement = _record(
        world, setup, kind="receive_support", recipient_organisation=None, scopes=[], purpose=""
    )
    assert agreement.kind == "receive_support" and agreement.scopes == []


def test_a_kind_of_organisation_can_be_the_recipient(world, setup):
    agreement = _record(world, setup, recipient_organisation=None, recipient_kind="gp_practice")
    assert agreement.recipient_label == "Any gp practice"


def test_a_signed_form_is_stored_privately(world, setup):
    agreement = record_agreement(
        actor=world.practitioner,
        family=setup.family,
        data=_input(setup, method="signed_form"),
        signed_form=io.BytesIO(PDF),
        signed_form_name="signed-agreement.pdf",
    )
    assert agreement.signed_form_type == "application/pdf"
    assert files.path_of(agreement.signed_form).read_bytes() == PDF


def test_only_the_team_working_on_the_open_case_records_agreements(world, setup):
    for user in (world.practitioner_south, world.duty, world.dpo, world.admin, world.partner):
        with pytest.raises(PermissionDenied):
            record_agreement(actor=user, family=setup.family, data=_input(setup))
    world.close(setup.episode)
    with pytest.raises(PermissionDenied):
        _record(world, setup)


def test_withdrawal_records_date_and_who_and_happens_once(world, setup):
    agreement = _record(world, setup, given_on=timezone.localdate() - timedelta(days=3))
    with pytest.raises(InvalidInput) as error:
        withdraw_agreement(
            actor=world.practitioner,
            agreement=agreement,
            withdrawn_on=timezone.localdate() - timedelta(days=4),
            withdrawn_by=setup.parent.pk,
        )
    assert error.value.field == "withdrawn_on"
    withdrawn = withdraw_agreement(
        actor=world.practitioner,
        agreement=agreement,
        withdrawn_on=timezone.localdate(),
        withdrawn_by=setup.parent.pk,
        note="Mum no longer wants the school to see the plan.",
    )
    assert not withdrawn.is_active and withdrawn.withdrawn_by == setup.parent
    assert withdrawn.withdrawal_recorded_by == world.practitioner
    assert TimelineEntry.objects.filter(title="Agreement withdrawn").count() == 1
    with pytest.raises(Conflict):
        withdraw_agreement(
            actor=world.practitioner,
            agreement=withdrawn,
            withdrawn_on=timezone.localdate(),
            withdrawn_by=setup.parent.pk,
        )
