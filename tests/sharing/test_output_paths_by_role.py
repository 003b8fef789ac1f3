"""Every role on every output path, with the family's agreement in place.

The policy matrix (test_policy_matrix.py) covers agreement state x gateway x path; this
covers who may drive each path at all: only the team working on the family sends the plan
to the TAF and prepares packages, only a manager of the team who did not prepare it approves,
and only the partner named by the plan reads it through partner access.
"""

from __future__ import annotations

import pytest

from earlyhelp.core.errors import DomainError
from earlyhelp.plans import services as plan_services
from earlyhelp.sharing.models import DisclosureLogEntry, PackageStatus
from earlyhelp.sharing.packages.services import (
    PackageInput,
    approve_package,
    create_package,
    submit_package,
)
from earlyhelp.sharing.partner.access import partner_family
from tests.factories import MATRIX_ROLES

pytestmark = pytest.mark.django_db

WORKS_ON_FAMILY = {"practitioner", "manager"}


def _package_input(setup, plan) -> PackageInput:
    version = plan_services.current_version(plan)
    return PackageInput(
        recipient_organisation=setup.school.pk,
        purpose="The school's part in the plan",
        items=[{"type": "plan_version", "id": str(version.pk)}],
        people=[setup.parent.pk, setup.child.pk],
    )


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_sending_the_plan_to_the_taf(world, setup, plan, role, django_capture_on_commit_callbacks):
    actor = getattr(world, role)
    if role in WORKS_ON_FAMILY:
        with django_capture_on_commit_callbacks(execute=True):
            result = plan_services.share_plan_with_taf(actor=actor, plan=plan)
        assert set(result.sent_to) == {setup.teacher.pk, setup.nurse.pk}
        assert DisclosureLogEntry.objects.filter(disclosed_by=actor).count() == 4
    else:
        with pytest.raises(DomainError):
            plan_services.share_plan_with_taf(actor=actor, plan=plan)
        assert not DisclosureLogEntry.objects.exists()


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_preparing_a_disclosure_package(world, setup, plan, role):
    actor = getattr(world, role)
    if role in WORKS_ON_FAMILY:
        package = create_package(actor=actor, family=setup.family, data=_package_input(setup, plan))
        assert package.status == PackageStatus.DRAFT
    else:
        with pytest.raises(DomainError):
            create_package(actor=actor, family=setup.family, data=_package_input(setup, plan))


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_approving_a_disclosure_package(world, setup, plan, role):
    package = create_package(
        actor=world.practitioner, family=setup.family, data=_package_input(setup, plan)
    )
    submit_package(actor=world.practitioner, package=package)
    actor = getattr(world, role)
    if role == "manager":  # of the family's team, and not the person who prepared it
        outcome = approve_package(actor=actor, package=package)
        assert outcome.done and outcome.package.status == PackageStatus.APPROVED
    else:
        with pytest.raises(DomainError):
            approve_package(actor=actor, package=package)
        package.refresh_from_db()
        assert package.status == PackageStatus.AWAITING_APPROVAL


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_reading_through_partner_access(world, setup, plan, role):
    setup.teacher.user = world.partner
    setup.teacher.save(update_fields=["user"])
    actor = getattr(world, role)
    if role == "partner":
        shown = partner_family(actor, setup.family.pk)
        assert shown is not None
        assert DisclosureLogEntry.objects.filter(channel="partner_read").exists()
    else:
        with pytest.raises(DomainError):
            partner_family(actor, setup.family.pk)
        assert not DisclosureLogEntry.objects.exists()
