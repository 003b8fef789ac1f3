"""sharing.selectors: the family gatekeeper first, audited reads, fixed queries, scoped lists."""

from __future__ import annotations

import pytest
from django.utils import timezone

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.core.errors import NotFound
from earlyhelp.sharing import selectors
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.decisions import authorise_decision
from tests.factories import agree_to_share
from tests.plans.conftest import make_setup
from tests.sharing.test_decision_pages import make_overdue, record_gateway_decision

pytestmark = pytest.mark.django_db


def test_reading_an_agreement_is_audited_without_personal_data(world, setup):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    found = selectors.get_agreement_for_user(world.practitioner, setup.family.pk, agreement.pk)
    assert found == agreement and found.family == setup.family
    event = AuditEvent.objects.filter(action=Action.VIEW).last()
    assert (event.object_type, event.object_id) == ("agreement", str(agreement.pk))
    assert "Marigold" not in str(event.detail) and "Brookfield" not in str(event.detail)


def test_the_gatekeeper_comes_first(world, setup):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    decision = record_gateway_decision(world, setup)
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    for read, args in (
        (selectors.get_agreement_for_user, (setup.family.pk, agreement.pk)),
        (selectors.get_decision_for_user, (setup.family.pk, decision.pk)),
        (selectors.family_agreements, (setup.family.pk,)),
        (selectors.family_decisions, (setup.family.pk,)),
        (selectors.disclosure_log, (setup.family.pk,)),
    ):
        with pytest.raises(NotFound):
            read(world.practitioner_south, *args)
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before


def test_records_are_found_only_under_their_own_family(world, setup):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    decision = record_gateway_decision(world, setup)
    other, _ = world.open_family(last_name="Ashgrove")
    with pytest.raises(NotFound):
        selectors.get_agreement_for_user(world.practitioner, other.pk, agreement.pk)
    with pytest.raises(NotFound):
        selectors.get_decision_for_user(world.practitioner, other.pk, decision.pk)
    with pytest.raises(NotFound):
        selectors.disclosure_log(world.practitioner, other.pk, setup.parent.pk)


def test_the_signed_form_read_needs_a_form_and_is_audited_as_a_download(world, setup):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    with pytest.raises(NotFound):
        selectors.signed_form_for_user(world.practitioner, setup.family.pk, agreement.pk)
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()


def test_agreements_at_a_glance_in_two_queries(world, setup, django_assert_num_queries):
    for kind in ("school", "health_visiting", "gp_practice", "housing", "police", "other"):
        agree_to_share(world.practitioner, setup.family, setup.parent, kind=kind)
    withdrawn = agree_to_share(world.practitioner, setup.family, setup.excluded, kind="school")
    withdraw_agreement(
        actor=world.practitioner,
        agreement=withdrawn,
        withdrawn_on=timezone.localdate(),
        withdrawn_by=setup.excluded.pk,
    )
    with django_assert_num_queries(2):
        glance = selectors.agreements_at_a_glance(setup.family)
        labels = [(a.person.first_name, a.recipient_label) for a in glance.current]
    assert len(labels) == selectors.GLANCE and glance.more == 1
    assert (glance.current_count, glance.withdrawn_count) == (6, 1)
    assert all(first == "Marigold" for first, _ in labels)


def test_agreements_at_a_glance_of_a_family_without_any(world, setup, django_assert_num_queries):
    with django_assert_num_queries(1):
        glance = selectors.agreements_at_a_glance(setup.family)
    assert (glance.current, glance.current_count, glance.withdrawn_count) == ([], 0, 0)


def test_the_family_agreements_list_current_first(world, setup):
    first = agree_to_share(world.practitioner, setup.family, setup.parent, kind="school")
    withdraw_agreement(
        actor=world.practitioner,
        agreement=first,
        withdrawn_on=timezone.localdate(),
        withdrawn_by=setup.parent.pk,
    )
    second = agree_to_share(world.practitioner, setup.family, setup.parent, kind="housing")
    found = selectors.family_agreements(world.practitioner, setup.family.pk)
    assert list(found.agreements) == [second, first] and found.can_record


def test_overdue_lists_are_scoped(world, setup):
    late = record_gateway_decision(world, setup, emergency=True)
    make_overdue(late)
    south = make_setup(world, team=world.south, last_name="Birchwood")
    late_south = record_gateway_decision(
        world, south, actor=world.practitioner_south, emergency=True
    )
    make_overdue(late_south)
    record_gateway_decision(world, setup, emergency=True)  # released, not yet due
    assert list(selectors.overdue_authorisations(world.manager)) == [late]
    assert list(selectors.overdue_authorisations(world.manager_south)) == [late_south]
    assert set(selectors.overdue_authorisations(world.dpo)) == {late, late_south}
    assert list(selectors.overdue_authorisations(world.practitioner)) == []
    assert selectors.sees_every_team(world.dpo) and not selectors.sees_every_team(world.manager)
    assert selectors.can_see_authorisation_lists(world.manager)
    assert not selectors.can_see_authorisation_lists(world.practitioner)


def test_may_authorise_is_four_eyes_and_pending_only(world, setup):
    decision = record_gateway_decision(world, setup)
    decision = selectors.get_decision_for_user(world.manager, setup.family.pk, decision.pk)
    assert selectors.may_authorise(world.manager, decision)
    assert not selectors.may_authorise(world.practitioner, decision)
    own = record_gateway_decision(world, setup, actor=world.manager)
    own = selectors.get_decision_for_user(world.manager, setup.family.pk, own.pk)
    assert not selectors.may_authorise(world.manager, own)
    authorise_decision(actor=world.manager, decision=decision, authorise=True)
    decision = selectors.get_decision_for_user(world.manager, setup.family.pk, decision.pk)
    assert not selectors.may_authorise(world.manager, decision)
