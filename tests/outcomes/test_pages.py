"""The outcome pages over HTTP: rate, rating, sustain check, the due list, claim status."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.outcomes.models import OutcomeRating, SustainCheck
from tests.outcomes.conftest import DESCRIPTIONS, months_ago

pytestmark = pytest.mark.django_db

# Session read, user, grants, the count, the page of checks (one query with its joins), the
# audit event (savepoint, chain head, insert, release; PostgreSQL adds the chain's advisory
# lock), headline labels, and the session's save (savepoint, update, release).
DUE_QUERIES = {"sqlite": 13, "postgresql": 14}


def _date(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def test_the_rate_page_lists_every_outcome_of_the_current_plan(ready, client):
    client.force_login(ready.worker)
    response = client.get(reverse("outcomes:rate", args=[ready.family.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for description in list(DESCRIPTIONS.values())[:3]:
        assert description in html
    assert "Getting a good education: how far was this outcome achieved?" in html
    assert html.count('type="radio"') == 9


def test_rating_through_the_page_saves_each_answered_outcome(ready, client):
    client.force_login(ready.worker)
    first, second, _ = ready.outcomes
    achieved_on = months_ago(2)
    data = {
        "o0-rating": "achieved",
        "o0-evidence": "School confirms full attendance.",
        **_date("o0-achieved_on", achieved_on),
        "o1-rating": "partly_achieved",
        "o1-evidence": "Fewer arguments, not yet every day.",
    }
    response = client.post(reverse("outcomes:rate", args=[ready.family.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:claim", args=[ready.family.pk])
    ratings = {r.plan_outcome_id: r for r in OutcomeRating.objects.all()}
    assert set(ratings) == {first.pk, second.pk}
    assert ratings[first.pk].achieved_on == achieved_on
    assert ratings[second.pk].rating == "partly_achieved"
    assert SustainCheck.objects.get().rating == ratings[first.pk]


def test_bad_input_is_explained_and_keeps_what_was_typed(ready, client):
    client.force_login(ready.worker)
    data = {
        "o0-rating": "achieved",
        "o0-evidence": "Typed evidence that must survive.",
        "o1-rating": "not_achieved",
        "o2-rating": "partly_achieved",
        "o2-evidence": "Third outcome evidence.",
    }
    response = client.post(reverse("outcomes:rate", args=[ready.family.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the date the outcome was achieved" in html
    assert "Give the evidence for this rating" in html
    assert "Typed evidence that must survive." in html and "Third outcome evidence." in html
    assert "<title>Error:" in html
    assert not OutcomeRating.objects.exists()


def test_submitting_nothing_asks_for_at_least_one_rating(ready, client):
    client.force_login(ready.worker)
    response = client.post(reverse("outcomes:rate", args=[ready.family.pk]), {})
    assert "Rate at least one outcome" in response.content.decode()


def test_a_service_refusal_shows_against_its_outcome(ready, client):
    ready.rate(ready.outcomes[1], achieved_on=months_ago(7))
    ready.sustain_all()
    client.force_login(ready.worker)
    data = {
        "o0-rating": "not_achieved",
        "o0-evidence": "No change.",
        "o1-rating": "partly_achieved",
        "o1-evidence": "Rewritten after the check.",
    }
    response = client.post(reverse("outcomes:rate", args=[ready.family.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "sustain check for this outcome has been recorded" in html
    assert 'href="#id_o1-rating"' in html
    assert OutcomeRating.objects.count() == 1


def test_a_family_without_a_plan_has_nothing_to_rate_on_the_page(programme, client):
    made = programme()
    client.force_login(made.worker)
    url = reverse("outcomes:rate", args=[made.family.pk])
    assert "there is nothing to rate" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 200


def test_a_future_achieved_date_is_refused(ready, client):
    client.force_login(ready.worker)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    data = {"o0-rating": "achieved", "o0-evidence": "x", **_date("o0-achieved_on", tomorrow)}
    response = client.post(reverse("outcomes:rate", args=[ready.family.pk]), data)
    assert "Date achieved must be today or in the past" in response.content.decode()
    assert not OutcomeRating.objects.exists()


def test_who_may_open_the_rate_page(ready, world, client):
    url = reverse("outcomes:rate", args=[ready.family.pk])
    for user, status in (
        (world.practitioner, 200),
        (world.manager, 200),
        (world.practitioner_south, 404),
        (world.duty, 404),
        (world.admin, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    ready.close()
    client.force_login(world.manager)
    assert client.get(url).status_code == 200
    client.force_login(world.practitioner)
    assert client.get(url).status_code == 404


def test_the_rating_page_shows_the_rating_and_its_earlier_versions(ready, client):
    outcome = ready.outcomes[0]
    ready.rate(outcome, rating="partly_achieved", evidence="First view of progress.")
    rating = ready.rate(outcome, evidence="Second view: fully achieved.")
    client.force_login(ready.manager)
    response = client.get(reverse("outcomes:rating", args=[ready.family.pk, rating.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Second view: fully achieved." in html
    assert "Earlier ratings of this outcome" in html and "First view of progress." in html
    check = SustainCheck.objects.get()
    assert reverse("outcomes:sustain_check", args=[ready.family.pk, check.pk]) in html


def test_ratings_and_checks_link_from_the_family_timeline(ready):
    ready.achieve_all()
    ready.sustain_all()
    entries = TimelineEntry.objects.filter(family=ready.family, kind="outcome")
    hrefs = {line.href for line in timeline.lines(entries)}
    for rating in OutcomeRating.objects.all():
        assert reverse("outcomes:rating", args=[ready.family.pk, rating.pk]) in hrefs
    for check in SustainCheck.objects.all():
        assert reverse("outcomes:sustain_check", args=[ready.family.pk, check.pk]) in hrefs


def test_a_check_not_yet_due_cannot_be_recorded_on_its_page(ready, client):
    ready.rate(ready.outcomes[0], achieved_on=months_ago(1))
    check = SustainCheck.objects.get()
    url = reverse("outcomes:sustain_check", args=[ready.family.pk, check.pk])
    client.force_login(ready.worker)
    page = client.get(url).content.decode()
    assert "This check is not due yet" in page and 'name="result"' not in page
    response = client.post(url, {"result": "sustained", "evidence": "Too early."})
    assert response.status_code == 200
    assert "is not due until" in response.content.decode()
    check.refresh_from_db()
    assert check.result == ""


def test_the_former_lead_records_a_due_check_after_closure(ready, world, client):
    ready.achieve_all()
    ready.close()
    check = ready.checks()[0]
    client.force_login(world.practitioner)
    assert client.get(reverse("casework:family", args=[ready.family.pk])).status_code == 404
    due = client.get(reverse("outcomes:sustain_due")).content.decode()
    url = reverse("outcomes:sustain_check", args=[ready.family.pk, check.pk])
    assert url in due and ready.family.reference in due
    response = client.post(url, {"result": "sustained", "evidence": "Still attending every day."})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.result, check.checked_by) == ("sustained", world.practitioner)
    page = client.get(url).content.decode()
    assert "Correct the result" in page and "Still attending every day." in page


def test_a_missing_result_is_explained(ready, client):
    ready.rate(ready.outcomes[0])
    check = SustainCheck.objects.get()
    client.force_login(ready.worker)
    response = client.post(
        reverse("outcomes:sustain_check", args=[ready.family.pk, check.pk]),
        {"evidence": "Kept evidence."},
    )
    html = response.content.decode()
    assert "Choose sustained or not sustained" in html and "Kept evidence." in html


def test_the_due_list_shows_due_checks_and_upcoming_ones_apart(ready, client):
    first, second, _ = ready.outcomes
    ready.rate(first, achieved_on=months_ago(8))
    ready.rate(second, achieved_on=months_ago(1))
    overdue, upcoming = ready.checks()
    client.force_login(ready.manager)
    due_page = client.get(reverse("outcomes:sustain_due")).content.decode()
    assert str(overdue.pk) in due_page and str(upcoming.pk) not in due_page
    assert "Overdue" in due_page
    later_page = client.get(reverse("outcomes:sustain_due"), {"show": "upcoming"}).content.decode()
    assert str(upcoming.pk) in later_page and str(overdue.pk) not in later_page
    assert "Not yet due" in later_page


def test_the_due_list_is_for_case_workers_only(world, client):
    for user in (world.duty, world.dpo, world.analyst, world.admin, world.partner):
        client.force_login(user)
        assert client.get(reverse("outcomes:sustain_due")).status_code == 403


def _due_families(programme, count):
    for _ in range(count):
        made = programme()
        made.make_plan(headlines=["secure_housing"])
        made.rate(made.outcomes[0], achieved_on=months_ago(7))


@pytest.mark.parametrize("rows", [2, 6])
def test_the_due_list_query_count_does_not_grow(
    world, programme, client, rows, django_assert_num_queries
):
    _due_families(programme, rows)
    client.force_login(world.manager)
    with django_assert_num_queries(DUE_QUERIES[connection.vendor]):
        response = client.get(reverse("outcomes:sustain_due"))
    assert response.content.decode().count("/sustain-checks/") == rows


def test_the_due_list_paginates(world, programme, client, monkeypatch):
    monkeypatch.setattr("earlyhelp.outcomes.views.PER_PAGE", 2)
    _due_families(programme, 3)
    client.force_login(world.manager)
    first = client.get(reverse("outcomes:sustain_due")).content.decode()
    second = client.get(reverse("outcomes:sustain_due"), {"page": 2}).content.decode()
    assert first.count("/sustain-checks/") == 2 and second.count("/sustain-checks/") == 1
    assert "page=2" in first


def test_the_claim_page_gives_the_status_its_reasons_and_says_it_is_advice(ready, client):
    ready.rate(ready.outcomes[0])
    client.force_login(ready.worker)
    response = client.get(reverse("outcomes:claim", args=[ready.family.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "In progress" in html and "2 outcomes not yet rated" in html
    assert "no automated decision is made" in html
    assert reverse("outcomes:rate", args=[ready.family.pk]) in html


def test_the_claim_page_is_behind_the_family_gatekeeper(ready, world, client):
    client.force_login(world.practitioner_south)
    assert client.get(reverse("outcomes:claim", args=[ready.family.pk])).status_code == 404
