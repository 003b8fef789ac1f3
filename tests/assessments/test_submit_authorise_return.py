"""The state machine: submit, authorise (two people), return to draft; dates; timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.assessments import services
from earlyhelp.assessments.models import Assessment
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.casework.services import close_episode
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from tests.api.conftest import audit_text, last_seq
from tests.assessments.conftest import STARTED, ready, start, submitted

pytestmark = pytest.mark.django_db


def _timeline_titles(assessment: Assessment) -> list[str]:
    return list(
        TimelineEntry.objects.filter(object_type="assessment", object_id=str(assessment.pk))
        .order_by("occurred_at", "title")
        .values_list("title", flat=True)
    )


def test_submit_sets_the_completion_date_and_who_submitted(world, case):
    assessment = ready(world, case)
    seq = last_seq()
    services.submit_assessment(actor=world.practitioner, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.completed_on == timezone.localdate()
    assert assessment.submitted_by == world.practitioner and assessment.submitted_at
    event = AuditEvent.objects.get(seq__gt=seq)
    assert (event.action, event.detail) == (Action.UPDATE, {"change": "submitted"})
    entry = TimelineEntry.objects.get(title="Early Help assessment submitted for authorisation")
    assert entry.summary.startswith("Needs under 3 headlines: ")
    assert {p.pk for p in entry.people.all()} == {case.child.pk, case.parent.pk}


def test_a_completion_date_can_be_given_but_not_before_the_start(world, case):
    assessment = ready(world, case)
    with pytest.raises(InvalidInput) as caught:
        services.submit_assessment(
            actor=world.practitioner,
            assessment=assessment,
            completed_on=STARTED - timedelta(days=1),
        )
    assert caught.value.field == "completed_on"
    with pytest.raises(InvalidInput):
        services.submit_assessment(
            actor=world.practitioner,
            assessment=assessment,
            completed_on=timezone.localdate() + timedelta(days=1),
        )
    services.submit_assessment(
        actor=world.practitioner, assessment=assessment, completed_on=STARTED
    )
    assessment.refresh_from_db()
    assert assessment.completed_on == STARTED


def test_the_database_refuses_a_completion_before_the_start(world, case):
    from django.db import IntegrityError, transaction

    assessment = start(world, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(completed_on=STARTED - timedelta(days=1))


def test_submitting_needs_a_need_or_an_explicit_no_needs_conclusion(world, case):
    assessment = start(world, case)
    services.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=services.AssessmentChanges(conclusion="Nothing to support."),
    )
    with pytest.raises(InvalidInput) as caught:
        services.submit_assessment(actor=world.practitioner, assessment=assessment)
    assert caught.value.field == "needs"
    services.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=services.AssessmentChanges(no_needs_identified=True),
    )
    services.submit_assessment(actor=world.practitioner, assessment=assessment)
    assert assessment.status == Assessment.Status.SUBMITTED
    assert TimelineEntry.objects.get(title__contains="submitted").summary == "No needs identified"


def test_no_needs_cannot_be_concluded_when_needs_are_recorded(world, case):
    assessment = ready(world, case)
    services.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=services.AssessmentChanges(no_needs_identified=True),
    )
    with pytest.raises(InvalidInput) as caught:
        services.submit_assessment(actor=world.practitioner, assessment=assessment)
    assert caught.value.field == "no_needs_identified"


def test_submitting_needs_a_conclusion(world, case):
    assessment = ready(world, case)
    services.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=services.AssessmentChanges(conclusion=""),
    )
    with pytest.raises(InvalidInput) as caught:
        services.submit_assessment(actor=world.practitioner, assessment=assessment)
    assert caught.value.field == "conclusion"
    assert Assessment.objects.get().status == Assessment.Status.DRAFT


def test_a_submitted_assessment_cannot_be_submitted_again(world, case):
    assessment = submitted(world, case)
    with pytest.raises(Conflict):
        services.submit_assessment(actor=world.practitioner, assessment=assessment)


def test_a_manager_who_did_not_submit_authorises(world, case):
    assessment = submitted(world, case)
    seq = last_seq()
    services.authorise_assessment(actor=world.manager, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert assessment.authorised_by == world.manager and assessment.authorised_at
    assert assessment.submitted_by == world.practitioner
    event = AuditEvent.objects.get(seq__gt=seq)
    assert (event.action, event.detail) == (Action.DECISION, {"change": "authorised"})
    assert _timeline_titles(assessment) == [
        "Early Help assessment started",
        "Early Help assessment submitted for authorisation",
        "Early Help assessment authorised",
    ]
    assert [h.status for h in assessment.history.order_by("history_date")][-2:] == [
        "submitted",
        "authorised",
    ]


def test_the_manager_who_submitted_cannot_authorise_it(world, case, second_manager):
    assessment = submitted(world, case, actor=world.manager)
    with pytest.raises(PermissionDenied, match="another team manager must authorise"):
        services.authorise_assessment(actor=world.manager, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    services.authorise_assessment(actor=second_manager, assessment=assessment)
    assert assessment.authorised_by == second_manager


@pytest.mark.parametrize("who", ["practitioner", "manager_south", "practitioner_south", "duty"])
def test_only_a_manager_of_the_team_authorises(world, case, who):
    assessment = submitted(world, case)
    with pytest.raises(PermissionDenied, match="manager of the allocated team"):
        services.authorise_assessment(actor=getattr(world, who), assessment=assessment)


def test_a_draft_or_an_authorised_assessment_cannot_be_authorised(world, case):
    assessment = ready(world, case)
    with pytest.raises(Conflict):
        services.authorise_assessment(actor=world.manager, assessment=assessment)
    services.submit_assessment(actor=world.practitioner, assessment=assessment)
    services.authorise_assessment(actor=world.manager, assessment=assessment)
    with pytest.raises(Conflict):
        services.authorise_assessment(actor=world.manager, assessment=assessment)


def test_a_submitted_assessment_of_a_closed_episode_can_still_be_authorised(world, case):
    assessment = submitted(world, case)
    close_episode(
        actor=world.manager, episode=case.episode, reason="needs_met", summary="Needs met."
    )
    services.authorise_assessment(actor=world.manager, assessment=assessment)
    assert assessment.status == Assessment.Status.AUTHORISED


def test_a_manager_returns_it_to_draft_with_a_comment(world, case):
    assessment = submitted(world, case)
    with pytest.raises(InvalidInput) as caught:
        services.return_assessment(actor=world.manager, assessment=assessment, comment="  ")
    assert caught.value.field == "comment"
    services.return_assessment(
        actor=world.manager, assessment=assessment, comment="Add the child's own views."
    )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.completed_on is None and assessment.submitted_by is None
    assert assessment.returned_by == world.manager
    assert assessment.returned_comment == "Add the child's own views."
    assert "child's own views" not in audit_text()
    entry = TimelineEntry.objects.get(title="Early Help assessment returned to draft")
    assert entry.summary == "Add the child's own views."
    # Back in draft, the practitioner edits and submits again.
    services.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=services.AssessmentChanges(child_views="I want my own room."),
    )
    services.submit_assessment(actor=world.practitioner, assessment=assessment)
    assert assessment.status == Assessment.Status.SUBMITTED


def test_returning_needs_a_manager_and_a_submitted_assessment(world, case):
    assessment = submitted(world, case)
    with pytest.raises(PermissionDenied):
        services.return_assessment(actor=world.practitioner, assessment=assessment, comment="x")
    services.authorise_assessment(actor=world.manager, assessment=assessment)
    with pytest.raises(Conflict):
        services.return_assessment(actor=world.manager, assessment=assessment, comment="x")


def test_nothing_goes_back_to_draft_once_the_episode_is_closed(world, case):
    assessment = submitted(world, case)
    close_episode(
        actor=world.manager, episode=case.episode, reason="needs_met", summary="Needs met."
    )
    with pytest.raises(Conflict, match="episode is closed"):
        services.return_assessment(actor=world.manager, assessment=assessment, comment="x")
