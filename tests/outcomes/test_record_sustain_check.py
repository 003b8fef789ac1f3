"""record_sustain_check: only once due, with evidence; corrections keep history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.core.formatting import date_uk
from earlyhelp.outcomes.models import SustainCheck
from earlyhelp.outcomes.services import record_sustain_check
from tests.outcomes.conftest import months_ago

pytestmark = pytest.mark.django_db


def test_recording_before_the_due_date_is_refused_with_the_date(ready):
    ready.rate(ready.outcomes[0], achieved_on=months_ago(5))
    check = SustainCheck.objects.get()
    with pytest.raises(Conflict) as refused:
        record_sustain_check(
            actor=ready.worker, check=check, result="sustained", evidence="Still going."
        )
    assert f"not due until {date_uk(check.due_on)}" in refused.value.message
    check.refresh_from_db()
    assert check.result == ""


def test_on_the_due_date_the_check_is_recorded(ready, settings):
    settings.EARLYHELP_SUSTAIN_MONTHS = 6
    ready.rate(ready.outcomes[0], achieved_on=months_ago(6))
    check = SustainCheck.objects.get()
    assert check.due_on == timezone.localdate()
    recorded = record_sustain_check(
        actor=ready.worker, check=check, result="not_sustained", evidence="Absent again."
    )
    assert (recorded.result, recorded.checked_on, recorded.checked_by) == (
        "not_sustained",
        timezone.localdate(),
        ready.worker,
    )


def test_the_date_of_the_check_cannot_be_before_due_or_in_the_future(ready):
    ready.rate(ready.outcomes[0], achieved_on=months_ago(8))
    check = SustainCheck.objects.get()
    for checked_on, message in (
        (check.due_on - timedelta(days=1), "on or after the due date"),
        (timezone.localdate() + timedelta(days=1), "today or in the past"),
    ):
        with pytest.raises(InvalidInput, match=message) as refused:
            record_sustain_check(
                actor=ready.worker,
                check=check,
                result="sustained",
                evidence="Held.",
                checked_on=checked_on,
            )
        assert refused.value.field == "checked_on"
    recorded = record_sustain_check(
        actor=ready.worker,
        check=check,
        result="sustained",
        evidence="Held.",
        checked_on=check.due_on,
    )
    assert recorded.checked_on == check.due_on


@pytest.mark.parametrize(
    ("result", "evidence", "field"),
    [("", "Held.", "result"), ("maybe", "Held.", "result"), ("sustained", "  ", "evidence")],
)
def test_a_result_and_evidence_are_required(ready, result, evidence, field):
    ready.rate(ready.outcomes[0])
    with pytest.raises(InvalidInput) as refused:
        record_sustain_check(
            actor=ready.worker, check=SustainCheck.objects.get(), result=result, evidence=evidence
        )
    assert refused.value.field == field


def test_recording_writes_the_timeline_and_a_correction_updates_it(ready):
    outcome = ready.outcomes[0]
    ready.rate(outcome)
    check = SustainCheck.objects.get()
    record_sustain_check(actor=ready.worker, check=check, result="sustained", evidence="Held.")
    entry = TimelineEntry.objects.get(object_type="sustain_check")
    assert (entry.kind, entry.object_id, entry.link_name) == (
        "outcome",
        str(check.pk),
        "outcomes:sustain_check",
    )
    assert entry.title == "Sustain check: sustained (Getting a good education)"
    assert set(entry.people.values_list("pk", flat=True)) == set(
        outcome.people.values_list("pk", flat=True)
    )
    record_sustain_check(
        actor=ready.manager, check=check, result="not_sustained", evidence="Dropped off."
    )
    entry.refresh_from_db()
    assert TimelineEntry.objects.filter(object_type="sustain_check").count() == 1
    assert entry.title == "Sustain check: not sustained (Getting a good education)"
    check.refresh_from_db()
    assert [h.result for h in check.history.order_by("history_date")] == [
        "",
        "sustained",
        "not_sustained",
    ]
    changes = AuditEvent.objects.filter(object_type="sustain_check", action="update")
    assert [e.detail["change"] for e in changes.order_by("seq")] == ["recorded", "corrected"]


def test_after_closure_the_former_lead_and_the_manager_record_others_cannot(ready, world):
    ready.achieve_all()
    ready.close()
    first, second, third = ready.checks()
    for outsider in (world.practitioner_south, world.manager_south, world.duty, world.dpo):
        with pytest.raises(PermissionDenied):
            record_sustain_check(actor=outsider, check=first, result="sustained", evidence="x")
    assert (
        record_sustain_check(
            actor=world.practitioner, check=first, result="sustained", evidence="Held."
        ).checked_by
        == world.practitioner
    )
    assert (
        record_sustain_check(
            actor=world.manager, check=second, result="sustained", evidence="Held."
        ).checked_by
        == world.manager
    )
    assert third.result == ""
