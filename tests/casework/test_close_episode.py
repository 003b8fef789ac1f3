"""Closing an episode: reason, closing summary, and the onward referral of a step-up/down."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.casework.models import OnwardReferral, TimelineEntry
from earlyhelp.casework.services import close_episode
from earlyhelp.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

SUMMARY = "Attendance back to normal; the family will use the children's centre groups."


def test_closing_records_reason_summary_and_a_timeline_line(world):
    family, episode = world.open_family()

    close_episode(actor=world.practitioner, episode=episode, reason="needs_met", summary=SUMMARY)

    episode.refresh_from_db()
    assert episode.closed_at is not None
    assert episode.closing_summary == SUMMARY
    assert not OnwardReferral.objects.exists()
    line = TimelineEntry.objects.filter(family=family, title__startswith="Episode closed").get()
    assert line.summary == SUMMARY


def test_a_closing_summary_is_required(world):
    _, episode = world.open_family()
    with pytest.raises(InvalidInput) as error:
        close_episode(actor=world.practitioner, episode=episode, reason="needs_met", summary=" ")
    assert error.value.field == "summary"
    episode.refresh_from_db()
    assert episode.is_open


@pytest.mark.parametrize(
    ("reason", "direction"),
    [
        ("stepped_up_to_social_care", OnwardReferral.Direction.STEP_UP),
        ("stepped_down_to_universal", OnwardReferral.Direction.STEP_DOWN),
    ],
)
def test_step_up_and_step_down_record_the_onward_referral(world, reason, direction):
    family, episode = world.open_family()

    close_episode(
        actor=world.practitioner,
        episode=episode,
        reason=reason,
        summary=SUMMARY,
        onward_destination="Exampleshire MASH",
        onward_reason="Concerns escalated at the last review.",
    )

    onward = OnwardReferral.objects.get(episode=episode)
    assert onward.direction == direction
    assert onward.destination == "Exampleshire MASH"
    assert onward.made_by == world.practitioner
    assert TimelineEntry.objects.filter(family=family, object_id=str(onward.pk)).exists()


@pytest.mark.parametrize("missing", ["destination", "onward_reason"])
def test_a_step_up_needs_its_destination_and_reason(world, missing):
    _, episode = world.open_family()
    values = {"onward_destination": "Exampleshire MASH", "onward_reason": "Escalating concerns."}
    values["onward_destination" if missing == "destination" else "onward_reason"] = ""

    with pytest.raises(InvalidInput) as error:
        close_episode(
            actor=world.practitioner,
            episode=episode,
            reason="stepped_up_to_social_care",
            summary=SUMMARY,
            **values,
        )

    assert error.value.field == missing
    episode.refresh_from_db()
    assert episode.is_open and not OnwardReferral.objects.exists()


def test_the_close_page_keeps_what_was_typed_when_the_destination_is_missing(world, login):
    family, _ = world.open_family()
    client = login(world.practitioner)

    response = client.post(
        reverse("casework:close", args=[family.pk]),
        {"reason": "stepped_up_to_social_care", "summary": SUMMARY, "onward_reason": "Escalated."},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Name the service the family is referred to" in page
    assert "the family will use the children&#39;s centre groups" in page


def test_the_close_page_closes_with_a_step_down(world, login):
    family, episode = world.open_family()
    client = login(world.practitioner)

    response = client.post(
        reverse("casework:close", args=[family.pk]),
        {
            "reason": "stepped_down_to_universal",
            "summary": SUMMARY,
            "destination": "Exampleton Children's Centre",
            "onward_reason": "Keep attending stay-and-play.",
        },
    )

    assert response.status_code == 302
    assert OnwardReferral.objects.get(episode=episode).direction == "step_down"


def test_the_api_closes_and_maps_errors(world, api_as):
    family, _ = world.open_family()
    api = api_as(world.practitioner)

    missing = api.post(f"/families/{family.pk}/closure", {"reason": "needs_met", "summary": ""})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["summary"]

    closed = api.post(
        f"/families/{family.pk}/closure",
        {
            "reason": "stepped_up_to_social_care",
            "summary": SUMMARY,
            "onward_destination": "Exampleshire MASH",
            "onward_reason": "Escalating concerns.",
        },
    )
    assert closed.status_code == 200
    assert closed.json()["onward_referral_id"] == str(OnwardReferral.objects.get().pk)

    again = api.post(f"/families/{family.pk}/closure", {"reason": "needs_met", "summary": SUMMARY})
    # The team's practitioner no longer sees a closed family: it is 404, not 409.
    assert again.status_code == 404
    manager_again = api_as(world.manager).post(
        f"/families/{family.pk}/closure", {"reason": "needs_met", "summary": SUMMARY}
    )
    assert manager_again.status_code == 409


def test_another_teams_practitioner_cannot_close_through_the_api(world, api_as):
    family, _ = world.open_family()
    response = api_as(world.practitioner_south).post(
        f"/families/{family.pk}/closure", {"reason": "needs_met", "summary": SUMMARY}
    )
    assert response.status_code == 404
