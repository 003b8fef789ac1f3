"""The plan pages over HTTP: start, edit, review, object, share, read earlier versions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.assessments.services import AssessedNeed
from earlyhelp.plans import needs, services
from earlyhelp.plans.models import FamilyPlan, PlanReview

pytestmark = pytest.mark.django_db

SEND_BUTTON = re.compile(r">\s*Send the plan\s*</button>")


def _date(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def test_starting_a_plan_suggests_the_assessed_needs(world, setup, client, monkeypatch):
    monkeypatch.setattr(
        needs,
        "assessed_needs",
        lambda family: [
            AssessedNeed(
                setup.child.pk, "getting_a_good_education", "Getting a good education", "high"
            ),
            AssessedNeed(setup.parent.pk, "secure_housing", "Secure housing", "medium"),
        ],
    )
    client.force_login(world.practitioner)
    url = reverse("plans:new", args=[setup.family.pk])
    page = client.get(url).content.decode()
    assert "Getting a good education: the outcome the family wants" in page
    assert "Assessed need for Zoë Quillfeather" in page
    bad = client.post(
        url,
        {"review_interval_weeks": "0", "outcome_getting_a_good_education": "In school daily."},
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "Enter a number of weeks between 1 and 52" in html
    assert "In school daily." in html and not FamilyPlan.objects.exists()
    response = client.post(
        url,
        {
            "review_interval_weeks": "8",
            "outcome_getting_a_good_education": "In school daily.",
            "measure_getting_a_good_education": "Attendance register",
            "outcome_secure_housing": "",
        },
    )
    plan = FamilyPlan.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[setup.family.pk, plan.pk])
    outcome = services.current_version(plan).outcomes.get()
    assert (outcome.headline_code, outcome.description) == (
        "getting_a_good_education",
        "In school daily.",
    )
    assert list(outcome.people.all()) == [setup.child]
    assert plan.review_interval_weeks == 8


def test_without_an_assessment_the_plan_starts_empty(world, setup, client):
    client.force_login(world.practitioner)
    url = reverse("plans:new", args=[setup.family.pk])
    assert "no authorised assessment" in client.get(url).content.decode()
    client.post(url, {"review_interval_weeks": "6"})
    assert services.current_version(FamilyPlan.objects.get()).outcomes.count() == 0


def test_adding_an_outcome_an_action_and_a_member(world, plan, setup, client):
    client.force_login(world.practitioner)
    args = [setup.family.pk, plan.pk]
    missing = client.post(
        reverse("plans:outcome_new", args=args),
        {"headline_code": "secure_housing", "description": "", "measure": "Tenancy signed"},
    )
    html = missing.content.decode()
    assert "Describe the outcome the family wants" in html and "Tenancy signed" in html
    client.post(
        reverse("plans:outcome_new", args=args),
        {
            "headline_code": "secure_housing",
            "description": "A secure home.",
            "people": [str(setup.parent.pk)],
        },
    )
    version = services.current_version(plan)
    housing = version.outcomes.get(headline_code="secure_housing")
    assert list(housing.people.all()) == [setup.parent]

    due = timezone.localdate() + timedelta(days=10)
    bad_date = client.post(
        reverse("plans:action_new", args=args),
        {
            "what": "Call the landlord",
            "owner": f"contact:{setup.nurse.pk}",
            "due_on-day": "31",
            "due_on-month": "2",
            "due_on-year": "2027",
        },
    )
    assert "By when? must be a real date" in bad_date.content.decode()
    client.post(
        reverse("plans:action_new", args=args),
        {
            "what": "Call the landlord",
            "owner": f"contact:{setup.nurse.pk}",
            "outcome": str(housing.pk),
            **_date("due_on", due),
        },
    )
    action = next(a for a in version.actions.all() if a.what == "Call the landlord")
    assert (action.owner_contact, action.due_on, action.outcome) == (setup.nurse, due, housing)

    client.post(reverse("plans:action_status", args=[*args, action.pk]), {"status": "in_progress"})
    action.refresh_from_db()
    assert action.status == "in_progress"

    client.post(
        reverse("plans:member_new", args=args),
        {"member": f"person:{setup.child.pk}", "role_in_plan": "Says what helps"},
    )
    assert version.members.filter(person=setup.child, role_in_plan="Says what helps").exists()
    page = client.get(reverse("plans:detail", args=args)).content.decode()
    assert "A secure home." in page and "Call the landlord" in page and "Says what helps" in page


def test_recording_a_review_through_the_form(world, plan, setup, client):
    client.force_login(world.practitioner)
    args = [setup.family.pk, plan.pk]
    version = services.current_version(plan)
    education, home = version.outcomes.order_by("position")
    chart = version.actions.get(owner_person=setup.parent)
    teacher_action = version.actions.get(owner_contact=setup.teacher)
    data = {
        **_date("held_on", timezone.localdate()),
        "summary": "Attendance is up.",
        "change_summary": "Chart done; breakfast club added.",
        "review_interval_weeks": "6",
        f"rating_{education.pk.hex}": "achieved",
        f"note_{education.pk.hex}": "98% this half term",
        f"description_{education.pk.hex}": education.description,
        f"description_{home.pk.hex}": "Mornings are calm, even on Mondays.",
        f"status_{chart.pk.hex}": "done",
        f"status_{teacher_action.pk.hex}": "in_progress",
        "new_what": "Breakfast club place",
        "new_owner": f"contact:{setup.teacher.pk}",
        **_date("new_due_on", timezone.localdate() + timedelta(days=7)),
        "new_outcome": str(education.pk),
    }
    # One rating is missing: the form says so and keeps what was typed.
    missing = client.post(reverse("plans:review", args=args), data)
    html = missing.content.decode()
    assert "Choose how outcome 2 is going" in html and "Chart done; breakfast club added." in html
    assert not PlanReview.objects.exists()
    data[f"rating_{home.pk.hex}"] = "some_progress"
    response = client.post(reverse("plans:review", args=args), data)
    review = PlanReview.objects.get()
    assert response["Location"] == reverse("plans:review_detail", args=[setup.family.pk, review.pk])
    new = services.current_version(plan)
    assert new.number == 2
    assert (
        new.outcomes.get(lineage=home.lineage).description == "Mornings are calm, even on Mondays."
    )
    assert new.actions.get(lineage=chart.lineage).status == "done"
    assert new.actions.get(lineage=teacher_action.lineage).status == "in_progress"
    breakfast = next(a for a in new.actions.all() if a.what == "Breakfast club place")
    assert breakfast.outcome.lineage == education.lineage
    detail = client.get(response["Location"]).content.decode()
    assert "98% this half term" in detail and "Achieved" in detail and "Version 2" in detail


def test_earlier_versions_stay_viewable_and_say_so(world, plan, setup, client):
    version = services.current_version(plan)
    services.record_review(
        actor=world.practitioner,
        plan=plan,
        data=services.ReviewInput(
            held_on=timezone.localdate(),
            summary="Reviewed.",
            change_summary="Outcome reworded.",
            progress=[
                services.ProgressInput(outcome=o.pk, rating="on_track")
                for o in version.outcomes.all()
            ],
            outcome_descriptions={version.outcomes.first().pk: "Reworded outcome."},
        ),
    )
    client.force_login(world.manager)
    old = client.get(reverse("plans:version", args=[setup.family.pk, version.pk])).content.decode()
    assert "earlier version of the plan" in old
    assert "Zoë is in school every day and on time." in old and "Reworded outcome." not in old
    assert "Change status" not in old
    detail = client.get(reverse("plans:detail", args=[setup.family.pk, plan.pk])).content.decode()
    assert "Reworded outcome." in detail and "Outcome reworded." in detail
    assert reverse("plans:version", args=[setup.family.pk, version.pk]) in detail


def test_objection_stops_the_share_page_and_withdrawal_restores_it(
    world, plan, setup, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.practitioner)
    args = [setup.family.pk, plan.pk]
    client.post(
        reverse("plans:objection", args=args),
        {
            "objected_by": str(setup.parent.pk),
            **_date("objected_on", timezone.localdate()),
            "note": "Does not want the school to see it.",
        },
    )
    objection = plan.objections.get()
    detail = client.get(reverse("plans:detail", args=args)).content.decode()
    assert "objected on" in detail and "It will not be sent" in detail
    share_page = client.get(reverse("plans:share", args=args)).content.decode()
    assert "has objected" in share_page
    assert 'name="recipients"' not in share_page and not SEND_BUTTON.search(share_page)
    client.post(reverse("plans:share", args=args), {"recipients": [str(setup.teacher.pk)]})
    assert mailoutbox == []

    client.post(reverse("plans:objection", args=args), {"objection": str(objection.pk)})
    objection.refresh_from_db()
    assert objection.withdrawn_on == timezone.localdate()
    share_page = client.get(reverse("plans:share", args=args)).content.decode()
    assert share_page.count('name="recipients"') == 2 and SEND_BUTTON.search(share_page)
    assert "h.partridge@brookfield.example.org" in share_page
    assert "i.fenwick@health.example.org" in share_page
    assert "Ms Opal Strand" in share_page  # listed as not e-mailable
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plans:share", args=args),
            {"recipients": [str(setup.teacher.pk), str(setup.nurse.pk)]},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2


def test_a_tampered_share_form_is_refused(
    world, plan, setup, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plans:share", args=[setup.family.pk, plan.pk]),
            {"recipients": [str(setup.worker.pk)]},
        )
    assert response.status_code == 200
    assert "only be sent to professionals who are TAF members" in response.content.decode()
    assert mailoutbox == []


def test_the_timeline_links_to_the_plan_pages(world, plan, setup, client):
    client.force_login(world.practitioner)
    page = client.get(reverse("casework:family", args=[setup.family.pk])).content.decode()
    version = services.current_version(plan)
    assert reverse("plans:version", args=[setup.family.pk, version.pk]) in page
