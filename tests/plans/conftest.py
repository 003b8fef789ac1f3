"""Plans test fixtures: a family with an open episode, partner professionals, a started plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.casework.models import Episode
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.people.models import Family, Person
from earlyhelp.plans import services
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.referrals.services import PersonInput
from tests.factories import World, agree_to_share

# Everyone is invented. Wystan is in the household but in no plan.
EXCLUDED = PersonInput(
    first_name="Wystan",
    last_name="Quillfeather",
    date_of_birth=date(1979, 1, 30),
    sex="male",
    role="other_household_member",
)


@dataclass
class Setup:
    family: Family
    episode: Episode
    child: Person
    parent: Person
    excluded: Person
    school: Organisation
    teacher: PartnerContact  # has an e-mail address
    nurse: PartnerContact  # has an e-mail address
    worker: PartnerContact  # no e-mail address

    def person(self, first_name: str) -> Person:
        return self.family.members.get(first_name=first_name)


def _contacts() -> tuple[Organisation, PartnerContact, PartnerContact, PartnerContact]:
    school = Organisation.objects.create(name="Brookfield Primary School", kind="school")
    clinic = Organisation.objects.create(name="Exampleton Health Visiting", kind="health_visiting")
    teacher = PartnerContact.objects.create(
        organisation=school,
        name="Ms Hollis Partridge",
        job_title="Designated safeguarding lead",
        email="h.partridge@brookfield.example.org",
    )
    nurse = PartnerContact.objects.create(
        organisation=clinic,
        name="Mr Idris Fenwick",
        job_title="Health visitor",
        email="i.fenwick@health.example.org",
    )
    worker = PartnerContact.objects.create(
        organisation=clinic, name="Ms Opal Strand", job_title="Nursery nurse"
    )
    return school, teacher, nurse, worker


def make_setup(world: World, **kwargs: Any) -> Setup:
    family, episode = world.open_family(extra_people=[EXCLUDED], **kwargs)
    school, teacher, nurse, worker = _contacts()
    members = {p.first_name: p for p in family.members.all()}
    return Setup(
        family=family,
        episode=episode,
        child=members["Zoë"],
        parent=members["Marigold"],
        excluded=members["Wystan"],
        school=school,
        teacher=teacher,
        nurse=nurse,
        worker=worker,
    )


@pytest.fixture
def setup(world: World) -> Setup:
    return make_setup(world)


def start_plan(world: World, s: Setup, actor: User | None = None) -> FamilyPlan:
    """A plan with two outcomes, an action for the parent and one for the school, and a
    TAF of the teacher, the nurse, the worker without e-mail and the parent."""
    actor = actor or world.practitioner
    plan = services.create_plan(
        actor=actor,
        family=s.family,
        outcomes=[
            services.OutcomeInput(
                headline_code="getting_a_good_education",
                description="Zoë is in school every day and on time.",
                measure="Attendance above 95% for a half term",
                people=[s.child.pk],
            ),
            services.OutcomeInput(
                headline_code="improved_family_relationships",
                description="Mornings are calm at home.",
                people=[s.parent.pk, s.child.pk],
            ),
        ],
    )
    version = services.current_version(plan)
    education, home = list(version.outcomes.order_by("position"))
    today = timezone.localdate()
    services.add_action(
        actor=actor,
        version=version,
        data=services.ActionInput(
            what="Set up a morning routine chart",
            due_on=today + timedelta(days=14),
            owner_person=s.parent.pk,
            outcome=home.pk,
        ),
    )
    services.add_action(
        actor=actor,
        version=version,
        data=services.ActionInput(
            what="Weekly attendance check-in",
            due_on=today + timedelta(days=28),
            owner_contact=s.teacher.pk,
            outcome=education.pk,
        ),
    )
    for contact in (s.teacher, s.nurse, s.worker):
        services.add_member(actor=actor, version=version, contact=contact.pk, role_in_plan="TAF")
    services.add_member(actor=actor, version=version, person=s.parent.pk, role_in_plan="Parent")
    plan.refresh_from_db()
    return plan


def agree_to_taf_sharing(world: World, s: Setup, actor: User | None = None) -> None:
    """The parent agrees, for herself and for Zoë, to the school and health visiting
    receiving the plan (the people the plan names)."""
    actor = actor or world.practitioner
    for person in (s.parent, s.child):
        agree_to_share(actor, s.family, person, organisation=s.school, given_by=s.parent)
        agree_to_share(actor, s.family, person, kind="health_visiting", given_by=s.parent)


@pytest.fixture
def plan(world: World, setup: Setup) -> FamilyPlan:
    """The started plan, with the family's agreement to share it with the TAF's
    organisations (start_plan alone gives a plan without agreement)."""
    started = start_plan(world, setup)
    agree_to_taf_sharing(world, setup)
    return started
