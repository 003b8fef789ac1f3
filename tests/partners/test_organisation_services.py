"""create_organisation / update_organisation: the format rules, uniqueness, deactivation."""

from __future__ import annotations

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import InvalidInput, PermissionDenied
from earlyhelp.partners.models import Organisation
from earlyhelp.partners.services import (
    OrganisationInput,
    create_organisation,
    update_organisation,
)
from tests.partners.conftest import make_school

pytestmark = pytest.mark.django_db


def _input(**overrides) -> OrganisationInput:  # type: ignore[no-untyped-def]
    values = {"name": "Oakfield Academy", "kind": "school", "urn": "138001"}
    values.update(overrides)
    return OrganisationInput(**values)  # type: ignore[arg-type]


def _refused(world, field: str, message: str, **overrides) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        create_organisation(actor=world.admin, data=_input(**overrides))
    assert caught.value.field == field
    assert message in caught.value.message


def test_an_admin_adds_a_school_and_the_write_is_audited(world):
    school = create_organisation(
        actor=world.admin, data=_input(name="  Oakfield   Academy ", urn=" 138 001 ")
    )
    assert (school.name, school.urn, school.active) == ("Oakfield Academy", "138001", True)
    event = AuditEvent.objects.get(object_type="organisation", action="create")
    assert event.object_id == str(school.pk) and event.detail == {"kind": "school"}
    assert event.actor_id == world.admin.pk


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_admins_and_team_managers_may_edit(world, role):
    assert create_organisation(actor=getattr(world, role), data=_input()).pk


@pytest.mark.parametrize("role", ["practitioner", "duty", "dpo", "analyst", "partner"])
def test_other_roles_may_not(world, role):
    with pytest.raises(PermissionDenied):
        create_organisation(actor=getattr(world, role), data=_input())
    assert not Organisation.objects.exists()


def test_a_school_needs_a_six_digit_urn(world):
    _refused(world, "urn", "Enter the school's URN", urn="")
    _refused(world, "urn", "6 digits", urn="12345")
    _refused(world, "urn", "6 digits", urn="12345X")


def test_a_urn_is_unique(world):
    make_school(world, urn="138001")
    _refused(world, "urn", "already in the directory", name="Another school", urn="138001")


def test_only_schools_and_early_years_settings_have_a_urn(world):
    _refused(world, "urn", "only schools and early years settings", kind="police", urn="138001")
    setting = create_organisation(
        actor=world.admin, data=_input(kind="early_years_setting", urn="100123")
    )
    assert setting.urn == "100123"
    nursery = create_organisation(
        actor=world.admin, data=_input(name="Little Acorns", kind="early_years_setting", urn="")
    )
    assert nursery.urn == ""


def test_a_gp_practice_ods_code_is_a_letter_and_five_digits_when_given(world):
    gp = dict(kind="gp_practice", urn="", name="Riverside Surgery")
    _refused(world, "ods_code", "a letter then 5 digits", ods_code="A8100", **gp)
    _refused(world, "ods_code", "a letter then 5 digits", ods_code="RX1", **gp)
    assert create_organisation(
        actor=world.admin, data=_input(ods_code="a81001", **gp)
    ).ods_code == ("A81001")
    no_code = create_organisation(actor=world.admin, data=_input(**{**gp, "name": "Hillside"}))
    assert no_code.ods_code == ""


def test_other_health_services_take_any_ods_shape(world):
    trust = create_organisation(
        actor=world.admin,
        data=_input(kind="health_visiting", urn="", name="Health visiting", ods_code="rx1"),
    )
    assert trust.ods_code == "RX1"
    _refused(world, "ods_code", "3 to 10 letters", kind="housing", urn="", ods_code="R-1")


def test_the_email_must_be_well_formed(world):
    _refused(world, "email", "correct format", email="office@")
    assert create_organisation(
        actor=world.admin, data=_input(email=" office@example.org ")
    ).email == ("office@example.org")


def test_name_and_kind_are_required(world):
    _refused(world, "name", "Enter the organisation's name", name="   ")
    _refused(world, "kind", "Choose what kind", kind="bakery")


def test_update_records_only_the_fields_that_changed(world, school):
    update_organisation(
        actor=world.manager,
        organisation=school,
        data=_input(name="Brookfield Primary", urn="123456", email="office@example.org"),
    )
    school.refresh_from_db()
    assert school.name == "Brookfield Primary"
    event = AuditEvent.objects.filter(object_type="organisation", action="update").get()
    assert event.detail == {"fields": ["name"]}


def test_an_unchanged_update_writes_nothing(world, school):
    before = AuditEvent.objects.count()
    update_organisation(
        actor=world.admin,
        organisation=school,
        data=_input(name=school.name, urn=school.urn, email=school.email),
    )
    assert AuditEvent.objects.count() == before


def test_deactivating_keeps_the_organisation(world, school):
    update_organisation(
        actor=world.admin,
        organisation=school,
        data=_input(name=school.name, urn=school.urn, email=school.email, active=False),
    )
    school.refresh_from_db()
    assert school.active is False and Organisation.objects.filter(pk=school.pk).exists()


def test_an_update_may_keep_its_own_urn_but_not_take_anothers(world, school):
    other = make_school(world, name="Oakfield", urn="654321")
    with pytest.raises(InvalidInput) as caught:
        update_organisation(actor=world.admin, organisation=other, data=_input(urn="123456"))
    assert caught.value.field == "urn"
    other.refresh_from_db()
    assert other.urn == "654321"
