"""A declined referral keeps its minimal record and nothing else (decision 0003).

Who referred (as a kind of source, and by name only when the referrer is not the family),
when, how, and the decision stay; every other field is emptied and the people and documents
are deleted. The checks enumerate the model's fields and read every column with raw SQL, so a
field added later, or a value that is not text (a yes/no, a date), cannot slip through.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from earlyhelp.referrals.models import Outcome, Referral, ReferralAttachment, ReferralPerson
from earlyhelp.referrals.services import Decision, create_referral, record_decision
from tests.factories import World, referral_input

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Written here, not imported from the service: the test is the second opinion on what the
# minimal record is (domain.md: who referred, when, that support was offered and declined).
KEPT_ALWAYS = {
    "id",
    "reference",
    "channel",
    "source",
    "received_at",
    "recorded_at",
    "recorded_by",
    "privacy_notice",
    "status",
    "outcome",
    "decided_at",
    "decided_by",
    "minimised_at",
}
# A professional's identity in their professional role is part of "who referred"; when the
# family referred themselves it is the family's identity, and goes.
REFERRER_IDENTITY = {"referrer_name", "referrer_organisation", "referrer_role"}
EMPTY = (None, "", [])


def _self_referral_input() -> Any:
    return dataclasses.replace(
        referral_input(first_name="Octavia", last_name="Brindlecombe", nhs_number="9434765919"),
        source="self_or_family",
        referrer_name="Rowena Brindlecombe",
        # Staff typing a phone call may fill these in for a parent too.
        referrer_organisation="Brindlecombe household",
        referrer_role="Mum",
        referrer_phone="07700 900321",
        referrer_email="rowena.b@example.net",
        family_aware=True,
        family_consents=False,
    )


def _professional_input() -> Any:
    return dataclasses.replace(
        referral_input(first_name="Octavia", last_name="Brindlecombe", nhs_number="9434765919"),
        family_aware=False,
        family_consents=True,
    )


INPUTS = {"self_referral": _self_referral_input, "professional": _professional_input}


def _kept(source: str) -> set[str]:
    return KEPT_ALWAYS if source == "self_or_family" else KEPT_ALWAYS | REFERRER_IDENTITY


def _fill_every_field(world: World, referral: Referral) -> None:
    """Give every field a value, including the ones only a later step sets (signposting, the
    family and episode of an accepted referral), so the decline has to empty each."""
    family, episode = world.open_family(last_name="Elsewhere")
    Referral.objects.filter(pk=referral.pk).update(
        signposted_to="Family hub parenting group",
        family=family,
        episode=episode,
        minimised_at=None,
    )


def _values(referral: Referral) -> dict[str, Any]:
    return {f.name: getattr(referral, f.attname) for f in Referral._meta.concrete_fields}


def _declined(world: World, kind: str) -> tuple[Referral, dict[str, Any]]:
    referral = create_referral(
        actor=world.duty,
        data=INPUTS[kind](),
        attachments=[io.BytesIO(PDF)],
        attachment_names=["health-visitor-letter.pdf"],
    )
    _fill_every_field(world, referral)
    before = _values(Referral.objects.get(pk=referral.pk))
    record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="declined"))
    return Referral.objects.get(pk=referral.pk), before


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_every_field_is_kept_on_purpose_or_emptied(world: World, kind: str) -> None:
    referral, before = _declined(world, kind)
    kept = _kept(referral.source)
    after = _values(referral)
    for name, value in after.items():
        if name in kept:
            if name not in {"status", "outcome", "decided_at", "decided_by", "minimised_at"}:
                assert value == before[name], f"{name} is part of the minimal record"
            continue
        # Every other field had something to lose (a new field must be filled in above)...
        assert before[name] not in EMPTY, f"fill {name} before declining, to prove it empties"
        # ...and lost it: yes/no answers and links as much as text.
        assert value in EMPTY, f"{name} survived the decline: {value!r}"
    assert referral.outcome == Outcome.DECLINED and referral.minimised_at is not None
    assert referral.decided_by == world.duty and referral.received_at == before["received_at"]


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_raw_row_holds_nothing_outside_the_minimal_record(world: World, kind: str) -> None:
    referral, _ = _declined(world, kind)
    kept_columns = {Referral._meta.get_field(name).column for name in _kept(referral.source)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM referrals_referral WHERE reference = %s", [referral.reference]
        )
        row = cursor.fetchone()
        columns = [c[0] for c in cursor.description]
    assert row is not None
    stored = dict(zip(columns, row, strict=True))
    assert set(stored) == {f.column for f in Referral._meta.concrete_fields}
    for column, value in stored.items():
        if column not in kept_columns:
            assert value in (None, "", "[]", []), f"{column} still holds {value!r}"
    assert not ReferralPerson.objects.filter(referral_id=referral.pk).exists()
    assert not ReferralAttachment.objects.filter(referral_id=referral.pk).exists()


def _every_value_in_the_database() -> str:
    """Every value of every column of every table, read with raw SQL, as text: dates, numbers
    and yes/no answers as much as text columns."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    elif isinstance(value, date):
                        value = value.isoformat()
                    chunks.append(str(value))
    return "\n".join(chunks)


def test_a_declined_self_referral_leaves_no_trace_of_the_family_anywhere(
    world: World, settings: Any
) -> None:
    referral = create_referral(
        actor=world.duty,
        data=_self_referral_input(),
        attachments=[io.BytesIO(PDF)],
        attachment_names=["my-letter.pdf"],
    )
    stored = ReferralAttachment.objects.get(referral=referral).stored_name
    assert "Rowena Brindlecombe" in _every_value_in_the_database()

    record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="declined"))

    everything = _every_value_in_the_database()
    for gone in (
        "Rowena Brindlecombe",  # the parent who referred
        "Brindlecombe",
        "Octavia",
        "Mum",
        "07700 900321",
        "rowena.b@example.net",
        "2015-03-14",  # a date of birth, not a text column
        "1988-07-02",
        "Larkspur",
        "AB1 2XY",
        "Attendance has fallen",
        "my-letter.pdf",
    ):
        assert gone not in everything, gone
    assert not (settings.EARLYHELP_PRIVATE_FILES_DIR / "attachments" / stored).exists()
    kept = Referral.objects.get(pk=referral.pk)
    assert kept.source == "self_or_family" and kept.channel == "phone"
    assert kept.outcome == Outcome.DECLINED


def test_a_declined_professional_referral_keeps_who_referred(world: World) -> None:
    referral = create_referral(actor=world.duty, data=_professional_input())
    record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="declined"))
    kept = Referral.objects.get(pk=referral.pk)
    assert kept.referrer_name == "Ms Hollis Partridge"
    assert kept.referrer_organisation == "Brookfield Primary School"
    assert kept.referrer_role == "Designated safeguarding lead"
    assert kept.referrer_phone == "" and kept.referrer_email == ""


def test_the_minimal_self_referral_says_who_referred_by_kind(world: World, client: Client) -> None:
    referral = create_referral(actor=world.duty, data=_self_referral_input())
    record_decision(actor=world.duty, referral=referral, decision=Decision(outcome="declined"))
    client.force_login(world.duty)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "The family (self-referral)" in page
    assert "Not kept: the family referred themselves and declined" in page
    for gone in ("Rowena", "Brindlecombe", "Mum", "07700 900321"):
        assert gone not in page
