"""record_review: the reviewed version is kept, the next one is a copy with the changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput
from earlyhelp.plans import services
from earlyhelp.plans.models import PlanReview, PlanVersion, ReviewProgress

pytestmark = pytest.mark.django_db


def _data(version, **overrides):
    data = {
        "held_on": timezone.localdate(),
        "summary": "Attendance is up; mornings still hard.",
        "change_summary": "Routine chart done; school adds a breakfast club place.",
        "progress": [
            services.ProgressInput(outcome=o.pk, rating="some_progress", note="Better.")
            for o in version.outcomes.all()
        ],
    }
    data.update(overrides)
    return services.ReviewInput(**data)


def _snapshot(version):
    return {
        "outcomes": sorted(
            (o.lineage, o.headline_code, o.description, tuple(sorted(p.pk for p in o.people.all())))
            for o in version.outcomes.all()
        ),
        "actions": sorted(
            (a.lineage, a.what, a.status, a.owner_person_id, a.owner_contact_id, a.due_on)
            for a in version.actions.all()
        ),
        "members": sorted(
            (m.lineage, m.contact_id, m.person_id, m.role_in_plan) for m in version.members.all()
        ),
    }


def test_a_review_makes_the_next_version_and_keeps_the_old_one(world, plan, setup):
    old = services.current_version(plan)
    before = _snapshot(old)
    education = old.outcomes.get(headline_code="getting_a_good_education")
    chart = old.actions.get(owner_person=setup.parent)
    review = services.record_review(
        actor=world.practitioner,
        plan=plan,
        data=_data(
            old,
            action_statuses={chart.pk: "done"},
            outcome_descriptions={education.pk: "Zoë is in school every day, on time, fed."},
            new_actions=[
                services.ActionInput(
                    what="Breakfast club place",
                    due_on=timezone.localdate() + timedelta(days=7),
                    owner_contact=setup.teacher.pk,
                    outcome=education.pk,
                )
            ],
        ),
    )
    new = services.current_version(plan)
    assert (old.number, new.number) == (1, 2)
    assert new.review == review and review.reviewed_version == old
    assert new.change_summary == "Routine chart done; school adds a breakfast club place."
    # The old version is exactly as it was.
    assert _snapshot(old) == before
    # The new one carries every row with its lineage, and the review's changes.
    after = _snapshot(new)
    assert {row[0] for row in after["outcomes"]} == {row[0] for row in before["outcomes"]}
    assert after["members"] == before["members"]
    new_education = new.outcomes.get(lineage=education.lineage)
    assert new_education.description == "Zoë is in school every day, on time, fed."
    assert list(new_education.people.all()) == [setup.child]
    assert new.actions.get(lineage=chart.lineage).status == "done"
    assert old.actions.get(pk=chart.pk).status == "not_started"
    added = next(a for a in new.actions.all() if a.what == "Breakfast club place")
    assert added.outcome == new_education
    assert added.lineage not in {a.lineage for a in old.actions.all()}
    # Copied actions point at the copied outcomes, not at the old version's.
    assert all(a.outcome.version_id == new.pk for a in new.actions.all() if a.outcome)
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_progress_is_recorded_per_outcome_of_the_reviewed_version(world, plan):
    old = services.current_version(plan)
    review = services.record_review(actor=world.practitioner, plan=plan, data=_data(old))
    rows = ReviewProgress.objects.filter(review=review)
    assert {r.outcome_id for r in rows} == set(old.outcomes.values_list("pk", flat=True))
    assert {r.rating for r in rows} == {"some_progress"}


def test_a_review_moves_the_next_review_date(world, plan):
    held_on = timezone.localdate() - timedelta(days=3)
    version = services.current_version(plan)
    PlanVersion.objects.filter(pk=version.pk).update(created_at=timezone.now() - timedelta(days=30))
    services.record_review(
        actor=world.practitioner, plan=plan, data=_data(version, held_on=held_on)
    )
    plan.refresh_from_db()
    assert plan.next_review_due == held_on + timedelta(weeks=6)
    services.record_review(
        actor=world.practitioner,
        plan=plan,
        data=_data(services.current_version(plan), review_interval_weeks=10),
    )
    plan.refresh_from_db()
    assert plan.review_interval_weeks == 10
    assert plan.next_review_due == timezone.localdate() + timedelta(weeks=10)
    assert plan.history.count() == 3


def test_every_outcome_needs_a_progress_rating(world, plan):
    version = services.current_version(plan)
    first = version.outcomes.first()
    partial = [services.ProgressInput(outcome=first.pk, rating="on_track")]
    with pytest.raises(InvalidInput) as error:
        services.record_review(
            actor=world.practitioner, plan=plan, data=_data(version, progress=partial)
        )
    assert error.value.field == "progress"
    bad = [services.ProgressInput(outcome=o.pk, rating="brilliant") for o in version.outcomes.all()]
    with pytest.raises(InvalidInput):
        services.record_review(
            actor=world.practitioner, plan=plan, data=_data(version, progress=bad)
        )
    assert not PlanReview.objects.exists()


def test_review_dates_and_summaries_are_checked(world, plan):
    version = services.current_version(plan)
    tomorrow = timezone.localdate() + timedelta(days=1)
    for overrides, field in [
        ({"held_on": tomorrow}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"summary": " "}, "summary"),
        ({"change_summary": ""}, "change_summary"),
    ]:
        with pytest.raises(InvalidInput) as error:
            services.record_review(
                actor=world.practitioner, plan=plan, data=_data(version, **overrides)
            )
        assert error.value.field == field
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_a_version_is_reviewed_once(world, plan):
    old = services.current_version(plan)
    services.record_review(actor=world.practitioner, plan=plan, data=_data(old))
    # A second review "of version 1" (say, from a stale form) names version 1's outcomes.
    with pytest.raises(InvalidInput):
        services.record_review(actor=world.practitioner, plan=plan, data=_data(old))
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_reviews_are_audited_and_on_the_timeline(world, plan):
    version = services.current_version(plan)
    review = services.record_review(actor=world.practitioner, plan=plan, data=_data(version))
    new = services.current_version(plan)
    review_entry = TimelineEntry.objects.get(object_type="plan_review", object_id=str(review.pk))
    assert (review_entry.kind, review_entry.link_name) == ("review", "plans:review_detail")
    version_entry = TimelineEntry.objects.get(object_type="plan_version", object_id=str(new.pk))
    assert (version_entry.kind, version_entry.link_name) == ("plan", "plans:version")
    assert AuditEvent.objects.get(object_type="plan_review").detail == {
        "reviewed_version": 1,
        "outcomes": 2,
    }
    assert AuditEvent.objects.filter(object_type="plan_version", action="create").count() == 1


def test_a_closed_plan_is_not_reviewed(world, plan):
    plan.status = "closed"
    plan.save()
    with pytest.raises(Conflict):
        services.record_review(
            actor=world.practitioner, plan=plan, data=_data(services.current_version(plan))
        )
