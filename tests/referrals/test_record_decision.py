"""The triage decision: every outcome, and the declined referral's minimal record."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from earlyhelp.casework.models import Episode
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.people.models import Family, Person
from earlyhelp.referrals.models import Outcome, Referral, ReferralAttachment, ReferralPerson
from earlyhelp.referrals.services import Decision, create_referral, record_decision
from tests.factories import referral_input

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def _all_text_in_database() -> str:
    """Every text value in every referral-related table, read with raw SQL."""
    chunks = []
    with connection.cursor() as cursor:
        for table in (
            "referrals_referral",
            "referrals_referralperson",
            "referrals_referralattachment",
            "people_person",
            "people_address",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_accepting_creates_family_people_and_an_allocated_open_episode(world):
    referral = world.referral(nhs_number="9434765919")
    result = record_decision(
        actor=world.duty,
        referral=referral,
        decision=Decision(outcome="accepted", team_slug="north", lead_practitioner="pat"),
    )
    family = Family.objects.get(pk=result.family_id)
    episode = Episode.objects.get(pk=result.episode_id)
    assert episode.is_open and episode.team == world.north
    assert episode.lead_practitioner == world.practitioner
    members = {m.person.first_name: m.role for m in family.memberships.select_related("person")}
    assert members == {"Zoë": "child", "Marigold": "parent_or_carer"}
    child = Person.objects.get(first_name="Zoë")
    assert child.nhs_number == "9434765919"
    assert child.addresses.get().postcode == "AB1 2XY"
    referral.refresh_from_db()
    assert referral.outcome == Outcome.ACCEPTED and referral.family_id == family.pk


def test_declined_keeps_only_the_minimal_record_and_deletes_the_rest(world, settings):
    referral = create_referral(
        actor=world.duty,
        data=referral_input(
            first_name="Octavia", last_name="Brindlecombe", nhs_number="9434765919"
        ),
        attachments=[io.BytesIO(PDF)],
        attachment_names=["school-letter.pdf"],
    )
    stored = ReferralAttachment.objects.get(referral=referral)
    stored_path = settings.EARLYHELP_PRIVATE_FILES_DIR / "attachments" / stored.stored_name
    assert stored_path.exists()
    assert "Brindlecombe" in _all_text_in_database()

    record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="declined"))

    referral = Referral.objects.get(pk=referral.pk)
    # Kept: who referred, when, the channel, and the fact of the offer and the decline.
    assert referral.referrer_name == "Ms Hollis Partridge"
    assert referral.channel == "phone" and referral.received_at is not None
    assert referral.outcome == Outcome.DECLINED and referral.minimised_at is not None
    # Gone: people, address, concern, contact details, documents (rows and bytes).
    assert not ReferralPerson.objects.filter(referral=referral).exists()
    assert not ReferralAttachment.objects.filter(referral=referral).exists()
    assert not stored_path.exists()
    everything = _all_text_in_database()
    for gone in (
        "Brindlecombe",
        "Octavia",
        "9434765919",
        "Larkspur",
        "AB1 2XY",
        "Attendance has fallen",
        "01632 960123",
        "h.partridge@example.org",
        "getting_a_good_education",
    ):
        assert gone not in everything
    assert not Person.objects.exists()


@pytest.mark.parametrize("outcome", ["nfa", "social_care"])
def test_outcomes_without_an_episode(world, outcome):
    referral = world.referral()
    result = record_decision(
        actor=world.duty, referral=referral, decision=Decision(outcome=outcome)
    )
    assert result.episode_id is None and result.family_id is None
    referral.refresh_from_db()
    assert referral.outcome == outcome and referral.people.count() == 2


def test_signposting_needs_the_services_named(world):
    referral = world.referral()
    with pytest.raises(InvalidInput) as error:
        record_decision(
            actor=world.duty, referral=referral, decision=Decision(outcome="signposted")
        )
    assert error.value.field == "signposted_to"
    record_decision(
        actor=world.duty,
        referral=referral,
        decision=Decision(outcome="signposted", signposted_to="Family hub parenting group"),
    )
    referral.refresh_from_db()
    assert referral.signposted_to == "Family hub parenting group"


def test_a_referral_is_decided_once(world):
    referral = world.referral()
    record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="nfa"))
    with pytest.raises(Conflict):
        record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="declined"))


def test_one_open_episode_per_family_and_linking_to_it(world):
    family, episode = world.open_family()
    child = family.memberships.get(role="child").person
    second = world.referral()
    first_named = second.people.get(first_name="Zoë")
    with pytest.raises(Conflict):
        record_decision(
            actor=world.duty,
            referral=second,
            decision=Decision(
                outcome="accepted", team_slug="south", links={first_named.pk: child.pk}
            ),
        )
    assert Episode.objects.filter(family=family, closed_at__isnull=True).count() == 1
    result = record_decision(
        actor=world.duty,
        referral=second,
        decision=Decision(outcome="linked", links={first_named.pk: child.pk}),
    )
    assert result.episode_id == episode.pk and result.family_id == family.pk


def test_linking_needs_an_open_episode(world):
    family, _ = world.closed_family()
    child = family.memberships.get(role="child").person
    referral = world.referral()
    named = referral.people.get(first_name="Zoë")
    with pytest.raises(Conflict):
        record_decision(
            actor=world.duty,
            referral=referral,
            decision=Decision(outcome="linked", links={named.pk: child.pk}),
        )


def test_re_referral_of_known_people_reuses_their_family(world):
    family, _ = world.closed_family()
    child = family.memberships.get(role="child").person
    referral = world.referral()
    named = referral.people.get(first_name="Zoë")
    result = record_decision(
        actor=world.duty,
        referral=referral,
        decision=Decision(outcome="accepted", team_slug="north", links={named.pk: child.pk}),
    )
    assert result.family_id == family.pk
    assert Person.objects.filter(first_name="Zoë").count() == 1
    assert family.episodes.count() == 2


def test_lead_practitioner_must_belong_to_the_team(world):
    referral = world.referral()
    with pytest.raises(InvalidInput) as error:
        record_decision(
            actor=world.duty,
            referral=referral,
            decision=Decision(outcome="accepted", team_slug="south", lead_practitioner="pat"),
        )
    assert error.value.field == "lead_practitioner"
    assert not Episode.objects.exists()


@pytest.mark.parametrize("role", ["practitioner", "dpo", "analyst", "admin", "partner"])
def test_only_the_front_door_triages(world, role):
    referral = world.referral()
    with pytest.raises(PermissionDenied):
        record_decision(
            actor=getattr(world, role), referral=referral, decision=Decision(outcome="nfa")
        )
