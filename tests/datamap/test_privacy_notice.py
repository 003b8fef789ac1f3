"""The public privacy notice, its versions, and publishing a new one (DPO only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import InvalidInput, PermissionDenied
from earlyhelp.datamap.models import PrivacyNotice
from earlyhelp.datamap.selectors import current_notice
from earlyhelp.datamap.services import publish_notice
from earlyhelp.datamap.views import Block, notice_blocks
from tests.factories import World

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

NEW_BODY = "We have changed how we keep records.\n\n## Your rights\nYou can ask to see them."


def test_current_notice_is_version_one_after_install() -> None:
    notice = current_notice()
    assert notice.version == 1
    assert "Early Help" in notice.title


def test_notice_is_public_without_login(client: Client) -> None:
    response = client.get(reverse("datamap:privacy_notice"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "How Early Help uses your information" in html
    assert "Version 1, published" in html
    # "## " lines become headings, everything else paragraphs.
    assert '<h2 class="govuk-heading-m">Your rights</h2>' in html
    assert "## " not in html
    assert html.count("<h1") == 1


def test_old_version_viewable_without_login(client: Client) -> None:
    response = client.get(reverse("datamap:privacy_notice_version", kwargs={"version": 1}))
    assert response.status_code == 200
    assert "Version 1, published" in response.content.decode()


def test_unknown_version_is_404(client: Client) -> None:
    response = client.get(reverse("datamap:privacy_notice_version", kwargs={"version": 99}))
    assert response.status_code == 404


def test_dpo_publishes_v2_public_page_shows_it_v1_still_readable(
    world: World, login: Login
) -> None:
    v1_body = PrivacyNotice.objects.get(version=1).body
    dpo_client = login(world.dpo)
    response = dpo_client.post(
        reverse("datamap:notice_versions"), {"title": "Your information, updated", "body": NEW_BODY}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("datamap:notice_versions")

    v2 = PrivacyNotice.objects.get(version=2)
    assert v2.published_by == world.dpo
    assert current_notice() == v2
    assert AuditEvent.objects.filter(
        action="create", object_type="privacy_notice", object_id=str(v2.pk), actor_id=world.dpo.pk
    ).exists()
    # Version 1 is untouched.
    assert PrivacyNotice.objects.get(version=1).body == v1_body

    listing = dpo_client.get(reverse("datamap:notice_versions")).content.decode()
    assert "Version 2" in listing and "Version 1" in listing
    assert world.dpo.display_name in listing

    public = Client()
    current = public.get(reverse("datamap:privacy_notice")).content.decode()
    assert "Your information, updated" in current
    assert "Version 2, published" in current
    old = public.get(reverse("datamap:privacy_notice_version", kwargs={"version": 1}))
    assert old.status_code == 200
    old_html = old.content.decode()
    assert "Version 1, published" in old_html
    assert "earlier version" in old_html


def test_blank_title_keeps_current_title(world: World) -> None:
    notice = publish_notice(actor=world.dpo, title="  ", body=NEW_BODY)
    assert notice.version == 2
    assert notice.title == PrivacyNotice.objects.get(version=1).title


def test_versions_increase_by_one(world: World) -> None:
    versions = [
        publish_notice(actor=world.dpo, title="T", body=f"Text {n}").version for n in range(3)
    ]
    assert versions == [2, 3, 4]


def test_body_is_required(world: World, login: Login) -> None:
    response = login(world.dpo).post(
        reverse("datamap:notice_versions"), {"title": "T", "body": " "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the text of the privacy notice" in html
    assert not PrivacyNotice.objects.filter(version=2).exists()
    with pytest.raises(InvalidInput):
        publish_notice(actor=world.dpo, title="T", body="")


@pytest.mark.parametrize("role", ["practitioner", "manager", "duty", "analyst", "admin", "partner"])
def test_non_dpo_cannot_publish(world: World, login: Login, role: str) -> None:
    client = login(getattr(world, role))
    assert client.get(reverse("datamap:notice_versions")).status_code == 403
    response = client.post(reverse("datamap:notice_versions"), {"title": "T", "body": NEW_BODY})
    assert response.status_code == 403
    assert list(PrivacyNotice.objects.values_list("version", flat=True)) == [1]
    with pytest.raises(PermissionDenied):
        publish_notice(actor=getattr(world, role), title="T", body=NEW_BODY)
    assert PrivacyNotice.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="privacy_notice").exists()


def test_versions_page_needs_login(client: Client) -> None:
    response = client.get(reverse("datamap:notice_versions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_notice_text_is_escaped_not_rendered_as_html(world: World, client: Client) -> None:
    publish_notice(
        actor=world.dpo,
        title="<b>Notice</b>",
        body="## <script>alert(1)</script>\nA <a href='x'>link</a> & more.",
    )
    html = client.get(reverse("datamap:privacy_notice")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<a href='x'>" not in html
    assert "<b>Notice</b>" not in html


def test_notice_blocks_split_headings_and_paragraphs() -> None:
    body = "Intro line one\nline two\n\n## Heading\nPara after heading\n\n\nLast"
    assert notice_blocks(body) == [
        Block("paragraph", "Intro line one line two"),
        Block("heading", "Heading"),
        Block("paragraph", "Para after heading"),
        Block("paragraph", "Last"),
    ]


def test_versions_page_query_count_does_not_grow_with_versions(
    world: World, login: Login, django_assert_num_queries: Any
) -> None:
    client = login(world.dpo)
    url = reverse("datamap:notice_versions")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one_version:
        assert client.get(url).status_code == 200
    for n in range(3):
        publish_notice(actor=world.dpo, title="T", body=f"Text {n}")
    with django_assert_num_queries(len(one_version.captured_queries)):
        assert client.get(url).status_code == 200
