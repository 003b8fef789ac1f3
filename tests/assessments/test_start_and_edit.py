"""start_assessment and update_assessment: who, when, one in progress, drafts only, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.assessments import services
from earlyhelp.assessments.models import Assessment
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from tests.api.conftest import last_seq
from tests.assessments.conftest import STARTED, start, submitted

pytestmark = pytest.mark.django_db


def test_the_lead_practitioner_starts_a_draft_for_the_open_episode(world, case, settings):
    settings.EARLYHELP_COUNCIL_NAME = "Otherborough Council"
    seq = last_seq()
    assessment = start(world, case)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.episode == case.episode and assessment.family == case.family
    assert assessment.started_on == STARTED and assessment.completed_on is None
    assert assessment.organisation == "Otherborough Council"
    assert assessment.created_by == world.practitioner
    event = AuditEvent.objects.get(seq__gt=seq, object_type="assessment")
    assert (event.action, event.object_id) == (Action.CREATE, str(assessment.pk))
    entry = TimelineEntry.objects.get(object_type="assessment", object_id=str(assessment.pk))
    assert entry.kind == "assessment" and entry.link_name == "assessments:detail"
    assert entry.title == "Early Help assessment started"
    [line] = timeline.lines([entry])
    assert line.href == reverse("assessments:detail", args=[case.family.pk, assessment.pk])
    assert assessment.history.count() == 1
    assert assessment.history.first().history_user == world.practitioner


def test_a_named_organisation_is_kept(world, case):
    assessment = services.start_assessment(
        actor=world.practitioner,
        family=case.family,
        started_on=STARTED,
        organisation="  Brookfield Primary School  ",
    )
    assert assessment.organisation == "Brookfield Primary School"


def test_a_manager_of_the_team_can_start_one(world, case):
    assert start(world, case, world.manager).is_draft


@pytest.mark.parametrize("who", ["practitioner_south", "manager_south", "duty", "dpo", "admin"])
def test_anyone_outside_the_episode_is_refused(world, case, who):
    with pytest.raises(PermissionDenied):
        start(world, case, getattr(world, who))
    assert not Assessment.objects.exists()


def test_a_closed_family_cannot_start_one(world):
    family, _ = world.closed_family()
    with pytest.raises(Conflict, match="no open episode"):
        services.start_assessment(actor=world.manager, family=family, started_on=STARTED)


def test_one_assessment_in_progress_per_episode(world, case):
    start(world, case)
    with pytest.raises(Conflict, match="already in progress"):
        start(world, case)
    assert Assessment.objects.count() == 1


def test_a_submitted_one_still_blocks_a_second(world, case):
    submitted(world, case)
    with pytest.raises(Conflict):
        start(world, case)


def test_a_new_one_can_start_once_the_last_is_authorised(world, case):
    assessment = submitted(world, case)
    services.authorise_assessment(actor=world.manager, assessment=assessment)
    assert start(world, case).is_draft
    assert Assessment.objects.count() == 2


def test_the_start_date_cannot_be_in_the_future(world, case):
    with pytest.raises(InvalidInput) as caught:
        services.start_assessment(
            actor=world.practitioner,
            family=case.family,
            started_on=timezone.localdate() + timedelta(days=1),
        )
    assert caught.value.field == "started_on"


def test_a_draft_is_edited_and_only_changed_fields_are_audited(world, case):
    assessment = start(world, case)
    seq = last_seq()
    services.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=services.AssessmentChanges(
            strengths="  Grandparents help with the school run.  ",
            child_views="I like football.",
            started_on=STARTED,
        ),
    )
    assessment.refresh_from_db()
    assert assessment.strengths == "Grandparents help with the school run."
    assert assessment.child_views == "I like football."
    event = AuditEvent.objects.get(seq__gt=seq)
    assert event.action == Action.UPDATE
    assert event.detail == {"fields": ["child_views", "strengths"]}
    assert assessment.history.count() == 2


def test_an_empty_organisation_is_refused(world, case):
    assessment = start(world, case)
    with pytest.raises(InvalidInput) as caught:
        services.update_assessment(
            actor=world.practitioner,
            assessment=assessment,
            changes=services.AssessmentChanges(organisation="   "),
        )
    assert caught.value.field == "organisation"


def test_only_a_draft_can_be_edited(world, case):
    assessment = submitted(world, case)
    with pytest.raises(Conflict, match="Only a draft"):
        services.update_assessment(
            actor=world.practitioner,
            assessment=assessment,
            changes=services.AssessmentChanges(analysis="Changed after submitting"),
        )
    assessment.refresh_from_db()
    assert assessment.analysis == ""


def test_someone_outside_the_team_cannot_edit(world, case):
    assessment = start(world, case)
    with pytest.raises(PermissionDenied):
        services.update_assessment(
            actor=world.practitioner_south,
            assessment=assessment,
            changes=services.AssessmentChanges(analysis="Not mine to write"),
        )
