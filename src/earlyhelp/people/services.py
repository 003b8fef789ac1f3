"""Writes for people and families."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core import codelists
from earlyhelp.core.errors import InvalidInput
from earlyhelp.core.identifiers import (
    IdentifierError,
    normalise_nhs_number,
    normalise_nino,
    normalise_postcode,
    normalise_upn,
    normalise_uprn,
)
from earlyhelp.people.models import Address, Family, FamilyMembership, FamilyRole, Person, Sex


def _identifier(normalise, value: str, field: str) -> str:  # type: ignore[no-untyped-def]
    if not value:
        return ""
    try:
        return str(normalise(value))
    except IdentifierError as exc:
        raise InvalidInput(str(exc), field=field) from None


@transaction.atomic
def create_person(
    *,
    actor: User,
    first_name: str = "",
    last_name: str = "",
    known_as: str = "",
    date_of_birth: date | None = None,
    date_of_birth_estimated: bool = False,
    unborn: bool = False,
    sex: str = Sex.UNKNOWN,
    gender: str = "",
    ethnicity: str = "",
    nhs_number: str = "",
    upn: str = "",
    nino: str = "",
    address_line1: str = "",
    address_town: str = "",
    address_postcode: str = "",
    uprn: str = "",
    address_confidential: bool = False,
) -> Person:
    if not (first_name.strip() or last_name.strip() or unborn):
        raise InvalidInput("Enter the person's name.", field="first_name")
    if sex not in Sex.values:
        raise InvalidInput("Choose the person's sex.", field="sex")
    if ethnicity:
        codelists.validate_code("ethnicity", ethnicity, field="ethnicity")
    person = Person.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        known_as=known_as.strip(),
        date_of_birth=date_of_birth,
        date_of_birth_estimated=date_of_birth_estimated,
        unborn=unborn,
        sex=sex,
        gender=gender.strip(),
        ethnicity=ethnicity,
        nhs_number=_identifier(normalise_nhs_number, nhs_number, "nhs_number"),
        upn=_identifier(normalise_upn, upn, "upn"),
        nino=_identifier(normalise_nino, nino, "nino"),
    )
    if address_line1.strip():
        Address.objects.create(
            person=person,
            line1=address_line1.strip(),
            town=address_town.strip(),
            postcode=_identifier(normalise_postcode, address_postcode, "address.postcode"),
            uprn=_identifier(normalise_uprn, uprn, "address.uprn"),
            confidential=address_confidential,
        )
    record_event(actor=actor, action=Action.CREATE, object_type="person", object_id=person.pk)
    return person


@transaction.atomic
def create_family(*, actor: User) -> Family:
    family = Family.objects.create()
    record_event(actor=actor, action=Action.CREATE, object_type="family", object_id=family.pk)
    return family


@transaction.atomic
def add_to_family(*, actor: User, family: Family, person: Person, role: str) -> FamilyMembership:
    if role not in FamilyRole.values:
        raise InvalidInput("Choose the person's role in the family.", field="role")
    membership, created = FamilyMembership.objects.get_or_create(
        family=family, person=person, defaults={"role": role}
    )
    if created:
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="family",
            object_id=family.pk,
            detail={"change": "member_added", "role": role},
        )
    return membership


@transaction.atomic
def set_address_confidential(*, actor: User, address: Address, confidential: bool) -> Address:
    address.confidential = confidential
    address.save(update_fields=["confidential"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="address",
        object_id=address.pk,
        detail={"confidential": confidential},
    )
    return address
