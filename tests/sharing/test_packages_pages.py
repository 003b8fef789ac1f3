"""Disclosure package pages: build, preview, four eyes, release (passphrase once), download,
lists with pinned query counts. Nothing of the third party or the confidential address
reaches any page."""

from __future__ import annotations

import io
import re

import pytest
import pyzipper
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.models import DisclosurePackage, PackageStatus
from earlyhelp.sharing.packages import services
from tests.sharing.test_packages_support import ADDRESS_LINE, Case, assert_clean, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, setup) -> Case:
    return build_case(world, setup)


def _url(name: str, package: DisclosurePackage) -> str:
    return reverse(name, args=[package.family_id, package.pk])


def _form(case: Case, **overrides) -> dict:
    data = {
        "recipient_organisation": str(case.s.school.pk),
        "recipient_contact": str(case.s.teacher.pk),
        "purpose": "Attendance support",
        "items_plan_version": [f"plan_version:{case.version.pk}"],
        "items_assessment": [f"assessment:{case.assessment.pk}"],
        "items_contact": [f"contact:{case.note.pk}"],
        "items_attachment": [f"attachment:{case.attachment.pk}"],
        "people": [str(case.s.parent.pk), str(case.s.child.pk)],
        "decision": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_familys_items_and_no_one_is_pre_ticked(login, case):
    client = login(case.world.practitioner)
    response = client.get(reverse("packages:create", args=[case.s.family.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"plan_version:{case.version.pk}" in html
    assert f"attachment:{case.attachment.pk}" in html
    assert "checked" not in html
    assert ADDRESS_LINE not in html


def test_creating_a_package_leads_to_its_preview(login, case):
    client = login(case.world.practitioner)
    response = client.post(reverse("packages:create", args=[case.s.family.pk]), _form(case))
    package = DisclosurePackage.objects.get()
    assert response.status_code == 302 and response.url == _url("packages:detail", package)
    assert len(package.items) == 4


def test_invalid_input_is_shown_and_kept(login, case):
    client = login(case.world.practitioner)
    response = client.post(
        reverse("packages:create", args=[case.s.family.pk]),
        _form(case, items_contact=[], people=[]),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Choose the people whose information goes" in html
    assert "Attendance support" in html  # nothing lost
    response = client.post(
        reverse("packages:create", args=[case.s.family.pk]), _form(case, items_contact=[])
    )
    assert "An attachment goes only with its case note" in response.content.decode()
    assert not DisclosurePackage.objects.exists()


def test_outsiders_cannot_reach_the_pages(login, case):
    package = case.create()
    client = login(case.world.practitioner_south)
    assert client.get(reverse("packages:create", args=[case.s.family.pk])).status_code == 404
    assert client.get(_url("packages:detail", package)).status_code == 404
    assert client.get(reverse("packages:list", args=[case.s.family.pk])).status_code == 404


def test_the_preview_shows_exactly_what_goes_redacted(login, case):
    package = case.create()
    client = login(case.world.practitioner)
    html = client.get(_url("packages:detail", package)).content.decode()
    assert "Exactly what will go" in html
    assert "[other household member]" in html and "[address withheld]" in html
    assert "attachments/attachment-01.png" in html
    assert "cannot be redacted" in html
    assert "The sharing check would refuse this" in html  # no agreement yet
    assert_clean(html, "the preview page")
    case.agree()
    html = client.get(_url("packages:detail", package)).content.decode()
    assert "The sharing check allows this now" in html


def test_four_eyes_on_the_pages(login, case):
    case.agree()
    package = case.create()
    client = login(case.world.practitioner)
    assert client.post(_url("packages:submit", package)).status_code == 302
    # The practitioner who prepared it cannot approve it.
    response = client.post(_url("packages:decide", package), {"decision": "approve"})
    assert response.status_code == 403
    client.logout()
    manager = login(case.world.manager)
    detail = manager.get(_url("packages:detail", package)).content.decode()
    assert "Your approval" in detail
    response = manager.post(_url("packages:decide", package), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED and package.approved_by == case.world.manager


def test_a_rejection_without_a_note_is_explained(login, case):
    package = case.create()
    services.submit_package(actor=case.world.practitioner, package=package)
    client = login(case.world.manager)
    response = client.post(_url("packages:decide", package), {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert "Say why you are not approving the package." in response.content.decode()


def test_release_shows_the_passphrase_once_and_the_file_downloads(login, case):
    case.agree()
    package = case.approved()
    client = login(case.world.practitioner)
    response = client.post(_url("packages:release", package))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "different channel" in html and "only time the passphrase is shown" in html
    passphrase = html.split("<code>")[1].split("</code>")[0]
    assert len(passphrase) == 29
    assert_clean(html, "the release page")
    # Not in the session, not on the package page afterwards.
    session = client.session
    assert passphrase not in str(dict(session.items()))
    detail = client.get(_url("packages:detail", package)).content.decode()
    assert passphrase not in detail
    assert_clean(detail, "the released package page")

    download = client.get(_url("packages:download", package))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="disclosure-')
    with pyzipper.AESZipFile(io.BytesIO(download.content)) as archive_file:
        archive_file.setpassword(passphrase.encode())
        assert archive_file.read("disclosure.pdf").startswith(b"%PDF")
    client.logout()  # the approver may download it too
    manager = login(case.world.manager)
    assert manager.get(_url("packages:download", package)).status_code == 200
    # The release is on the family's timeline, linking to the package.
    family_page = manager.get(reverse("casework:family", args=[case.s.family.pk]))
    assert _url("packages:detail", package) in family_page.content.decode()


def test_a_refused_release_says_why_and_releases_nothing(login, case):
    agreements = case.agree()
    package = case.approved()
    withdraw_agreement(
        actor=case.world.practitioner,
        agreement=agreements[0],
        withdrawn_on=timezone.localdate(),
        withdrawn_by=case.s.parent.pk,
        note="",
    )
    client = login(case.world.practitioner)
    response = client.post(_url("packages:release", package), follow=True)
    html = response.content.decode()
    assert "Nothing was released." in html
    assert "refused by the sharing check" in html and "No agreement to share" in html
    package.refresh_from_db()
    assert package.status == PackageStatus.REFUSED and not package.stored_file


# Session, user, grants, the gatekeeper's reads and audit events, the page's reads (PostgreSQL
# adds the audit chain's advisory lock per event): fixed whatever the number of rows.
LIST_QUERIES = {"sqlite": 19, "postgresql": 21}
APPROVALS_QUERIES = {"sqlite": 12, "postgresql": 13}


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_family_list_has_fixed_queries(client, case):
    client.force_login(case.world.practitioner)
    url = reverse("packages:list", args=[case.s.family.pk])
    case.create()
    assert _count(client, url)[0] == LIST_QUERIES[connection.vendor]
    for _ in range(3):
        case.create()
    count, html = _count(client, url)
    assert count == LIST_QUERIES[connection.vendor]
    assert len(re.findall(r"disclosure-packages/[0-9a-f-]{36}/", html)) == 4
    assert_clean(html, "the list page")


def test_the_approvals_list_shows_others_packages(client, case):
    own = case.create(actor=case.world.manager)
    services.submit_package(actor=case.world.manager, package=own)
    services.submit_package(actor=case.world.practitioner, package=case.create())
    client.force_login(case.world.manager)
    url = reverse("packages:approvals")
    assert _count(client, url)[0] == APPROVALS_QUERIES[connection.vendor]
    for _ in range(3):
        services.submit_package(actor=case.world.practitioner, package=case.create())
    count, html = _count(client, url)
    assert count == APPROVALS_QUERIES[connection.vendor]
    assert _url("packages:detail", own) not in html
    assert html.count(f"Family {case.s.family.reference}") == 4
    client.force_login(case.world.practitioner)
    assert client.get(url).status_code == 403
