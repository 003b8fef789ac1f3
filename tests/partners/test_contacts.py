"""add_contact / update_contact, and the selectors other apps' plan forms use."""

from __future__ import annotations

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import InvalidInput, PermissionDenied
from earlyhelp.partners.selectors import active_contacts, contact_choices
from earlyhelp.partners.services import (
    ContactInput,
    OrganisationInput,
    add_contact,
    update_contact,
    update_organisation,
)

pytestmark = pytest.mark.django_db


def test_a_contact_is_added_and_audited_without_their_name(world, school):
    contact = add_contact(
        actor=world.manager,
        organisation=school,
        data=ContactInput(
            name=" Ellis  Thornbury ", job_title="Head of year", phone="01632 960555"
        ),
    )
    assert contact.name == "Ellis Thornbury" and contact.organisation == school
    event = AuditEvent.objects.get(object_type="partner_contact", action="create")
    assert event.object_id == str(contact.pk)
    assert "thornbury" not in str(event.detail).lower()


def test_a_contact_needs_a_name_and_a_good_email(world, school):
    with pytest.raises(InvalidInput) as caught:
        add_contact(actor=world.admin, organisation=school, data=ContactInput(name=""))
    assert caught.value.field == "name"
    with pytest.raises(InvalidInput) as caught:
        add_contact(
            actor=world.admin,
            organisation=school,
            data=ContactInput(name="A", email="not-an-email"),
        )
    assert caught.value.field == "email"


def test_practitioners_cannot_change_contacts(world, school, teacher):
    with pytest.raises(PermissionDenied):
        add_contact(actor=world.practitioner, organisation=school, data=ContactInput(name="X"))
    with pytest.raises(PermissionDenied):
        update_contact(actor=world.practitioner, contact=teacher, data=ContactInput(name="X"))


def test_the_choices_name_active_contacts_with_job_and_organisation(world, school, teacher):
    add_contact(actor=world.admin, organisation=school, data=ContactInput(name="Ari Brook"))
    assert contact_choices() == [
        (str(active_contacts().get(name="Ari Brook").pk), "Ari Brook, Brookfield Primary School"),
        (
            str(teacher.pk),
            "Hollis Partridge, Designated safeguarding lead, Brookfield Primary School",
        ),
    ]


def test_a_deactivated_contact_or_organisation_leaves_the_choices(world, school, teacher):
    update_contact(
        actor=world.admin,
        contact=teacher,
        data=ContactInput(name=teacher.name, job_title=teacher.job_title, active=False),
    )
    assert contact_choices() == []
    teacher.refresh_from_db()
    assert teacher.active is False
    update_contact(actor=world.admin, contact=teacher, data=ContactInput(name=teacher.name))
    assert len(contact_choices()) == 1
    update_organisation(
        actor=world.admin,
        organisation=school,
        data=OrganisationInput(name=school.name, kind="school", urn=school.urn, active=False),
    )
    assert contact_choices() == []


def test_active_contacts_costs_one_query_however_many(
    world, school, teacher, django_assert_num_queries
):
    for n in range(4):
        add_contact(actor=world.admin, organisation=school, data=ContactInput(name=f"Person {n}"))
    with django_assert_num_queries(1):
        labels = [c.organisation.name for c in active_contacts()]
    assert len(labels) == 5
