"""A whole case in a real browser: a home visit, the assessment and its authorisation, the
family plan and its review, and the episode's closure."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from earlyhelp.partners.models import OrganisationKind
from earlyhelp.partners.services import (
    ContactInput,
    OrganisationInput,
    add_contact,
    create_organisation,
)
from tests.factories import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

CHILD = "Zoë Quillfeather"
PARENT = "Marigold Quillfeather"
CHILD_WORDS = "I don't like mornings because everyone shouts. I want to walk to school with Mum."
PARENT_VIEW = "Mum feels mornings are chaotic and wants help with a routine for both girls."
NOTE = "Home visit after the referral. The house was calm; we talked through the morning routine."
PROFESSIONAL = "Rowan Ashdown, Family support worker, Exampleton Family Hub"


def _press(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Press a button and wait for the page it leads to (never read a half-loaded page)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _follow(page, name: str, within=None) -> None:  # type: ignore[no-untyped-def]
    """Follow a link and wait for the page it leads to."""
    with page.expect_navigation():
        (within or page).get_by_role("link", name=name, exact=True).click()


def _date(page, legend: str, day: date) -> None:  # type: ignore[no-untyped-def]
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _choose(page, legend: str, label: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("group", name=legend).get_by_label(label, exact=True).check()


def _sign_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    _press(page, "Sign in")


def _banner(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".govuk-notification-banner--success").inner_text()


def _summary_value(page, key: str) -> str:  # type: ignore[no-untyped-def]
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=key)
    )
    return row.locator(".govuk-summary-list__value").first.inner_text()


def _timeline_row(page, title: str):  # type: ignore[no-untyped-def]
    table = page.get_by_role("table", name="Timeline, most recent first")
    return table.get_by_role("row").filter(has=page.get_by_role("cell", name=title, exact=True))


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _add_need(page, journey, person: str, headline: str, severity: str, evidence: str):  # type: ignore[no-untyped-def]
    _follow(page, f"Add a need for {person}")
    # The link chose the person already.
    assert (
        page.get_by_role("group", name="Who is the need about?")
        .get_by_label(re.compile(re.escape(person)))
        .is_checked()
    )
    _choose(page, "Headline need", headline)
    _choose(page, "How severe is the need?", severity)
    page.get_by_label("Evidence", exact=True).fill(evidence)
    journey.check("need-" + "-".join(headline.lower().split()[:2]))
    _press(page, "Save the need")
    assert "Need added" in _banner(page)


def test_visit_assessment_plan_review_and_closure(page, journey, live_server):  # type: ignore[no-untyped-def]
    world = build_world()
    family, _ = world.open_family()
    organisation = create_organisation(
        actor=None,
        data=OrganisationInput(name="Exampleton Family Hub", kind=OrganisationKind.VOLUNTARY),
    )
    add_contact(
        actor=None,
        organisation=organisation,
        data=ContactInput(name="Rowan Ashdown", job_title="Family support worker"),
    )
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    next_visit = today + timedelta(days=14)
    family_url = f"{live_server.url}/families/{family.pk}/"

    # 1. Pat finds the family on their caseload and records a home visit.
    _sign_in(page, live_server, "pat")
    journey.check("pat-home")
    _follow(page, "My caseload", within=page.get_by_role("navigation"))
    row = page.get_by_role("row").filter(has_text=CHILD)
    assert "None planned" in row.inner_text()
    journey.check("caseload")
    with page.expect_navigation():
        row.get_by_role("link").click()
    reference = page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("heading", name="At a glance").is_visible()
    assert "No assessment yet" in _summary_value(page, "Early Help assessment")
    assert "No family plan yet" in _summary_value(page, "Family plan")
    journey.check("family-open")
    _press(page, "Record a contact")
    page.get_by_label("Home visit", exact=True).check()
    _date(page, "Date of the contact", yesterday)
    page.get_by_label("Time", exact=True).fill("10:30am")
    for legend in ("Who is this note about?", "Family members present"):
        _choose(page, legend, CHILD)
        _choose(page, legend, PARENT)
    page.get_by_label("Professionals present (optional)").fill(PROFESSIONAL)
    page.get_by_label("Your note").fill(NOTE)
    page.get_by_label(f"{CHILD}'s own words (optional)").fill(CHILD_WORDS)
    _choose(page, f"How are {CHILD}'s words recorded?", "Verbatim (in their own words)")
    page.get_by_label(f"{PARENT}'s views (optional)").fill(PARENT_VIEW)
    _choose(page, f"How are {PARENT}'s words recorded?", "Summarised by the practitioner")
    _date(page, "Next contact planned for (optional)", next_visit)
    journey.check("contact-form")
    _press(page, "Save the contact")

    assert "Home visit recorded" in _banner(page)
    assert page.get_by_role("heading", level=1, name="Home visit").is_visible()
    assert _summary_value(page, "Date and time") == f"{_long(yesterday)} at 10:30am"
    assert set(_summary_value(page, "Family members present").split(", ")) == {CHILD, PARENT}
    assert _summary_value(page, "Next contact planned for") == _long(next_visit)
    # The practitioner's note, the child's own words and the parent's view are apart, each
    # under its own heading, and the child's words are marked as their exact words.
    note = page.locator("h2:text-is('Practitioner\u2019s note') + p")
    assert note.inner_text() == NOTE
    words = page.locator("h2:text-is('The child\u2019s own words') ~ .govuk-inset-text").first
    assert words.inner_text() == CHILD_WORDS
    speaker = page.locator("h2:text-is('The child\u2019s own words') + p")
    assert CHILD in speaker.inner_text() and "Verbatim" in speaker.inner_text()
    view = page.locator("h2:text-is('The parent\u2019s or carer\u2019s views') ~ .govuk-inset-text")
    assert view.inner_text() == PARENT_VIEW
    assert (
        "Summarised"
        in page.locator("h2:text-is('The parent\u2019s or carer\u2019s views') + p").inner_text()
    )
    journey.check("contact")
    _follow(page, "All contacts for this family")
    assert page.get_by_role("row").filter(has_text="Home visit").count() == 1
    journey.check("contacts")
    _follow(page, "Back to the family")
    visit = _timeline_row(page, "Home visit")
    assert NOTE in visit.inner_text()
    # The timeline carries the practitioner's note; the child's words stay on the note itself.
    assert CHILD_WORDS not in page.locator("#main-content").inner_text()
    journey.check("family-after-visit")

    # 2. Pat assesses the family: needs under three headlines, then submits it.
    _press(page, "Start an assessment")
    _date(page, "Date the assessment started", today)
    assert page.get_by_label("Organisation completing the assessment").input_value()
    journey.check("assessment-start")
    _press(page, "Start the assessment")
    assert "Assessment started" in _banner(page)
    page.get_by_label("The family's strengths").fill("Mum is warm and asks for help early.")
    page.get_by_label("The child's or children's views").fill(CHILD_WORDS)
    page.get_by_label("The parents' or carers' views").fill(PARENT_VIEW)
    page.get_by_label("Analysis", exact=True).fill("Chaotic mornings drive the late arrivals.")
    page.get_by_label("Conclusion", exact=True).fill("A family plan focused on routines.")
    journey.check("assessment-form")
    _press(page, "Save")
    assert "Assessment saved" in _banner(page)
    journey.check("assessment-draft")
    _add_need(page, journey, CHILD, "Getting a good education", "High", "Late 14 times this term.")
    _add_need(
        page,
        journey,
        CHILD,
        "Improved mental and physical health",
        "Medium",
        "Says her tummy hurts on school mornings.",
    )
    _add_need(
        page,
        journey,
        PARENT,
        "Improved family relationships",
        "Medium",
        "Arguments every morning, seen by the school.",
    )
    needs = page.get_by_role("table", name=f"Needs of {CHILD}")
    assert (
        needs.get_by_role("row")
        .filter(has_text="Getting a good education")
        .filter(has_text="High")
        .count()
        == 1
    )
    eligibility = page.locator("#eligibility").inner_text()
    assert "Needs under 3 of 10 headlines: eligible" in eligibility
    journey.check("assessment-needs")
    _press(page, "Submit for authorisation")
    journey.check("assessment-submit")
    _press(page, "Submit for authorisation")
    assert "submitted for authorisation" in _banner(page)
    assert "Submitted" in _summary_value(page, "Status")
    assert not page.get_by_role("button", name="Change the assessment").count()
    journey.check("assessment-submitted")
    _press(page, "Sign out")

    # 3. Morgan, the team manager, authorises it from the team dashboard.
    _sign_in(page, live_server, "morgan")
    _follow(page, "Team dashboard", within=page.get_by_role("navigation"))
    waiting = page.get_by_role("table", name="Assessments awaiting authorisation")
    row = waiting.get_by_role("row").filter(has_text=reference)
    assert "Pat North" in row.inner_text()
    journey.check("team-dashboard")
    _follow(page, reference, within=row)
    journey.check("assessment-to-authorise")
    _press(page, "Authorise")
    journey.check("authorise")
    _press(page, "Authorise the assessment")
    assert "Assessment authorised" in _banner(page)
    assert "Authorised" in _summary_value(page, "Status")
    assert _summary_value(page, "Authorised by").startswith(world.manager.display_name)
    journey.check("assessment-authorised")
    _follow(page, "Team dashboard", within=page.get_by_role("navigation"))
    assert "No assessments are waiting." in page.locator("#main-content").inner_text()
    journey.check("team-dashboard-after")
    _press(page, "Sign out")

    # 4. Pat makes the family plan from the assessed needs, then reviews it.
    _sign_in(page, live_server, "pat")
    with page.expect_navigation():
        page.get_by_role("row").filter(has_text=CHILD).get_by_role("link").click()
    assert "Authorised" in _summary_value(page, "Early Help assessment")
    _press(page, "Create the family plan")
    page.get_by_label("Getting a good education: the outcome the family wants").fill(
        "Zoë gets to school on time every day"
    )
    page.get_by_label("Improved mental and physical health: the outcome the family wants").fill(
        "Zoë feels well on school mornings"
    )
    page.get_by_label("Improved family relationships: the outcome the family wants").fill(
        "Calm mornings without arguments"
    )
    page.locator("[name='measure_getting_a_good_education']").fill("Attendance above 95%")
    journey.check("plan-new")
    _press(page, "Start the plan")
    assert "Family plan started" in _banner(page)
    assert _summary_value(page, "Current version").startswith("Version 1")
    outcomes = page.get_by_role("table", name="Outcomes", exact=True)
    assert outcomes.get_by_role("row").count() == 4  # the header and three outcomes
    journey.check("plan-v1")

    _follow(page, "Add an action")
    page.get_by_label("What will be done?").fill("Morning routine chart and a weekly check-in")
    page.get_by_label("Who will do it?").select_option(label=PROFESSIONAL)
    _date(page, "By when?", today + timedelta(days=28))
    page.get_by_label("Which outcome is it for?").select_option(
        label="Getting a good education: Zoë gets to school on time every day"
    )
    journey.check("plan-action")
    _press(page, "Save")
    assert "Action added" in _banner(page)
    actions = page.get_by_role("table", name="Actions", exact=True)
    assert "Rowan Ashdown" in actions.inner_text()
    assert _long(today + timedelta(days=28)) in actions.inner_text()

    _follow(page, "Add a TAF member")
    page.get_by_label("Who is joining the Team Around the Family?").select_option(
        label=PROFESSIONAL
    )
    page.get_by_label("Their role in the plan").fill("Reports attendance at each TAF meeting")
    journey.check("plan-member")
    _press(page, "Save")
    assert "TAF member added" in _banner(page)
    members = page.get_by_role("table", name="Team Around the Family members")
    assert "Rowan Ashdown" in members.inner_text()
    journey.check("plan-v1-complete")

    _press(page, "Record a review")
    _date(page, "Date of the review", today)
    for number, rating in ((1, "Some progress"), (2, "On track"), (3, "No progress")):
        _choose(page, f"Outcome {number}: how is it going?", rating)
    page.get_by_label("Outcome 1: progress notes").fill("Late twice in the last fortnight.")
    page.get_by_label("Action 1: status").select_option(label="In progress")
    page.get_by_label("What did the review find?").fill("Mornings are calmer; Zoë is on time.")
    page.get_by_label("What changes in the plan, and why?").fill(
        "The routine chart continues; the check-in moves to fortnightly."
    )
    journey.check("review-form")
    _press(page, "Record the review")
    assert "the plan has a new version" in _banner(page)
    assert _summary_value(page, "Version reviewed") == "Version 1"
    assert _summary_value(page, "New version") == "Version 2"
    progress = page.get_by_role("table", name="Progress on each outcome")
    assert (
        progress.get_by_role("row")
        .filter(has_text="Some progress")
        .filter(has_text="Late twice in the last fortnight.")
        .count()
        == 1
    )
    journey.check("review")

    _follow(page, "Version 1")
    assert page.get_by_role("heading", level=1).inner_text() == "Family plan, version 1"
    assert "earlier version of the plan" in page.locator(".govuk-inset-text").inner_text()
    journey.check("plan-version-1")
    _follow(page, "Back to the plan")
    assert _summary_value(page, "Current version").startswith("Version 2")
    history = page.get_by_role("table", name="Versions of the plan, newest first")
    versions = history.get_by_role("link", name=re.compile(r"^Version \d+$"))
    assert versions.all_inner_texts() == ["Version 2", "Version 1"]
    actions = page.get_by_role("table", name="Actions", exact=True)
    assert "In progress" in actions.inner_text()
    journey.check("plan-v2")
    _follow(page, "Version 2", within=history)
    assert (
        "This is the current version of the plan." in page.locator(".govuk-inset-text").inner_text()
    )
    journey.check("plan-version-2")
    _follow(page, "Back to the plan")
    _follow(page, "Back to the family")
    assert _summary_value(page, "Family plan").startswith("Version 2")

    # 5. Pat closes the episode; the closed family leaves Pat's view and stays with Morgan.
    _press(page, "Close the episode")
    page.get_by_label("Needs met, outcomes achieved").check()
    page.get_by_label("Closing summary").fill(
        "Mornings are calm and Zoë is on time; school keeps the weekly check-in."
    )
    journey.check("close")
    _press(page, "Close the episode")
    assert page.url == f"{live_server.url}/"
    assert "Episode closed" in _banner(page)
    assert page.get_by_role("row").filter(has_text=CHILD).count() == 0
    journey.check("pat-home-after-closure")
    response = page.goto(family_url)
    assert response is not None and response.status == 404
    _press(page, "Sign out")

    _sign_in(page, live_server, "morgan")
    row = page.get_by_role("row").filter(has_text=CHILD)
    assert "Closed" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link").click()
    main = page.locator("#main-content").inner_text()
    assert "No open episode" in main
    assert not page.get_by_role("button", name="Record a contact").count()
    episodes = page.get_by_role("table", name="Episodes", exact=True)
    assert "Needs met, outcomes achieved" in episodes.inner_text()
    for title in (
        "Home visit",
        "Early Help assessment submitted for authorisation",
        "Early Help assessment authorised",
        "Family plan started",
        "Plan review of version 1",
        "Family plan version 2",
        "Episode closed: Needs met, outcomes achieved",
        "Family plan closed with the episode",
    ):
        assert _timeline_row(page, title).count() == 1, title
    journey.check("family-closed")
    _follow(page, "Plan review of version 1")
    journey.check("review-after-closure")
    _follow(page, "Back to the plan")
    # The plan closed with the episode: kept to read, not to change.
    assert _summary_value(page, "Status") == "Closed"
    assert _summary_value(page, "Current version").startswith("Version 2")
    assert not page.get_by_role("button", name="Record a review").count()
    journey.check("plan-after-closure")
