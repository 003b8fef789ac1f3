"""Sharing with agreement in a real browser: the parent agrees to share with the school, a
disclosure package is built, approved by a manager (four eyes), released and opened with its
passphrase; then the agreement is withdrawn and the next package is refused."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import pyzipper
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.casework.contacts.services import ContactInput, record_contact
from earlyhelp.partners.models import OrganisationKind
from earlyhelp.partners.services import OrganisationInput, create_organisation
from earlyhelp.people.models import Address
from earlyhelp.people.services import set_address_confidential
from earlyhelp.referrals.services import PersonInput
from tests.factories import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

CHILD = "Zoë Quillfeather"
PARENT = "Marigold Quillfeather"
SCHOOL = "Brookfield Primary School"
# Wystan lives in the household but is in no sharing decision: a third party.
EXCLUDED = PersonInput(
    first_name="Wystan",
    last_name="Quillfeather",
    date_of_birth=date(1979, 1, 30),
    sex="male",
    role="other_household_member",
)
# Marigold's address (from the referral) is made confidential in the setup.
ADDRESS_LINE = "12 Larkspur Row"
POSTCODE = "AB1 2XY"
NOTE = (
    "Home visit to Marigold and Zoë at 12 Larkspur Row, AB1 2XY. Wystan was out at work; "
    "Marigold says mornings are calmer since the routine chart went up."
)
NEVER = ("wystan", "larkspur", "ab1 2xy", "ab12xy")
PLACEHOLDER = "[other household member]"
PURPOSE = "Support with Zoë's attendance and mornings at home"


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


def _tick(page, legend: str, label: str) -> None:  # type: ignore[no-untyped-def]
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


def _main(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#main-content").inner_text()


def _assert_clean(text: str, where: str) -> None:
    lowered = " ".join(text.lower().split())
    for needle in NEVER:
        assert needle not in lowered, f"{needle!r} leaked into {where}"


def _record_agreement(page, journey, whose: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """From the family's agreements page: Marigold's agreement to share with the school."""
    with page.expect_navigation():
        page.get_by_role("button", name="Record an agreement").click()
    page.get_by_label("Whose information (or whose support) is the agreement about?").select_option(
        label=whose
    )
    page.get_by_label("Who gave the agreement?").select_option(label=f"{PARENT} (Parent or carer)")
    _tick(page, "What is the agreement to?", "Agreement to share information")
    page.get_by_label("Organisation the information may be shared with").select_option(label=SCHOOL)
    _tick(page, "What information may be shared?", "Case notes")
    _tick(page, "What information may be shared?", "The family plan")
    page.get_by_label("Purpose", exact=True).fill(PURPOSE)
    _tick(page, "How was the agreement given?", "Verbally")
    _date(page, "Date the agreement was given", timezone.localdate() - timedelta(days=1))
    journey.check(f"agreement-form-{label}")
    _press(page, "Record the agreement")
    assert "Agreement recorded" in _banner(page)
    assert _summary_value(page, "Whose") == whose.split(" (")[0]
    assert _summary_value(page, "Given by") == PARENT
    assert _summary_value(page, "Recipient") == SCHOOL
    assert _summary_value(page, "Information") == "The family plan, Case notes"
    assert _summary_value(page, "How given") == "Verbally"
    assert "Current" in _summary_value(page, "Status")
    journey.check(f"agreement-{label}")


def _prepare_package(page, journey, label: str) -> None:  # type: ignore[no-untyped-def]
    """From the family page: a package of the case note about Marigold and Zoë for the school."""
    _follow(page, "Disclosure packages")
    journey.check(f"packages-{label}")
    with page.expect_navigation():
        page.get_by_role("button", name="Prepare a disclosure package").click()
    page.get_by_label("Recipient organisation").select_option(label=SCHOOL)
    page.get_by_label("Purpose", exact=True).fill(PURPOSE)
    note = page.get_by_role("group", name="Case notes", exact=True)
    note.get_by_label(re.compile(r"Home visit on")).check()
    _tick(page, "Whose information goes", PARENT)
    _tick(page, "Whose information goes", CHILD)
    journey.check(f"package-form-{label}")
    _press(page, "Continue to the preview")
    assert "Package prepared" in _banner(page)
    assert _summary_value(page, "Status") == "Draft"


def _watch_csp(page) -> None:  # type: ignore[no-untyped-def]
    """Collect what the page's Content-Security-Policy blocks, as the ``page`` fixture does
    for its own page, so Journey.check fails on it in the manager's browser too."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_violations = blocked


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())


def test_agree_build_approve_release_open_then_withdraw_and_be_refused(  # type: ignore[no-untyped-def]
    page, journey, live_server
):
    cache.clear()  # nothing left over from an earlier test's rate limits
    world = build_world()
    family, _ = world.open_family(extra_people=[EXCLUDED])
    members = {m.first_name: m for m in family.members.all()}
    parent, child, wystan = members["Marigold"], members["Zoë"], members["Wystan"]
    set_address_confidential(
        actor=world.practitioner, address=Address.objects.get(person=parent), confidential=True
    )
    create_organisation(
        actor=None, data=OrganisationInput(name=SCHOOL, kind=OrganisationKind.SCHOOL, urn="123456")
    )
    record_contact(
        actor=world.practitioner,
        family=family,
        data=ContactInput(
            contact_type="home_visit",
            occurred_at=timezone.now() - timedelta(days=2),
            note=NOTE,
            subjects=[parent.pk, child.pk, wystan.pk],
            present_members=[parent.pk, child.pk],
        ),
    )
    family_url = f"{live_server.url}/families/{family.pk}/"
    child_role = family.memberships.get(person=child).get_role_display()

    # 1. Pat records Marigold's agreement to share with the school, for herself and for Zoë.
    _sign_in(page, live_server, "pat")
    _follow(page, "My caseload", within=page.get_by_role("navigation"))
    with page.expect_navigation():
        page.get_by_role("row").filter(has_text=CHILD).get_by_role("link").click()
    reference = page.get_by_role("heading", level=1).inner_text()
    assert "No current agreement to share." in _main(page)
    journey.check("family")
    _follow(page, "All agreements, current and withdrawn")
    assert "No agreements have been recorded." in _main(page)
    journey.check("agreements-empty")
    _record_agreement(page, journey, f"{PARENT} (Parent or carer)", "parent")
    _follow(page, "Back to the agreements")
    _record_agreement(page, journey, f"{CHILD} ({child_role})", "child")
    _follow(page, "Back to the agreements")
    journey.check("agreements")
    _follow(page, "Back to the family")
    agreements = page.get_by_role("table", name="Current agreements to share, newest first")
    for name in (PARENT, CHILD):
        row = agreements.get_by_role("row").filter(has=page.get_by_role("link", name=name))
        assert SCHOOL in row.inner_text() and "Case notes" in row.inner_text()
    journey.check("family-agreements")

    # 2. Pat prepares a package of the case note for the school and checks the preview.
    _prepare_package(page, journey, "first")
    preview = page.locator(".eh-package-preview").inner_text()
    assert PLACEHOLDER in preview
    assert "mornings are calmer since the routine chart went up" in preview
    assert "[address withheld]" in preview
    _assert_clean(_main(page), "the preview page")
    assert "The sharing check allows this now" in _main(page)
    journey.check("package-preview")
    _press(page, "Send for approval")
    assert "sent to a team manager for approval" in _banner(page)
    assert _summary_value(page, "Status") == "Waiting for approval"
    package_url = page.url
    journey.check("package-submitted")

    # 3. Morgan, the team manager, approves it in another browser (four eyes).
    browser = page.context.browser
    manager_context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        manager = manager_context.new_page()
        manager.set_default_timeout(15_000)
        _watch_csp(manager)
        practitioner = journey.page
        journey.page = manager
        _sign_in(manager, live_server, "morgan")
        _follow(manager, "Packages to approve", within=manager.get_by_role("navigation"))
        waiting = manager.get_by_role("table", name="Waiting for approval")
        row = waiting.get_by_role("row").filter(has_text=SCHOOL)
        assert "Pat North" in row.inner_text()
        journey.check("approvals")
        _follow(manager, f"Family {reference}", within=row)
        _assert_clean(_main(manager), "the manager's preview")
        journey.check("package-to-approve")
        _tick(manager, "Do you approve this package?", "Yes, approve it for release")
        _press(manager, "Save decision")
        assert "Package approved" in _banner(manager)
        assert _summary_value(manager, "Status") == "Approved, not yet released"
        journey.check("package-approved")
        journey.page = practitioner

        # 4. Pat releases it, sees the passphrase once, downloads and opens the zip.
        page.goto(package_url)
        assert _summary_value(page, "Approved by").startswith(world.manager.display_name)
        journey.check("package-to-release")
        _press(page, "Release the package")
        assert page.get_by_role("heading", name="Package released").is_visible()
        passphrase = page.locator(".eh-passphrase").inner_text().strip()
        assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", passphrase), passphrase
        journey.check("package-released")
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the package").click()
        data = info.value.path().read_bytes()
        with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert "disclosure.pdf" in names
            with pytest.raises(RuntimeError):  # encrypted: no passphrase, no content
                archive.read("disclosure.pdf")
            archive.setpassword(b"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
            # A wrong passphrase fails its check value or, 1 in 65,536 times, the HMAC.
            with pytest.raises((RuntimeError, pyzipper.BadZipFile)):
                archive.read("disclosure.pdf")
            archive.setpassword(passphrase.encode("ascii"))
            pdf_text = _pdf_text(archive.read("disclosure.pdf"))
            for name in names:
                _assert_clean(name, "the zip's member names")
        assert "Marigold says mornings are calmer since the routine chart went up." in pdf_text
        assert f"{PLACEHOLDER} was out at work" in pdf_text
        assert "[address withheld]" in pdf_text
        _assert_clean(pdf_text, "the PDF")
        # The passphrase was shown once: the package page does not show it again.
        _follow(page, "Back to the package")
        assert _summary_value(page, "Status") == "Released"
        assert passphrase not in page.content()
        journey.check("package-after-release")
        _follow(page, "Back to disclosure packages")
        _follow(page, "Back to the family")

        # 5. Marigold withdraws her agreement; the next package for the school is refused.
        agreements = page.get_by_role("table", name="Current agreements to share, newest first")
        _follow(page, PARENT, within=agreements)
        journey.check("agreement-before-withdrawal")
        _date(page, "Date the agreement was withdrawn", timezone.localdate())
        page.get_by_label("Who withdrew it?").select_option(label=f"{PARENT} (Parent or carer)")
        page.get_by_label("Note").fill("Marigold phoned to say she no longer agrees.")
        journey.check("withdrawal-form")
        _press(page, "Record the withdrawal")
        assert "Agreement withdrawn" in _banner(page)
        assert "Withdrawn" in _summary_value(page, "Status")
        assert "Nothing new is shared under this agreement." in _main(page)
        journey.check("agreement-withdrawn")
        page.goto(family_url)
        assert "1 agreement has been withdrawn." in _main(page)
        journey.check("family-after-withdrawal")
        _prepare_package(page, journey, "second")
        assert "The sharing check would refuse this" in _main(page)
        journey.check("second-package-preview")
        _press(page, "Send for approval")
        assert _summary_value(page, "Status") == "Waiting for approval"

        journey.page = manager
        _follow(manager, "Packages to approve", within=manager.get_by_role("navigation"))
        row = manager.get_by_role("table", name="Waiting for approval").get_by_role("row")
        _follow(manager, f"Family {reference}", within=row.filter(has_text=SCHOOL))
        journey.check("second-package-to-approve")
        _tick(manager, "Do you approve this package?", "Yes, approve it for release")
        _press(manager, "Save decision")
        message = manager.locator(".govuk-notification-banner").inner_text()
        assert "Package refused." in message and "No agreement to share covers this" in message
        assert _summary_value(manager, "Status") == "Refused: no agreement or gateway"
        assert "refused by the sharing check, so nothing was released" in _main(manager)
        assert not manager.get_by_role("button", name="Save decision").count()
        journey.check("second-package-refused")
        journey.page = practitioner
    finally:
        manager_context.close()

    page.goto(package_url.rsplit("/", 2)[0] + "/")
    packages = page.get_by_role("table", name="Packages, newest first")
    statuses = [r.inner_text() for r in packages.get_by_role("row").all()[1:]]
    assert len(statuses) == 2
    assert "Refused" in statuses[0] and "Released" in statuses[1]
    assert not page.get_by_role("button", name="Download the package").count()
    journey.check("packages-after")
