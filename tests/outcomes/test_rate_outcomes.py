"""rate_outcome / rate_outcomes: ratings with evidence, history, and the sustain check."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.outcomes.dates import add_months
from earlyhelp.outcomes.models import OutcomeRating, SustainCheck
from earlyhelp.outcomes.services import RatingInput, rate_outcomes, record_sustain_check
from earlyhelp.plans.services import ProgressInput, ReviewInput, record_review
from tests.outcomes.conftest import DESCRIPTIONS, months_ago

pytestmark = pytest.mark.django_db


def test_an_achieved_outcome_gets_a_sustain_check_due_six_calendar_months_later(ready):
    outcome = ready.outcomes[0]
    achieved_on = months_ago(2)
    rating = ready.rate(outcome, achieved_on=achieved_on)
    assert (rating.rating, rating.achieved_on, rating.episode) == (
        "achieved",
        achieved_on,
        ready.episode,
    )
    check = SustainCheck.objects.get(rating=rating)
    assert check.family == ready.family
    assert check.due_on == add_months(achieved_on, 6)
    assert check.result == "" and check.checked_on is None


def test_the_due_date_follows_the_configured_sustain_period(ready, settings):
    settings.EARLYHELP_SUSTAIN_MONTHS = 3
    achieved_on = months_ago(1)
    rating = ready.rate(ready.outcomes[0], achieved_on=achieved_on)
    assert rating.sustain_checks.get().due_on == add_months(achieved_on, 3)


@pytest.mark.parametrize("rating", ["partly_achieved", "not_achieved"])
def test_an_outcome_not_achieved_has_no_sustain_check(ready, rating):
    result = ready.rate(ready.outcomes[0], rating=rating)
    assert result.achieved_on is None
    assert not SustainCheck.objects.exists()


def test_re_rating_replaces_the_rating_and_keeps_the_earlier_one_in_history(ready):
    outcome = ready.outcomes[0]
    first = ready.rate(outcome, rating="partly_achieved", evidence="Attendance 85%.")
    second = ready.rate(outcome, achieved_on=months_ago(1), actor=ready.manager)
    assert first.pk == second.pk
    assert OutcomeRating.objects.count() == 1
    history = list(second.history.order_by("history_date"))
    assert [h.rating for h in history] == ["partly_achieved", "achieved"]
    assert history[0].evidence == "Attendance 85%."
    assert history[1].history_user == ready.manager


def test_rating_again_with_nothing_changed_writes_nothing(ready):
    outcome = ready.outcomes[0]
    achieved_on = months_ago(1)
    ready.rate(outcome, achieved_on=achieved_on)
    events = AuditEvent.objects.count()
    rating = ready.rate(outcome, achieved_on=achieved_on)
    assert rating.history.count() == 1
    assert AuditEvent.objects.count() == events


def test_changing_away_from_achieved_removes_the_unrecorded_check(ready):
    outcome = ready.outcomes[0]
    ready.rate(outcome, achieved_on=months_ago(1))
    check = SustainCheck.objects.get()
    ready.rate(outcome, rating="not_achieved")
    assert not SustainCheck.objects.exists()
    assert check.history.filter(history_type="-").count() == 1
    assert AuditEvent.objects.filter(
        object_type="sustain_check", object_id=str(check.pk), action="delete"
    ).exists()


def test_a_new_achieved_date_moves_the_unrecorded_check(ready):
    outcome = ready.outcomes[0]
    ready.rate(outcome, achieved_on=months_ago(3))
    check = SustainCheck.objects.get()
    later = months_ago(1)
    ready.rate(outcome, achieved_on=later)
    check.refresh_from_db()
    assert SustainCheck.objects.count() == 1
    assert check.due_on == add_months(later, 6)


def test_once_the_check_is_recorded_achievement_cannot_be_rewritten(ready):
    outcome = ready.outcomes[0]
    achieved_on = months_ago(7)
    ready.rate(outcome, achieved_on=achieved_on)
    record_sustain_check(
        actor=ready.worker, check=SustainCheck.objects.get(), result="sustained", evidence="Held."
    )
    with pytest.raises(Conflict, match="sustain check for this outcome has been recorded"):
        ready.rate(outcome, rating="partly_achieved")
    with pytest.raises(Conflict):
        ready.rate(outcome, achieved_on=achieved_on + timedelta(days=1))
    corrected = ready.rate(outcome, achieved_on=achieved_on, evidence="Corrected evidence.")
    assert corrected.evidence == "Corrected evidence."
    assert SustainCheck.objects.get().result == "sustained"


def test_a_rating_after_a_plan_review_rates_the_same_outcome_not_a_new_one(ready):
    outcome = ready.outcomes[0]
    ready.rate(outcome, rating="partly_achieved")
    version = ready.plan.versions.get()
    record_review(
        actor=ready.worker,
        plan=ready.plan,
        data=ReviewInput(
            held_on=timezone.localdate(),
            summary="Review held with the family.",
            change_summary="Outcomes carried forward.",
            progress=[
                ProgressInput(outcome=o.pk, rating="some_progress") for o in version.outcomes.all()
            ],
        ),
    )
    copied = ready.outcomes[0]
    assert copied.pk != outcome.pk and copied.lineage == outcome.lineage
    rating = ready.rate(copied, achieved_on=months_ago(1))
    assert OutcomeRating.objects.count() == 1
    assert rating.plan_outcome == copied
    with pytest.raises(InvalidInput) as refused:
        ready.rate(outcome, rating="not_achieved")
    assert refused.value.field == "plan_outcome_id"


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (dict(rating="achieved", evidence="", achieved_on=None), "evidence", "evidence"),
        (dict(rating="achieved", evidence="Held.", achieved_on=None), "achieved_on", "date"),
        (
            dict(rating="achieved", evidence="Held.", achieved_on="tomorrow"),
            "achieved_on",
            "today or in the past",
        ),
        (dict(rating="mostly", evidence="Held.", achieved_on=None), "rating", "Choose"),
    ],
)
def test_bad_input_names_the_item_and_field_and_saves_nothing(ready, item, field, message):
    if item["achieved_on"] == "tomorrow":
        item["achieved_on"] = timezone.localdate() + timedelta(days=1)
    first, second = ready.outcomes[:2]
    items = [
        RatingInput(plan_outcome_id=first.pk, rating="not_achieved", evidence="No change."),
        RatingInput(plan_outcome_id=second.pk, **item),
    ]
    with pytest.raises(InvalidInput, match=message) as refused:
        rate_outcomes(actor=ready.worker, family=ready.family, items=items)
    assert refused.value.field == f"ratings.1.{field}"
    assert not OutcomeRating.objects.exists()


def test_rating_writes_the_timeline_and_an_audit_event_without_personal_data(ready):
    outcome = ready.outcomes[0]
    rating = ready.rate(outcome, achieved_on=months_ago(1))
    entry = TimelineEntry.objects.get(object_type="outcome_rating", object_id=str(rating.pk))
    assert entry.kind == "outcome" and entry.link_name == "outcomes:rating"
    assert entry.title == "Outcome achieved: Getting a good education"
    assert "Sustain check due on" in entry.summary
    assert set(entry.people.values_list("pk", flat=True)) == set(
        outcome.people.values_list("pk", flat=True)
    )
    ready.rate(outcome, rating="partly_achieved", evidence="Attendance slipped again.")
    entry.refresh_from_db()
    assert entry.title == "Outcome partly achieved: Getting a good education"
    assert entry.summary == "Attendance slipped again."
    events = AuditEvent.objects.filter(object_type="outcome_rating", object_id=str(rating.pk))
    assert [e.action for e in events.order_by("seq")] == ["create", "update"]
    text = json.dumps(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert DESCRIPTIONS["getting_a_good_education"] not in text
    assert "Attendance" not in text


def test_only_the_people_working_the_episode_rate_while_it_is_open(ready, world):
    outcome = ready.outcomes[0]
    for outsider in (world.practitioner_south, world.manager_south, world.duty, world.dpo):
        with pytest.raises(PermissionDenied):
            ready.rate(outcome, actor=outsider)
    assert ready.rate(outcome, actor=world.manager).rated_by == world.manager


def test_after_closure_only_the_team_manager_can_complete_a_rating(ready, world):
    ready.close()
    outcome = ready.outcomes[0]
    with pytest.raises(PermissionDenied):
        ready.rate(outcome, actor=world.practitioner)
    rating = ready.rate(outcome, actor=world.manager)
    assert rating.episode == ready.episode


def test_a_family_without_a_plan_has_nothing_to_rate(programme):
    made = programme()
    with pytest.raises(Conflict, match="no plan"):
        rate_outcomes(actor=made.worker, family=made.family, items=[])
