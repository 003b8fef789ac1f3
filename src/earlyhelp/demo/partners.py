"""The demo's partner directory: invented schools, GP practices, health, police, housing and
voluntary organisations, each with a few professionals.

URNs and ODS codes are format-valid only and not claimed to exist; e-mail addresses are at
example.org and phone numbers in Ofcom's 01632 960xxx drama range.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from earlyhelp.accounts.models import User
from earlyhelp.partners.models import Organisation, OrganisationKind, PartnerContact
from earlyhelp.partners.services import (
    ContactInput,
    OrganisationInput,
    add_contact,
    create_organisation,
    update_contact,
)

Kind = OrganisationKind


@dataclass(frozen=True)
class _Person:
    name: str
    job_title: str
    # Someone who has left the role stays in the directory, deactivated.
    active: bool = True


@dataclass(frozen=True)
class _Organisation:
    name: str
    kind: str
    urn: str = ""
    ods_code: str = ""
    people: tuple[_Person, ...] = ()


DIRECTORY: tuple[_Organisation, ...] = (
    _Organisation(
        "Brookfield Primary School",
        Kind.SCHOOL,
        urn="990101",
        people=(
            _Person("Hollis Partridge", "Designated safeguarding lead"),
            _Person("Tamsin Wrenfield", "Special educational needs co-ordinator (SENCo)"),
            _Person("Arlo Peverell", "Attendance officer", active=False),
        ),
    ),
    _Organisation(
        "Larkspur Academy",
        Kind.SCHOOL,
        urn="990102",
        people=(
            _Person("Dewi Ambersley", "Designated safeguarding lead"),
            _Person("Maren Cottisford", "Head of year 9"),
        ),
    ),
    _Organisation(
        "Fictionford High School",
        Kind.SCHOOL,
        urn="990103",
        people=(
            _Person("Sunniva Kestrel", "Designated safeguarding lead"),
            _Person("Obadiah Lintwhite", "Inclusion manager"),
        ),
    ),
    _Organisation(
        "Mockington Church of England Primary School",
        Kind.SCHOOL,
        urn="990104",
        people=(_Person("Ottilie Brack", "Family support worker"),),
    ),
    _Organisation(
        "Little Acorns Nursery",
        Kind.EARLY_YEARS,
        urn="990201",
        people=(_Person("Petra Hollowell", "Nursery manager"),),
    ),
    _Organisation(
        "Exampleton Children's Centre",
        Kind.EARLY_YEARS,
        people=(
            _Person("Juno Marchbank", "Children's centre co-ordinator"),
            _Person("Ezra Quillon", "Early years practitioner"),
        ),
    ),
    _Organisation(
        "Riverside Surgery",
        Kind.GP_PRACTICE,
        ods_code="Y99001",
        people=(_Person("Dr Noor Castellane", "GP partner"),),
    ),
    _Organisation(
        "Samplebury Health Centre",
        Kind.GP_PRACTICE,
        ods_code="Y99002",
        people=(_Person("Dr Caspian Oduya", "Salaried GP"),),
    ),
    _Organisation(
        "Exampleton Health Visiting Team",
        Kind.HEALTH_VISITING,
        ods_code="ZZ9HV",
        people=(
            _Person("Lowenna Tregarth", "Health visitor"),
            _Person("Bryony Fettle", "Community nursery nurse"),
        ),
    ),
    _Organisation(
        "Exampleshire Children and Young People's Mental Health Service",
        Kind.OTHER_HEALTH,
        ods_code="ZZ9MH",
        people=(_Person("Imani Ravensworth", "Mental health practitioner"),),
    ),
    _Organisation(
        "Exampleshire Police Early Intervention Team",
        Kind.POLICE,
        people=(_Person("PC Rémy Fallowfield", "Early intervention officer"),),
    ),
    _Organisation(
        "Exampleshire Homes",
        Kind.HOUSING,
        people=(_Person("Gideon Ashcombe", "Tenancy sustainment officer"),),
    ),
    _Organisation(
        "Fictionford Family Trust",
        Kind.VOLUNTARY,
        people=(
            _Person("Marisol Thackeray", "Family mentor"),
            _Person("Kit Brandreth", "Debt and benefits adviser"),
        ),
    ),
    _Organisation(
        "Samplebury Domestic Abuse Service",
        Kind.VOLUNTARY,
        people=(_Person("Rosalind Everleigh", "Independent domestic violence adviser"),),
    ),
    _Organisation(
        "Exampleshire Children's Social Care",
        Kind.SOCIAL_CARE,
        people=(_Person("Anselm Whitcombe", "Practice manager, front door"),),
    ),
)


@dataclass
class Directory:
    """What the rest of the demo needs from the directory: organisations and who works there."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    by_kind: dict[str, list[PartnerContact]] = field(default_factory=lambda: defaultdict(list))
    by_job: dict[str, list[PartnerContact]] = field(default_factory=lambda: defaultdict(list))

    def find(self, *jobs: str, kind: str = "") -> list[PartnerContact]:
        """Active contacts whose job title contains one of ``jobs`` (or of ``kind``)."""
        found: list[PartnerContact] = []
        for job, contacts in self.by_job.items():
            if any(word.lower() in job.lower() for word in jobs):
                found.extend(c for c in contacts if c.active)
        if kind:
            found.extend(c for c in self.by_kind[kind] if c.active and c not in found)
        return found


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    letters = "".join(c if c.isalnum() else " " for c in ascii_name.lower())
    return ".".join(letters.split()[-2:])


def build_directory(*, actor: User, phones: list[str]) -> Directory:
    """Create the organisations and their professionals through the directory's services."""
    directory = Directory()
    phone_numbers = iter(phones)
    for spec in DIRECTORY:
        organisation = create_organisation(
            actor=actor,
            data=OrganisationInput(
                name=spec.name,
                kind=spec.kind,
                urn=spec.urn,
                ods_code=spec.ods_code,
                email=f"{_slug(spec.name)}.team@example.org",
                phone=next(phone_numbers),
            ),
        )
        directory.organisations[spec.name] = organisation
        for person in spec.people:
            contact = add_contact(
                actor=actor,
                organisation=organisation,
                data=ContactInput(
                    name=person.name,
                    job_title=person.job_title,
                    email=f"{_slug(person.name)}@example.org",
                    phone=next(phone_numbers),
                ),
            )
            if not person.active:
                contact = update_contact(
                    actor=actor,
                    contact=contact,
                    data=ContactInput(
                        name=contact.name,
                        job_title=contact.job_title,
                        email=contact.email,
                        phone=contact.phone,
                        active=False,
                    ),
                )
            directory.by_kind[spec.kind].append(contact)
            directory.by_job[person.job_title].append(contact)
    return directory
