"""The assessment pages through HTTP: start, edit, needs, submit, authorise, return; list
pages paginate with pinned query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.assessments import services
from earlyhelp.assessments.models import Assessment, AssessmentNeed
from tests.assessments.conftest import STARTED, open_case, ready, start, submitted

pytestmark = pytest.mark.django_db

# Fixed whatever the number of rows: session, user, grants, the family gatekeeper (with its
# audit event), the page's own queries and the list's audit event. PostgreSQL adds the audit
# chain's advisory lock for each of the two events.
LIST_QUERIES = {"sqlite": 20, "postgresql": 22}
AWAITING_QUERIES = {"sqlite": 12, "postgresql": 13}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _date(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def _edit_form(**overrides: str) -> dict[str, str]:
    data = {
        **_date("started_on", STARTED),
        "organisation": "Exampleshire County Council",
        "strengths": "Grandad Osric does the school run every day.",
        "child_views": "I miss my old school.",
        "parent_views": "We need help with the rent.",
        "analysis": "Housing worries drive the school absence.",
        "conclusion": "Offer targeted Early Help.",
    }
    data.update(overrides)
    return data


def test_a_practitioner_starts_fills_in_and_submits_an_assessment(world, case, client):
    client.force_login(world.practitioner)
    list_url = reverse("assessments:list", args=[case.family.pk])
    assert "Start an assessment" in client.get(list_url).content.decode()

    new = client.post(
        reverse("assessments:new", args=[case.family.pk]),
        {**_date("started_on", STARTED), "organisation": "Exampleshire County Council"},
    )
    assessment = Assessment.objects.get()
    args = [case.family.pk, assessment.pk]
    assert new["Location"] == reverse("assessments:edit", args=args)

    saved = client.post(reverse("assessments:edit", args=args), _edit_form())
    assert saved["Location"] == reverse("assessments:detail", args=args)
    added = client.post(
        reverse("assessments:need_new", args=args),
        {
            "person": str(case.child.pk),
            "headline": "getting_a_good_education",
            "severity": "high",
            "evidence": "Attendance 71% this term.",
        },
    )
    assert added.status_code == 302
    page = client.get(reverse("assessments:detail", args=args)).content.decode()
    for shown in (
        "Attendance 71% this term.",
        "Grandad Osric does the school run every day.",
        "I miss my old school.",
        "Needs under 1 of 10 headlines: not eligible for the Supporting Families programme "
        "(threshold 3)",
        "Submit for authorisation",
    ):
        assert shown in page

    submit = client.post(reverse("assessments:submit", args=args), _date("completed_on", STARTED))
    assert submit["Location"] == reverse("assessments:detail", args=args)
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.completed_on == STARTED


def test_a_bad_date_keeps_everything_typed(world, case, client):
    assessment = start(world, case)
    client.force_login(world.practitioner)
    response = client.post(
        reverse("assessments:edit", args=[case.family.pk, assessment.pk]),
        _edit_form(**{"started_on-month": "13"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "must be a real date" in html
    assert "Grandad Osric does the school run every day." in html
    assert "Housing worries drive the school absence." in html
    assessment.refresh_from_db()
    assert assessment.strengths == ""


def test_a_need_without_evidence_is_explained(world, case, client):
    assessment = start(world, case)
    client.force_login(world.practitioner)
    url = reverse("assessments:need_new", args=[case.family.pk, assessment.pk])
    page = client.get(url, {"person": str(case.parent.pk)}).content.decode()
    assert f'value="{case.parent.pk}" checked' in page
    response = client.post(
        url, {"person": str(case.parent.pk), "headline": "secure_housing", "severity": "low"}
    )
    assert "Enter the evidence for this need" in response.content.decode()
    assert not AssessmentNeed.objects.exists()


def test_a_duplicate_need_is_refused_on_the_form(world, case, client):
    assessment = ready(world, case)
    client.force_login(world.practitioner)
    response = client.post(
        reverse("assessments:need_new", args=[case.family.pk, assessment.pk]),
        {
            "person": str(case.child.pk),
            "headline": "getting_a_good_education",
            "severity": "low",
            "evidence": "Again.",
        },
    )
    assert "already recorded for this person" in response.content.decode()
    assert assessment.needs.count() == 3


def test_a_need_is_changed_and_removed_through_the_pages(world, case, client):
    assessment = ready(world, case)
    need = assessment.needs.get(headline__code="secure_housing")
    args = [case.family.pk, assessment.pk, need.pk]
    client.force_login(world.practitioner)
    changed = client.post(
        reverse("assessments:need_edit", args=args),
        {"headline": "financial_stability", "severity": "high", "evidence": "Rent arrears."},
    )
    assert changed.status_code == 302
    need.refresh_from_db()
    assert (need.headline.code, need.severity, need.person) == (
        "financial_stability",
        "high",
        case.parent,
    )
    assert (
        "Remove this need?"
        in client.get(reverse("assessments:need_remove", args=args)).content.decode()
    )
    client.post(reverse("assessments:need_remove", args=args))
    assert not AssessmentNeed.objects.filter(pk=need.pk).exists()


def test_submitting_without_a_conclusion_names_the_problem(world, case, client):
    assessment = start(world, case)
    client.force_login(world.practitioner)
    response = client.post(
        reverse("assessments:submit", args=[case.family.pk, assessment.pk]),
        _date("completed_on", STARTED),
    )
    assert "Record at least one need" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_the_manager_authorises_and_the_page_says_who(world, case, client):
    assessment = submitted(world, case)
    args = [case.family.pk, assessment.pk]
    client.force_login(world.manager)
    confirm = client.get(reverse("assessments:authorise", args=args)).content.decode()
    assert "Authorise the assessment" in confirm and "Needs under 3 of 10 headlines" in confirm
    response = client.post(reverse("assessments:authorise", args=args))
    assert response["Location"] == reverse("assessments:detail", args=args)
    page = client.get(reverse("assessments:detail", args=args)).content.decode()
    assert "Authorised by" in page and world.manager.display_name in page
    assert "Submitted by" in page and "Pat North" in page


def test_the_submitter_is_told_another_manager_must_authorise(world, case, client, second_manager):
    assessment = submitted(world, case, actor=world.manager)
    args = [case.family.pk, assessment.pk]
    client.force_login(world.manager)
    detail = client.get(reverse("assessments:detail", args=args)).content.decode()
    assert "another team manager must authorise it" in detail
    response = client.post(reverse("assessments:authorise", args=args))
    assert response.status_code == 403
    assert "authorisation needs two people" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    client.force_login(second_manager)
    client.post(reverse("assessments:authorise", args=args))
    assessment.refresh_from_db()
    assert assessment.authorised_by == second_manager


def test_the_manager_returns_it_and_the_practitioner_sees_why(world, case, client):
    assessment = submitted(world, case)
    args = [case.family.pk, assessment.pk]
    client.force_login(world.manager)
    empty = client.post(reverse("assessments:return", args=args), {"comment": ""})
    assert "Say what needs to change" in empty.content.decode()
    client.post(reverse("assessments:return", args=args), {"comment": "Add Zoë's own words."})
    client.force_login(world.practitioner)
    page = client.get(reverse("assessments:detail", args=args)).content.decode()
    assert "Returned to draft by" in page and "Add Zoë&#39;s own words." in page
    assert "Change the assessment" in page


def test_the_list_paginates_with_a_fixed_query_count(world, case, client):
    client.force_login(world.practitioner)
    url = reverse("assessments:list", args=[case.family.pk])
    latest = submitted(world, case)
    assert _count(client, url) == LIST_QUERIES[connection.vendor]
    for _ in range(3):
        services.authorise_assessment(actor=world.manager, assessment=latest)
        latest = submitted(world, case)
    assert Assessment.objects.count() == 4
    assert _count(client, url) == LIST_QUERIES[connection.vendor]


def test_the_list_shows_25_a_page(world, case, client):
    assessment = start(world, case)
    episode = case.episode
    Assessment.objects.bulk_create(
        Assessment(
            family=case.family,
            episode=episode,
            status="authorised",
            started_on=STARTED,
            created_by=world.practitioner,
        )
        for _ in range(26)
    )
    client.force_login(world.practitioner)
    url = reverse("assessments:list", args=[case.family.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count("govuk-tag--green") == 25
    assert second.count("govuk-tag--") == 2 and "govuk-tag--grey" in second
    assert reverse("assessments:detail", args=[case.family.pk, assessment.pk]) in second


def test_the_awaiting_list_shows_the_teams_submitted_assessments(world, client):
    north = open_case(world, last_name="Northcote")
    south = open_case(world, team=world.south, lead=world.practitioner_south, last_name="Southey")
    draft_case = open_case(world, last_name="Drafton")
    mine = submitted(world, north)
    theirs = submitted(world, south, actor=world.practitioner_south)
    draft = start(world, draft_case)
    client.force_login(world.manager)
    page = client.get(reverse("assessments:awaiting")).content.decode()
    assert reverse("assessments:detail", args=[north.family.pk, mine.pk]) in page
    assert north.family.reference in page
    assert reverse("assessments:detail", args=[south.family.pk, theirs.pk]) not in page
    assert reverse("assessments:detail", args=[draft_case.family.pk, draft.pk]) not in page


def test_the_awaiting_list_has_a_fixed_query_count(world, client):
    client.force_login(world.manager)
    submitted(world, open_case(world))
    assert _count(client, reverse("assessments:awaiting")) == AWAITING_QUERIES[connection.vendor]
    for _ in range(4):
        submitted(world, open_case(world))
    assert _count(client, reverse("assessments:awaiting")) == AWAITING_QUERIES[connection.vendor]
