"""POST /referrals, GET /referrals/{id} and POST /referrals/{id}/decision through HTTP."""

from __future__ import annotations

import uuid

import pytest

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.referrals.models import Referral, ReferralPerson
from tests.api.conftest import (
    NHS_CHILD,
    SENSITIVE,
    audit_text,
    last_seq,
    referral_body,
)

pytestmark = pytest.mark.django_db


def _errors(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["errors"]]


def test_recording_a_referral_returns_its_id_and_reference_and_it_reads_back(world, api_as):
    api = api_as(world.duty)
    response = api.post("/referrals", referral_body())

    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "reference"}
    assert created["reference"].startswith("RF-")

    read = api.get(f"/referrals/{created['id']}")
    assert read.status_code == 200
    referral = read.json()
    assert referral["reference"] == created["reference"]
    assert referral["channel"] == "phone"
    assert referral["source"] == "other"  # the default when a partner system sends none
    assert referral["status"] == "awaiting_triage" and referral["outcome"] is None
    assert referral["referrer"]["organisation"] == "Brookfield Primary School"
    assert referral["reasons"] == ["getting_a_good_education", "improved_family_relationships"]
    people = referral["people"]
    assert [(p["first_name"], p["role"], p["sex"]) for p in people] == [
        ("Ottoline", "child", "female"),
        ("Marigold", "parent_or_carer", "female"),
    ]
    assert people[0]["date_of_birth"] == "2015-03-14"
    assert all(isinstance(p["id"], int) for p in people)
    # Identifiers are stored in their canonical form.
    stored = Referral.objects.get(pk=created["id"])
    assert stored.address_postcode == "AB1 2XY"
    assert stored.people.get(role="child").nhs_number == NHS_CHILD
    assert stored.recorded_by == world.duty


def test_a_source_code_is_recorded_when_given(world, api_as):
    response = api_as(world.duty).post("/referrals", referral_body(source="school"))
    assert response.status_code == 201
    assert Referral.objects.get(pk=response.json()["id"]).source == "school"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        (
            lambda b: b["people"][1].update(nhs_number="9991045381"),
            ["body", "payload", "people", 1, "nhs_number"],
        ),
        (
            lambda b: b["address"].update(postcode="AB1 2CC"),
            ["body", "payload", "address", "postcode"],
        ),
        (
            lambda b: b.update(reasons=["getting_a_good_education", "astrology"]),
            ["body", "payload", "reasons", 1],
        ),
        (lambda b: b["people"][0].update(sex="robot"), ["body", "payload", "people", 0, "sex"]),
        (lambda b: b["people"][0].update(role="uncle"), ["body", "payload", "people", 0, "role"]),
        (lambda b: b.update(channel="online_form"), ["body", "payload", "channel"]),
        (lambda b: b.update(source="rumour"), ["body", "payload", "source"]),
        (lambda b: b.update(people=[]), ["body", "payload", "people"]),
        (lambda b: b["referrer"].update(name=""), ["body", "payload", "referrer", "name"]),
        (
            lambda b: b["referrer"].update(email="not-an-address"),
            ["body", "payload", "referrer", "email"],
        ),
        (
            lambda b: b.update(received_at="2999-01-01T09:00:00+00:00"),
            ["body", "payload", "received_at"],
        ),
        (
            lambda b: b["people"][0].update(first_name="", last_name=""),
            ["body", "payload", "people", 0, "first_name"],
        ),
    ],
    ids=[
        "nhs_number",
        "postcode",
        "reason",
        "sex",
        "role",
        "online_form",
        "source",
        "no_people",
        "referrer_name",
        "email",
        "future",
        "nameless",
    ],
)
def test_invalid_input_is_422_naming_the_field_path_and_records_nothing(world, api_as, change, loc):
    body = referral_body()
    change(body)
    response = api_as(world.duty).post("/referrals", body)

    assert _errors(response) == [loc]
    assert response.json()["detail"]
    assert not Referral.objects.exists()
    # The rejected value is never echoed back (it could be personal data).
    assert "9991045381" not in response.content.decode()
    assert not response.json()["errors"][0]["msg"].startswith("Value error")


def test_a_role_that_does_not_record_referrals_is_refused(world, api_as):
    response = api_as(world.analyst).post("/referrals", referral_body())
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Referral.objects.exists()


def test_reading_a_referral_the_user_may_not_see_is_404(world, api_as):
    referral = world.referral()
    assert api_as(world.practitioner_south).get(f"/referrals/{referral.pk}").status_code == 404
    assert api_as(world.duty).get(f"/referrals/{uuid.uuid4()}").status_code == 404
    response = api_as(world.analyst).get(f"/referrals/{referral.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def _accept(api, referral_id):  # type: ignore[no-untyped-def]
    return api.post(
        f"/referrals/{referral_id}/decision",
        {"outcome": "accepted", "team": "north", "lead_practitioner": "pat"},
    )


def test_accepting_returns_the_family_and_episode_which_the_allocated_team_can_read(world, api_as):
    duty = api_as(world.duty)
    referral_id = duty.post("/referrals", referral_body()).json()["id"]

    response = _accept(duty, referral_id)

    assert response.status_code == 200
    result = response.json()
    assert result["referral_id"] == referral_id and result["outcome"] == "accepted"
    assert result["family_id"] and result["episode_id"]

    family = api_as(world.practitioner).get(f"/families/{result['family_id']}")
    assert family.status_code == 200
    assert family.json()["open_episode"]["id"] == result["episode_id"]
    assert family.json()["open_episode"]["team"]["slug"] == "north"
    south = api_as(world.practitioner_south).get(f"/families/{result['family_id']}")
    assert south.status_code == 404
    # The allocated practitioner now sees the referral too.
    assert api_as(world.practitioner).get(f"/referrals/{referral_id}").status_code == 200


def test_a_second_decision_is_409(world, api_as):
    duty = api_as(world.duty)
    referral_id = duty.post("/referrals", referral_body()).json()["id"]
    assert _accept(duty, referral_id).status_code == 200

    again = duty.post(f"/referrals/{referral_id}/decision", {"outcome": "nfa"})

    assert again.status_code == 409
    assert again.json()["detail"]
    assert Referral.objects.get(pk=referral_id).outcome == "accepted"


def test_declining_leaves_only_the_minimal_record(world, api_as):
    duty = api_as(world.duty)
    referral_id = duty.post("/referrals", referral_body()).json()["id"]

    response = duty.post(f"/referrals/{referral_id}/decision", {"outcome": "declined"})

    assert response.status_code == 200
    assert response.json() == {
        "referral_id": referral_id,
        "outcome": "declined",
        "family_id": None,
        "episode_id": None,
    }
    read = duty.get(f"/referrals/{referral_id}").json()
    assert read["people"] == [] and read["reasons"] == [] and read["summary"] == ""
    assert read["referrer"]["name"] == "Ms Hollis Partridge"
    assert read["referrer"]["phone"] == "" and read["referrer"]["email"] == ""
    assert not ReferralPerson.objects.exists()
    stored = Referral.objects.get(pk=referral_id)
    assert stored.address_line1 == "" and stored.address_postcode == ""
    assert stored.minimised_at is not None


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"outcome": "accepted", "team": "nowhere"}, ["body", "payload", "team"]),
        ({"outcome": "accepted"}, ["body", "payload", "team"]),
        (
            {"outcome": "accepted", "team": "north", "lead_practitioner": "nobody"},
            ["body", "payload", "lead_practitioner"],
        ),
        ({"outcome": "signposted"}, ["body", "payload", "signposted_to"]),
        ({"outcome": "maybe"}, ["body", "payload", "outcome"]),
        ({"outcome": "accepted", "team": "north", "links": {"0": str(uuid.uuid4())}}, None),
    ],
    ids=["unknown_team", "no_team", "unknown_lead", "signposted_nowhere", "outcome", "links"],
)
def test_an_invalid_decision_is_422_and_leaves_the_referral_awaiting_triage(
    world, api_as, body, loc
):
    referral = world.referral()
    response = api_as(world.duty).post(f"/referrals/{referral.pk}/decision", body)

    expected = loc or ["body", "payload", "links"]
    assert _errors(response) == [expected]
    referral.refresh_from_db()
    assert referral.status == "awaiting_triage"


def test_only_triage_roles_decide(world, api_as):
    family, _ = world.open_family()
    referral = family.referrals.get()
    # A practitioner can read the family's referral but may not record its decision.
    response = api_as(world.practitioner).post(
        f"/referrals/{referral.pk}/decision", {"outcome": "nfa"}
    )
    assert response.status_code == 403
    # ...and cannot even learn that a referral awaiting triage exists.
    waiting = world.referral()
    response = api_as(world.practitioner).post(
        f"/referrals/{waiting.pk}/decision", {"outcome": "nfa"}
    )
    assert response.status_code == 404


def test_every_call_is_audited_with_the_actor_and_no_personal_data(world, api_as):
    duty = api_as(world.duty)
    seq = last_seq()

    referral_id = duty.post("/referrals", referral_body()).json()["id"]
    duty.get(f"/referrals/{referral_id}")
    family_id = _accept(duty, referral_id).json()["family_id"]
    api_as(world.practitioner).get(f"/families/{family_id}")
    duty.post("/people/search", dict(q="Ottoline Quillfeather", date_of_birth="2015-03-14"))

    events = list(AuditEvent.objects.filter(seq__gt=seq))
    seen = {(e.actor_id, e.action, e.object_type) for e in events}
    assert (world.duty.pk, Action.CREATE, "referral") in seen
    assert (world.duty.pk, Action.VIEW, "referral") in seen
    assert (world.duty.pk, Action.DECISION, "referral") in seen
    assert (world.practitioner.pk, Action.VIEW, "family") in seen
    assert (world.duty.pk, Action.SEARCH, "person") in seen
    text = audit_text()
    leaked = [value for value in SENSITIVE if value.lower() in text]
    assert leaked == []
