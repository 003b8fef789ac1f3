"""Whole journeys in a real browser: a public referral to a practitioner opening the family."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _press(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Press a button and wait for the page it leads to (never read a half-loaded page)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _continue(page) -> None:  # type: ignore[no-untyped-def]
    _press(page, "Continue")


def _fill(page, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        page.locator(f"[name='{name}']").fill(value)


def _choose(page, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"input[name='{name}'][value='{value}']").check()


def _add_person(page, journey, person: dict[str, str], sex: str, role: str, more: str):  # type: ignore[no-untyped-def]
    _fill(page, person)
    _choose(page, "sex", sex)
    _choose(page, "role", role)
    journey.check("person")
    _continue(page)
    _choose(page, "add_another", more)
    journey.check("people")
    _continue(page)


def _sign_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    _press(page, "Sign in")


def test_public_referral_to_practitioner_opening_the_family(page, journey, live_server):  # type: ignore[no-untyped-def]
    cache.clear()  # the public form's per-IP rate limit counts in the cache
    build_world()
    # 1. Anyone can refer, without signing in.
    page.goto(f"{live_server.url}/refer/")
    journey.check("start")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    _choose(page, "referrer_type", "professional")
    journey.check("who")
    _continue(page)
    _fill(
        page,
        {
            "referrer_name": "Ottilie Brambleby",
            "phone": "01632 960001",
            "email": "o.brambleby@school.example",
            "organisation": "Exampleton Primary",
            "role": "Family support lead",
        },
    )
    _choose(page, "organisation_type", "school")
    journey.check("your-details")
    _continue(page)
    child = {
        "first_name": "Zoë",
        "last_name": "Quillfeather",
        "date_of_birth-day": "14",
        "date_of_birth-month": "3",
        "date_of_birth-year": "2016",
    }
    parent = {
        "first_name": "Marigold",
        "last_name": "Quillfeather",
        "date_of_birth-day": "2",
        "date_of_birth-month": "7",
        "date_of_birth-year": "1987",
    }
    _add_person(page, journey, child, "female", "child", "yes")
    _add_person(page, journey, parent, "female", "parent_or_carer", "no")
    _fill(
        page,
        {
            "address_line1": "12 Larkspur Row",
            "address_town": "Exampleton",
            "address_postcode": "ab1 2xy",
        },
    )
    journey.check("address")
    _continue(page)
    _choose(page, "reasons", "getting_a_good_education")
    _fill(page, {"summary": "Attendance has dropped since the family moved."})
    journey.check("concern")
    _continue(page)
    _choose(page, "family_aware", "yes")
    _choose(page, "family_consents", "yes")
    journey.check("agreement")
    _continue(page)
    assert page.get_by_role("link", name=re.compile("privacy notice", re.I)).first.is_visible()
    journey.check("check-answers")
    _press(page, "Send referral")
    body = page.locator("body").inner_text()
    reference = re.search(r"RF-[0-9A-Z]{7}", body)
    assert reference, body
    assert "Quillfeather" not in body and "Zoë" not in body
    journey.check("confirmation")

    # 2. The duty worker triages it: accepted, allocated to North with Pat as lead.
    _sign_in(page, live_server, "dee")
    journey.check("duty-home")
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name="Referrals").click()
    assert page.url == f"{live_server.url}/referrals/"
    journey.check("queue")
    with page.expect_navigation():
        page.get_by_role("link", name=reference.group(0)).click()
    journey.check("referral")
    page.get_by_label("Accepted for Early Help").check()
    page.get_by_label("Allocate to team").select_option(label="North Family Support")
    page.get_by_label("Lead practitioner").select_option(label="Pat North (North Family Support)")
    _press(page, "Record decision")
    banner = page.locator(".govuk-notification-banner--success")
    assert "Decision recorded: Accepted for Early Help" in banner.inner_text()
    journey.check("decided")
    _press(page, "Sign out")
    assert page.get_by_label("Username").is_visible()

    # 3. The practitioner finds the family on their home page and opens it.
    _sign_in(page, live_server, "pat")
    assert page.get_by_role("heading", name="Families you can see").is_visible()
    row = page.get_by_role("row").filter(has_text="Zoë Quillfeather")
    assert "North Family Support" in row.inner_text()
    journey.check("practitioner-home")
    with page.expect_navigation():
        row.get_by_role("link").click()
    assert page.get_by_role("heading", name="Zoë Quillfeather").is_visible()
    assert page.get_by_role("heading", name="Marigold Quillfeather").is_visible()
    episode = page.locator("h2:has-text('Episode') + .govuk-summary-list")
    assert re.search(r"Status\s+Open", episode.inner_text())
    assert re.search(r"Team\s+North Family Support", episode.inner_text())
    assert re.search(r"Lead practitioner\s+Pat North", episode.inner_text())
    journey.check("family")


def test_sign_in_error_and_not_found_pages(page, journey, live_server):  # type: ignore[no-untyped-def]
    build_world()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("not-the-password")
    _press(page, "Sign in")
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert summary.get_by_role("link").count() >= 1
    journey.check("sign-in-error")
    _sign_in(page, live_server, "pat")
    response = page.goto(f"{live_server.url}/families/{uuid.uuid4()}/")
    assert response is not None and response.status == 404
    assert "Page not found" in page.locator("body").inner_text()
    journey.check("not-found")
