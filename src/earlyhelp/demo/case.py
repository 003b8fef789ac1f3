"""One accepted family as the demo's case-work modules see it: who is in it, who works with it,
what its story is and the records made so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from earlyhelp.accounts.models import User
from earlyhelp.casework.models import Episode
from earlyhelp.demo.partners import Directory
from earlyhelp.demo.stories import Dates, Story
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.people.models import Family, FamilyRole, Person
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.referrals.models import Referral

CHILD_ROLES = {FamilyRole.CHILD, FamilyRole.SIBLING}


def age_on(person: Person, day: date) -> float:
    if person.date_of_birth is None:
        return 0.0
    return (day - person.date_of_birth).days / 365.25


@dataclass
class Case:
    index: int
    family: Family
    episode: Episode
    referral: Referral
    lead: User
    # Who writes the assessment (a practitioner of the team) and who authorises it.
    author: User
    manager: User
    story: Story
    dates: Dates
    parents: list[Person]
    children: list[Person]  # born children and siblings, oldest first
    members: list[Person]  # everyone, the unborn included
    school: Organisation
    school_lead: PartnerContact
    needs: dict[str, list[Person]] = field(default_factory=dict)
    taf: list[PartnerContact] = field(default_factory=list)
    plan: FamilyPlan | None = None

    def children_aged(self, low: float, high: float, day: date | None = None) -> list[Person]:
        on = day or self.dates.end
        return [c for c in self.children if low <= age_on(c, on) < high]

    @property
    def parent(self) -> Person:
        return self.parents[0]

    @property
    def talking_child(self) -> Person | None:
        """The oldest child old enough to say something in their own words at the start."""
        talking = self.children_aged(4, 18, self.dates.opened)
        return talking[0] if talking else None

    def words(self, rng: random.Random) -> dict[str, str]:
        """First names for the texts' placeholders."""
        child = self.talking_child or (self.children[-1] if self.children else None)
        return {
            "child": child.first_name if child else "the baby",
            "parent": self.parent.first_name,
            "school": self.school.name,
            "professional": self.school_lead.name,
        }


def family_people(family: Family) -> tuple[list[Person], list[Person], list[Person]]:
    """(parents, born children, everyone) in a stable order: roles, then oldest first."""
    memberships = list(family.memberships.select_related("person"))

    def key(person: Person) -> tuple[date, str, str]:
        return (person.date_of_birth or date.max, person.first_name, person.last_name)

    parents = sorted(
        (m.person for m in memberships if m.role == FamilyRole.PARENT_OR_CARER), key=key
    )
    children = sorted(
        (m.person for m in memberships if m.role in CHILD_ROLES and not m.person.unborn),
        key=key,
    )
    everyone = sorted((m.person for m in memberships), key=key)
    return parents, children, everyone


def pick_school(rng: random.Random, directory: Directory) -> tuple[Organisation, PartnerContact]:
    schools = [o for o in directory.organisations.values() if o.kind == "school"]
    school = rng.choice(schools)
    lead = next(
        c for c in directory.by_kind["school"] if c.organisation_id == school.pk and c.active
    )
    return school, lead
