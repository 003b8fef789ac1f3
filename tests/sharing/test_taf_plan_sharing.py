"""The plan sent to the TAF goes through sharing.policy: agreement per organisation, logged."""

from __future__ import annotations

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import Conflict, InvalidInput
from earlyhelp.plans import services
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.models import Agreement, DisclosureLogEntry
from tests.factories import agree_to_share

pytestmark = pytest.mark.django_db


def _share(world, plan, capture, **kwargs):
    with capture(execute=True):
        return services.share_plan_with_taf(actor=world.practitioner, plan=plan, **kwargs)


def test_without_any_agreement_the_plan_goes_to_no_one(
    world, setup, bare_plan, mailoutbox, django_capture_on_commit_callbacks
):
    recipients = services.recipients_allowed(bare_plan)
    assert recipients.members == []
    assert {m.contact_id for m in recipients.without_agreement} == {
        setup.teacher.pk,
        setup.nurse.pk,
    }
    with pytest.raises(Conflict, match="agreed"):
        _share(world, bare_plan, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidInput, match="not agreed") as error:
        _share(world, bare_plan, django_capture_on_commit_callbacks, contacts=[setup.teacher.pk])
    assert error.value.field == "recipients.0"
    assert mailoutbox == [] and not DisclosureLogEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="share").exists()


def test_every_person_the_plan_names_must_have_agreed(
    world, setup, bare_plan, mailoutbox, django_capture_on_commit_callbacks
):
    # The parent agrees for herself only: Zoë is named by the plan too.
    agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    assert services.recipients_allowed(bare_plan).members == []
    agree_to_share(
        world.practitioner,
        setup.family,
        setup.child,
        organisation=setup.school,
        given_by=setup.parent,
    )
    result = _share(world, bare_plan, django_capture_on_commit_callbacks)
    assert result.sent_to == [setup.teacher.pk]
    assert [m.to for m in mailoutbox] == [["h.partridge@brookfield.example.org"]]


def test_each_release_is_in_the_disclosure_log_of_each_person_named(
    world, setup, plan, django_capture_on_commit_callbacks
):
    _share(world, plan, django_capture_on_commit_callbacks, contacts=[setup.teacher.pk])
    entries = DisclosureLogEntry.objects.order_by("person__first_name")
    assert [e.person for e in entries] == [setup.parent, setup.child]
    for entry in entries:
        assert entry.channel == "taf_email" and entry.scopes == ["plan"]
        assert entry.recipient_organisation == setup.school
        assert entry.recipient_contact == setup.teacher
        assert entry.disclosed_by == world.practitioner
        assert entry.agreement is not None and entry.agreement.person == entry.person
        assert entry.what == "Family plan, version 1"
    # Wystan is not in the plan, so nothing of his went.
    assert not DisclosureLogEntry.objects.filter(person=setup.excluded).exists()
    checks = AuditEvent.objects.filter(object_type="sharing_check")
    assert [c.detail["verdict"] for c in checks] == ["allowed"]


def test_after_withdrawal_the_organisation_gets_nothing_new(
    world, setup, plan, mailoutbox, django_capture_on_commit_callbacks
):
    for agreement in Agreement.objects.filter(recipient_organisation=setup.school):
        withdraw_agreement(
            actor=world.practitioner,
            agreement=agreement,
            withdrawn_on=timezone.localdate(),
            withdrawn_by=setup.parent.pk,
        )
    result = _share(world, plan, django_capture_on_commit_callbacks)
    assert result.sent_to == [setup.nurse.pk]  # health visiting's agreement stands
    with pytest.raises(InvalidInput):
        _share(world, plan, django_capture_on_commit_callbacks, contacts=[setup.teacher.pk])
    assert [m.to for m in mailoutbox] == [["i.fenwick@health.example.org"]]
