"""The disclosure log: what of each person's information left the team, and on what basis.

Every output path writes here once it has released something, one line per person whose
information went, naming the agreement or the gateway decision relied on (from the
``SharingCheck`` that allowed it).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.people.models import Family, Person
from earlyhelp.sharing.models import DisclosureChannel, DisclosureLogEntry, DisclosurePackage
from earlyhelp.sharing.policy import SharingCheck


def log_disclosure(
    *,
    actor: User,
    family: Family,
    people: Iterable[UUID],
    check: SharingCheck,
    channel: DisclosureChannel,
    what: str,
    scopes: Iterable[str],
    recipient: Organisation,
    contact: PartnerContact | None = None,
    package: DisclosurePackage | None = None,
    approved_by: User | None = None,
) -> list[DisclosureLogEntry]:
    """Write one log line per person; refuses to log anything the check did not allow."""
    if not check.allowed:
        raise ValueError("only an allowed sharing check can be logged as a disclosure")
    now = timezone.now()
    entries = [
        DisclosureLogEntry(
            person_id=person_id,
            family=family,
            disclosed_at=now,
            channel=channel,
            what=what[:300],
            scopes=sorted(set(scopes)),
            recipient_organisation=recipient,
            recipient_contact=contact,
            agreement=check.agreement_for(person_id),
            decision=check.decision,
            package=package,
            disclosed_by=actor,
            approved_by=approved_by,
        )
        for person_id in dict.fromkeys(people)
    ]
    return DisclosureLogEntry.objects.bulk_create(entries)


def log_for_family(family: Family) -> QuerySet[DisclosureLogEntry]:
    return DisclosureLogEntry.objects.filter(family=family).select_related(
        "person",
        "recipient_organisation",
        "recipient_contact",
        "agreement",
        "decision",
        "disclosed_by",
        "approved_by",
    )


def log_for_person(family: Family, person: Person) -> QuerySet[DisclosureLogEntry]:
    return log_for_family(family).filter(person=person)
