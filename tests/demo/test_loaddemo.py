"""`earlyhelp loaddemo`: synthetic data in every state, loaded once, with printed logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.casework.models import Episode
from earlyhelp.core.identifiers import is_valid_nhs_number, is_valid_postcode
from earlyhelp.people.models import Address, Family, Person
from earlyhelp.referrals.models import Channel, Outcome, Referral, ReferralPerson, Status

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "families": Family.objects.count(),
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "episodes": Episode.objects.count(),
    }


def test_loads_staff_in_every_role_and_prints_their_logins() -> None:
    output = _load()

    assert Team.objects.count() >= 3
    assert User.objects.count() >= 8
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username in User.objects.values_list("username", flat=True):
        assert username in output
    assert "Password" in output


def test_loads_families_in_every_state() -> None:
    _load()

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
    for outcome in (Outcome.ACCEPTED, Outcome.NFA, Outcome.SIGNPOSTED):
        assert Referral.objects.filter(status=Status.DECIDED, outcome=outcome).exists()

    open_episodes = Episode.objects.filter(closed_at__isnull=True)
    assert open_episodes.values("team").distinct().count() >= 2
    assert not open_episodes.filter(lead_practitioner__isnull=True).exists()
    closed = Episode.objects.filter(closed_at__isnull=False)
    assert closed.exists()
    assert not closed.filter(closure_reason="").exists()


def test_people_are_synthetic_and_varied() -> None:
    _load()

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


def test_running_twice_changes_nothing() -> None:
    _load()
    before = _counts()

    output = _load()

    assert _counts() == before
    for username in User.objects.values_list("username", flat=True):
        assert username in output
