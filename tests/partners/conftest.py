"""Directory fixtures: an editor-made school with a contact."""

from __future__ import annotations

import pytest

from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.partners.services import (
    ContactInput,
    OrganisationInput,
    add_contact,
    create_organisation,
)


def make_school(world, name: str = "Brookfield Primary School", urn: str = "123456"):  # type: ignore[no-untyped-def]
    return create_organisation(
        actor=world.admin,
        data=OrganisationInput(name=name, kind="school", urn=urn, email="office@example.org"),
    )


@pytest.fixture
def school(world) -> Organisation:  # type: ignore[no-untyped-def]
    return make_school(world)


@pytest.fixture
def teacher(world, school) -> PartnerContact:  # type: ignore[no-untyped-def]
    return add_contact(
        actor=world.admin,
        organisation=school,
        data=ContactInput(
            name="Hollis Partridge",
            job_title="Designated safeguarding lead",
            email="h.partridge@example.org",
        ),
    )
