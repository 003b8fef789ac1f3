"""`earlyhelp loaddemo`: synthetic data in every state, loaded once, with printed logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.casework.models import Contact, Episode, TimelineEntry
from earlyhelp.core.identifiers import is_valid_nhs_number, is_valid_postcode
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.people.models import Address, Family, Person
from earlyhelp.plans.models import FamilyPlan, PlanObjection
from earlyhelp.referrals.models import Channel, Outcome, Referral, ReferralPerson, Status
from tests.demo.conftest import LoadedDemo

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "families": Family.objects.count(),
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "episodes": Episode.objects.count(),
        "contacts": Contact.objects.count(),
        "plans": FamilyPlan.objects.count(),
        "organisations": Organisation.objects.count(),
        "timeline": TimelineEntry.objects.count(),
    }


def test_loads_staff_in_every_role_and_prints_their_logins(demo: LoadedDemo) -> None:
    assert Team.objects.count() >= 3
    assert User.objects.count() >= 8
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username in User.objects.values_list("username", flat=True):
        assert username in demo.output
    assert "Password" in demo.output


def test_prints_what_it_loaded_and_where_to_start(demo: LoadedDemo) -> None:
    contacts = Contact.objects.count()
    assert f"Contacts and case notes: {contacts} " in demo.output
    assert f"Family plans: {FamilyPlan.objects.count()} " in demo.output
    assert "/caseload/" in demo.output
    assert "/team-dashboard/" in demo.output
    showcase = PlanObjection.objects.get(withdrawn_on__isnull=True).plan.family_id
    assert f"/families/{showcase}/" in demo.output


def test_loads_families_in_every_state(demo: LoadedDemo) -> None:
    assert Family.objects.count() >= 40
    awaiting = Referral.objects.filter(status=Status.AWAITING_TRIAGE)
    assert awaiting.count() >= 3
    assert awaiting.values("channel").distinct().count() >= 3
    online = Referral.objects.filter(channel=Channel.ONLINE_FORM)
    assert online.exists()
    assert not online.filter(privacy_notice__isnull=True).exists()

    declined = Referral.objects.filter(status=Status.DECIDED, outcome=Outcome.DECLINED)
    assert declined.exists()
    assert not ReferralPerson.objects.filter(referral__in=declined).exists()
    assert not declined.filter(minimised_at__isnull=True).exists()
    for outcome in (Outcome.ACCEPTED, Outcome.NFA, Outcome.SIGNPOSTED, Outcome.LINKED):
        assert Referral.objects.filter(status=Status.DECIDED, outcome=outcome).exists()

    open_episodes = Episode.objects.filter(closed_at__isnull=True)
    assert open_episodes.values("team").distinct().count() >= 2
    # A few accepted in the last days wait for a lead practitioner; the rest have one.
    unallocated = open_episodes.filter(lead_practitioner__isnull=True)
    assert 1 <= unallocated.count() <= 5
    assert unallocated.values("team").distinct().count() == 2
    closed = Episode.objects.filter(closed_at__isnull=False)
    assert closed.exists()
    assert not closed.filter(closure_reason="").exists()
    # Families referred again after closure have a closed and an open episode.
    assert (
        Family.objects.filter(episodes__closed_at__isnull=False)
        .filter(episodes__closed_at__isnull=True)
        .exists()
    )


def test_people_and_partners_are_synthetic_and_varied(demo: LoadedDemo) -> None:
    numbers = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert numbers
    assert len(numbers) == len(set(numbers))
    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in numbers)
    postcodes = Address.objects.exclude(postcode="").values_list("postcode", flat=True)
    assert all(is_valid_postcode(p) for p in postcodes)
    assert Address.objects.filter(confidential=True).exists()
    assert Person.objects.filter(unborn=True).exists()
    assert Person.objects.filter(date_of_birth_estimated=True, unborn=False).exists()
    # Accented names are folded for search: "zoe" finds "Zoë".
    assert Person.objects.filter(first_name="Zoë", search_name__contains="zoe").exists()
    emails = [
        *Organisation.objects.values_list("email", flat=True),
        *PartnerContact.objects.values_list("email", flat=True),
        *User.objects.values_list("email", flat=True),
    ]
    assert emails
    assert all(e.endswith("@example.org") for e in emails)
    phones = [
        *Organisation.objects.values_list("phone", flat=True),
        *PartnerContact.objects.values_list("phone", flat=True),
    ]
    assert all(p.startswith("01632 960") for p in phones)


def test_running_twice_changes_nothing(demo: LoadedDemo) -> None:
    before = _counts()
    out = StringIO()

    call_command("loaddemo", stdout=out)

    assert _counts() == before
    assert "already loaded" in out.getvalue()
    for username in User.objects.values_list("username", flat=True):
        assert username in out.getvalue()


def test_a_restricted_family_and_person_with_a_break_glass_to_review(demo: LoadedDemo) -> None:
    from earlyhelp.casework.permissions import can_view_family
    from earlyhelp.restricted.models import BreakGlassAccess, Restriction

    family_restriction = Restriction.objects.get(family__isnull=False)
    person_restriction = Restriction.objects.get(person__isnull=False)
    access = BreakGlassAccess.objects.get()
    assert access.family_id == family_restriction.family_id and access.reviewed_at is None
    assert "Restricted records: 2" in demo.output
    lead = User.objects.get(username="north.practitioner")
    colleague = User.objects.get(username="north.practitioner2")  # same team, not named
    person_family = person_restriction.person.memberships.get().family
    assert can_view_family(lead, family_restriction.family) and can_view_family(lead, person_family)
    assert not can_view_family(colleague, person_family)
    assert access.user == colleague  # the family restriction was opened by breaking the glass
