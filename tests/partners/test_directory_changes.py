"""partners.services: a change to where shared information goes, for an organisation that
families' agreements or TAFs use, waits for a second person (issue 12, item 2; decision 0014).
"""

from __future__ import annotations

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import Conflict, PermissionDenied
from earlyhelp.partners import services
from earlyhelp.partners.models import ChangeStatus, DirectoryChange, DirectoryNotice, Organisation
from earlyhelp.partners.services import ContactInput, OrganisationInput
from earlyhelp.partners.usage import families_using, registered_uses
from earlyhelp.plans import services as plan_services
from tests.factories import make_user
from tests.plans.conftest import Setup, agree_to_taf_sharing, make_setup, start_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world) -> Setup:
    return make_setup(world)


@pytest.fixture
def plan(world, setup):
    """A plan whose TAF names the teacher and the nurse, with the family's agreement."""
    started = start_plan(world, setup)
    agree_to_taf_sharing(world, setup)
    return started


NEW = "inbox@elsewhere.example.net"


def _contact_input(contact, **change):
    return ContactInput(**{**{f: getattr(contact, f) for f in services.CONTACT_FIELDS}, **change})


def _org_input(organisation, **change):
    current = {f: getattr(organisation, f) for f in services.ORGANISATION_FIELDS}
    return OrganisationInput(**{**current, **change})


def _share(world, plan, capture):
    with capture(execute=True):
        return plan_services.share_plan_with_taf(actor=world.practitioner, plan=plan)


def test_the_sharing_and_plans_apps_declare_their_use_of_the_directory():
    assert registered_uses() == ["plans.taf", "sharing.agreements"]


def test_a_new_address_for_a_taf_professional_waits_for_a_second_person(
    world, setup, plan, mailoutbox, django_capture_on_commit_callbacks
):
    teacher = setup.teacher
    old = teacher.email
    edit = services.edit_contact(
        actor=world.admin, contact=teacher, data=_contact_input(teacher, email=NEW, phone="0123")
    )

    teacher.refresh_from_db()
    assert edit.pending is not None and edit.pending.is_pending
    assert edit.pending.proposed == {"email": NEW} and edit.pending.previous == {"email": old}
    assert teacher.email == old and teacher.phone == "0123"  # the rest applies at once
    _share(world, plan, django_capture_on_commit_callbacks)
    assert NEW not in {to for m in mailoutbox for to in m.to}
    assert not DirectoryNotice.objects.exists()

    second = make_user(Role.ADMIN, username="second_admin")
    services.approve_directory_change(actor=second, change_id=edit.pending.pk)

    teacher.refresh_from_db()
    assert teacher.email == NEW
    mailoutbox.clear()
    _share(world, plan, django_capture_on_commit_callbacks)
    assert NEW in {to for m in mailoutbox for to in m.to}
    notice = DirectoryNotice.objects.get()
    assert notice.family_id == setup.family.pk and notice.change_id == edit.pending.pk
    events = AuditEvent.objects.filter(object_type="directory_change").order_by("seq")
    assert [e.action for e in events] == ["create", "decision"]
    assert NEW not in str([e.detail for e in events]) and old not in str([e.detail for e in events])


def test_the_person_who_proposed_a_change_cannot_approve_it(world, setup, plan):
    edit = services.edit_contact(
        actor=world.admin, contact=setup.teacher, data=_contact_input(setup.teacher, email=NEW)
    )
    assert edit.pending is not None
    with pytest.raises(PermissionDenied, match="second person"):
        services.approve_directory_change(actor=world.admin, change_id=edit.pending.pk)
    setup.teacher.refresh_from_db()
    assert setup.teacher.email != NEW
    assert DirectoryChange.objects.get().status == ChangeStatus.PENDING


def test_a_change_of_kind_for_an_organisation_in_use_waits_too(world, setup, plan):
    clinic = setup.nurse.organisation
    edit = services.edit_organisation(
        actor=world.admin, organisation=clinic, data=_org_input(clinic, kind="police")
    )
    clinic.refresh_from_db()
    assert edit.pending is not None and clinic.kind == "health_visiting"
    services.approve_directory_change(actor=world.manager, change_id=edit.pending.pk)
    clinic.refresh_from_db()
    assert clinic.kind == "police" and clinic.kind_changed_at is not None


def test_an_organisation_no_family_uses_is_edited_at_once(world):
    police = Organisation.objects.create(name="Exampleton Police Early Help Team", kind="police")
    assert families_using(police) == set()
    edit = services.edit_organisation(
        actor=world.admin, organisation=police, data=_org_input(police, email=NEW)
    )
    police.refresh_from_db()
    assert edit.pending is None and police.email == NEW
    assert not DirectoryChange.objects.exists()


def test_a_named_agreement_alone_puts_an_organisation_in_use(world, setup):
    from tests.factories import agree_to_share

    assert families_using(setup.school) == set()
    agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    assert families_using(setup.school) == {setup.family.pk}


def test_a_change_overtaken_by_another_is_refused_and_can_be_rejected(world, setup, plan):
    first = services.edit_contact(
        actor=world.admin, contact=setup.teacher, data=_contact_input(setup.teacher, email=NEW)
    ).pending
    second = services.edit_contact(
        actor=world.admin,
        contact=setup.teacher,
        data=_contact_input(setup.teacher, email="other@elsewhere.example.net"),
    ).pending
    assert first is not None and second is not None
    services.approve_directory_change(actor=world.manager, change_id=second.pk)
    with pytest.raises(Conflict, match="changed since"):
        services.approve_directory_change(actor=world.manager, change_id=first.pk)
    services.reject_directory_change(actor=world.admin, change_id=first.pk)
    with pytest.raises(Conflict, match="already"):
        services.approve_directory_change(actor=world.manager, change_id=first.pk)


def test_only_directory_editors_approve(world, setup, plan):
    edit = services.edit_contact(
        actor=world.admin, contact=setup.teacher, data=_contact_input(setup.teacher, email=NEW)
    )
    assert edit.pending is not None
    with pytest.raises(PermissionDenied):
        services.approve_directory_change(actor=world.practitioner, change_id=edit.pending.pk)
