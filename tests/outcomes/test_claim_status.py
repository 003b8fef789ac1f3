"""claim_status: each status from the records and the configured programme rules."""

from __future__ import annotations

import pytest

from earlyhelp.core.formatting import date_uk
from earlyhelp.outcomes.services import claim_status
from tests.outcomes.conftest import HEADLINES, months_ago

pytestmark = pytest.mark.django_db


def test_no_authorised_assessment_is_not_assessed(programme):
    made = programme()
    status = claim_status(made.family)
    assert status.code == "not_assessed"
    assert status.reasons == ["No authorised whole-family assessment"]


def test_needs_under_too_few_headlines_is_not_eligible(programme):
    made = programme()
    made.assess(headlines=HEADLINES[:2])
    status = claim_status(made.family)
    assert status.code == "not_eligible"
    assert status.label == "Not eligible for the programme"
    assert status.reasons == ["Needs under 2 headlines; the programme needs 3"]


def test_the_headline_threshold_is_configuration(programme, settings):
    made = programme()
    made.assess(headlines=HEADLINES[:2])
    settings.EARLYHELP_PROGRAMME_MIN_HEADLINES = 2
    assert claim_status(made.family).code == "in_progress"
    settings.EARLYHELP_PROGRAMME_MIN_HEADLINES = 5
    assert claim_status(made.family).reasons == ["Needs under 2 headlines; the programme needs 5"]


def test_eligible_without_a_plan_is_in_progress(programme):
    made = programme()
    made.assess()
    status = claim_status(made.family)
    assert status.code == "in_progress"
    assert "No family plan" in status.reasons


def test_no_lead_practitioner_is_a_reason(programme):
    made = programme(team="south", lead=False)
    made.assess()
    made.make_plan()
    assert "No lead practitioner" in claim_status(made.family).reasons


def test_unrated_outcomes_and_uncovered_needs_are_counted(programme):
    made = programme()
    made.assess(headlines=HEADLINES[:3])
    made.make_plan(headlines=HEADLINES[:2])
    made.rate(made.outcomes[0], achieved_on=months_ago(1))
    status = claim_status(made.family)
    assert status.code == "in_progress"
    assert status.reasons == [
        "No outcome in the family plan for the need “Secure housing”",
        "1 outcome not yet rated",
        f"1 sustain check due on {date_uk(made.checks()[0].due_on)}",
    ]


def test_partly_achieved_while_open_is_still_in_progress(ready):
    ready.rate(ready.outcomes[0], rating="partly_achieved")
    status = claim_status(ready.family)
    assert status.code == "in_progress"
    assert any(r.startswith("Outcome “Ottilie goes to school") for r in status.reasons)
    assert any(r.endswith("partly achieved") for r in status.reasons)


def test_all_achieved_waits_for_the_sustain_checks(ready):
    ready.achieve_all(achieved_on=months_ago(2))
    due = ready.checks()[0].due_on
    status = claim_status(ready.family)
    assert status.code == "awaiting_sustain"
    assert status.reasons == [f"3 sustain checks due on {date_uk(due)}"]


def test_checks_due_on_different_dates_are_listed_by_date(ready):
    first, second, third = ready.outcomes
    ready.rate(first, achieved_on=months_ago(2))
    ready.rate(second, achieved_on=months_ago(2))
    ready.rate(third, achieved_on=months_ago(3))
    early, *_, late = ready.checks()
    assert claim_status(ready.family).reasons == [
        f"1 sustain check due on {date_uk(early.due_on)}",
        f"2 sustain checks due on {date_uk(late.due_on)}",
    ]


def test_achieved_and_sustained_after_closure_is_claimable(ready):
    ready.achieve_all()
    ready.close()
    ready.sustain_all()
    status = claim_status(ready.family)
    assert (status.code, status.label, status.reasons) == ("claimable", "Can be claimed", [])


def test_an_outcome_not_sustained_is_not_claimable(ready):
    ready.achieve_all()
    ready.close()
    ready.sustain_all()
    from earlyhelp.outcomes.services import record_sustain_check

    record_sustain_check(
        actor=ready.manager, check=ready.checks()[0], result="not_sustained", evidence="Lapsed."
    )
    status = claim_status(ready.family)
    assert status.code == "not_claimable"
    assert len(status.reasons) == 1 and status.reasons[0].endswith("not sustained")


def test_an_outcome_not_achieved_at_closure_is_not_claimable(ready):
    first, second, third = ready.outcomes
    ready.rate(first)
    ready.rate(second)
    ready.rate(third, rating="not_achieved")
    ready.close()
    status = claim_status(ready.family)
    assert status.code == "not_claimable"
    assert status.reasons[0] == (
        "Outcome “Rent arrears cleared and the tenancy kept” (Secure housing) not achieved"
    )
    assert status.reasons[1].startswith("2 sustain checks due on")


def test_the_status_follows_the_records_not_a_stored_flag(ready):
    ready.achieve_all()
    ready.close()
    ready.sustain_all()
    assert claim_status(ready.family).code == "claimable"
    ready.rate(ready.outcomes[0], actor=ready.manager, evidence="Corrected evidence only.")
    assert claim_status(ready.family).code == "claimable"
    # A new episode starts the count again: its own assessment, plan and outcomes.
    from earlyhelp.casework.services import open_episode

    open_episode(actor=ready.world.duty, family=ready.family, team=ready.world.north, lead=None)
    assert claim_status(ready.family).code == "not_assessed"
