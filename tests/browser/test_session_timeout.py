"""The idle-timeout warning in a real browser, with the timings shortened to seconds: the
dialog opens before the timeout, "Stay signed in" keeps the session, and doing nothing signs
the user out."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_warning_dialog_keeps_or_ends_the_session(world, live_server, page, settings):  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 6
    settings.EARLYHELP_SESSION_WARNING_SECONDS = 4
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(world.practitioner.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    assert not dialog.is_visible()

    dialog.wait_for(state="visible", timeout=6_000)  # opens 2 seconds after the page loads
    assert "we will sign you out in" in dialog.inner_text().lower()
    with page.expect_response(lambda r: r.url.endswith("/session/keep-alive/")) as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    dialog.wait_for(state="hidden")
    page.reload()
    assert page.get_by_text("Signed in as").is_visible(), "the session was kept"

    # This time do nothing: the countdown ends by signing out.
    dialog.wait_for(state="visible", timeout=6_000)
    page.wait_for_url(f"{live_server.url}/sign-in/", timeout=8_000)
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.csp_violations == []  # type: ignore[attr-defined]
