"""Objections to sharing, and the one path that sends the plan to TAF members."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.plans import services
from earlyhelp.plans.models import PlanObjection

pytestmark = pytest.mark.django_db


def _object(world, plan, person, **kwargs):
    return services.record_objection(
        actor=world.practitioner,
        plan=plan,
        objected_by=person.pk,
        objected_on=kwargs.pop("objected_on", timezone.localdate()),
        **kwargs,
    )


def _share(world, plan, capture, **kwargs):
    with capture(execute=True):
        return services.share_plan_with_taf(actor=world.practitioner, plan=plan, **kwargs)


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # Table cells wrap, at spaces and after hyphens: compare with the wrapping undone.
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def test_an_objection_is_recorded_with_date_and_who(world, plan, setup):
    objection = _object(world, plan, setup.parent, objected_on=timezone.localdate() - timedelta(1))
    assert objection.objected_by == setup.parent and objection.recorded_by == world.practitioner
    assert objection.objected_on == timezone.localdate() - timedelta(1)
    assert objection.is_active
    entry = TimelineEntry.objects.get(title="Objection to sharing the plan recorded")
    assert (entry.kind, entry.object_id, entry.link_name) == ("plan", str(plan.pk), "plans:detail")
    assert AuditEvent.objects.filter(object_type="plan_objection", action="create").count() == 1


def test_an_objection_comes_from_a_family_member_not_in_the_future(world, plan, setup):
    from tests.plans.conftest import make_setup

    stranger = make_setup(world, last_name="Ashgrove").parent
    with pytest.raises(InvalidInput) as error:
        _object(world, plan, stranger)
    assert error.value.field == "objected_by"
    with pytest.raises(InvalidInput) as error:
        _object(world, plan, setup.parent, objected_on=timezone.localdate() + timedelta(1))
    assert error.value.field == "objected_on"
    _object(world, plan, setup.parent)
    with pytest.raises(Conflict):
        _object(world, plan, setup.parent)
    assert PlanObjection.objects.count() == 1


def test_an_objection_blocks_sharing_and_its_withdrawal_allows_it_again(
    world, plan, setup, mailoutbox, django_capture_on_commit_callbacks
):
    objection = _object(world, plan, setup.parent)
    with pytest.raises(Conflict, match="objected"):
        _share(world, plan, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        services.recipients_allowed(plan)
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="share").exists()

    services.withdraw_objection(actor=world.practitioner, objection=objection)
    objection.refresh_from_db()
    assert objection.withdrawn_on == timezone.localdate() and not objection.is_active
    assert objection.withdrawn_recorded_by == world.practitioner
    with pytest.raises(Conflict, match="already been withdrawn"):
        services.withdraw_objection(actor=world.practitioner, objection=objection)
    result = _share(world, plan, django_capture_on_commit_callbacks)
    assert len(result.sent_to) == 2 and len(mailoutbox) == 2


def test_any_standing_objection_blocks_sharing(
    world, plan, setup, django_capture_on_commit_callbacks
):
    first = _object(world, plan, setup.parent)
    _object(world, plan, setup.child)
    services.withdraw_objection(actor=world.practitioner, objection=first)
    with pytest.raises(Conflict):
        _share(world, plan, django_capture_on_commit_callbacks)


def test_sharing_emails_each_professional_the_pdf(
    world, plan, setup, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = "early.help@council.example.org"
    result = _share(world, plan, django_capture_on_commit_callbacks)
    assert result.version_number == 1
    assert set(result.sent_to) == {setup.teacher.pk, setup.nurse.pk}
    assert result.not_sent == 1  # the nursery nurse has no e-mail address
    assert sorted(m.to for m in mailoutbox) == [
        ["h.partridge@brookfield.example.org"],
        ["i.fenwick@health.example.org"],
    ]
    for message in mailoutbox:
        assert message.from_email == "early.help@council.example.org"
        assert setup.family.reference in message.subject
        # Names stay out of the e-mail itself: they are only in the attachment.
        assert "Quillfeather" not in message.body + message.subject
        ((name, content, mimetype),) = message.attachments
        assert mimetype == "application/pdf" and name.endswith("-v1.pdf")
        assert content.startswith(b"%PDF")
        text = _pdf_text(content)
        assert "Zoë is in school every day and on time." in text
        assert "Weekly attendance check-in" in text


def test_each_recipient_is_audited_without_names_or_addresses(
    world, plan, setup, django_capture_on_commit_callbacks
):
    _share(world, plan, django_capture_on_commit_callbacks)
    events = list(AuditEvent.objects.filter(action="share"))
    assert len(events) == 2
    assert {e.detail["recipient"] for e in events} == {str(setup.teacher.pk), str(setup.nurse.pk)}
    assert all(e.object_type == "plan_version" for e in events)
    dumped = json.dumps([e.detail for e in events]).lower()
    for secret in ("partridge", "fenwick", "example.org", "quillfeather", "brookfield"):
        assert secret not in dumped


def test_sharing_refuses_professionals_outside_the_current_taf(
    world, plan, setup, mailoutbox, django_capture_on_commit_callbacks
):
    from earlyhelp.partners.models import PartnerContact

    outsider = PartnerContact.objects.create(
        organisation=setup.school, name="Mr Lorcan Vale", email="l.vale@example.org"
    )
    for contacts in ([outsider.pk], [setup.teacher.pk, outsider.pk], [setup.worker.pk]):
        with pytest.raises(InvalidInput):
            _share(world, plan, django_capture_on_commit_callbacks, contacts=contacts)
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="share").exists()
    result = _share(world, plan, django_capture_on_commit_callbacks, contacts=[setup.nurse.pk])
    assert result.sent_to == [setup.nurse.pk]
    assert [m.to for m in mailoutbox] == [["i.fenwick@health.example.org"]]


def test_a_member_of_an_earlier_version_only_is_not_sent_the_plan(
    world, plan, setup, mailoutbox, django_capture_on_commit_callbacks
):
    """Members are per version: someone added after a review is not in the older one, and
    the plan always goes to the current version's TAF."""
    version = services.current_version(plan)
    services.record_review(
        actor=world.practitioner,
        plan=plan,
        data=services.ReviewInput(
            held_on=timezone.localdate(),
            summary="s",
            change_summary="c",
            progress=[
                services.ProgressInput(outcome=o.pk, rating="on_track")
                for o in version.outcomes.all()
            ],
        ),
    )
    current = services.current_version(plan)
    current.members.filter(contact=setup.nurse).delete()
    with pytest.raises(InvalidInput):
        _share(world, plan, django_capture_on_commit_callbacks, contacts=[setup.nurse.pk])
    result = _share(world, plan, django_capture_on_commit_callbacks)
    assert result.sent_to == [setup.teacher.pk] and result.version_number == 2


def test_nothing_to_send_without_professionals(world, setup, django_capture_on_commit_callbacks):
    plan = services.create_plan(actor=world.practitioner, family=setup.family)
    with pytest.raises(Conflict, match="no one to send"):
        _share(world, plan, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("role", ["practitioner_south", "duty", "dpo", "partner"])
def test_only_people_working_on_the_episode_share_or_record_objections(
    world, plan, setup, role, mailoutbox, django_capture_on_commit_callbacks
):
    user = getattr(world, role)
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        services.share_plan_with_taf(actor=user, plan=plan)
    with pytest.raises(PermissionDenied):
        services.record_objection(
            actor=user, plan=plan, objected_by=setup.parent.pk, objected_on=timezone.localdate()
        )
    assert mailoutbox == []
