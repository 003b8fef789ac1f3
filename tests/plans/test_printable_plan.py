"""The printed plan and its PDF hold only the plan: no address, no one the plan leaves out."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Address
from earlyhelp.plans import services

pytestmark = pytest.mark.django_db

# Parts of addresses: one confidential (the parent's refuge), one ordinary (the excluded
# man's). Neither may appear anywhere in a printed plan.
ADDRESS_PARTS = [
    "Hawthorn Refuge",
    "7 Sorrel Close",
    "ZZ9 4QT",
    "31 Tansy Street",
    "Fenmarsh",
    "ZZ8 1AB",
]
EXCLUDED_NAMES = ["Wystan"]


@pytest.fixture
def addresses(setup):
    Address.objects.create(
        person=setup.parent,
        line1="Hawthorn Refuge",
        line2="7 Sorrel Close",
        town="Exampleton",
        postcode="ZZ9 4QT",
        confidential=True,
    )
    Address.objects.create(
        person=setup.excluded, line1="31 Tansy Street", town="Fenmarsh", postcode="ZZ8 1AB"
    )


def _text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # Table cells wrap, at spaces and after hyphens: compare with the wrapping undone.
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def _check_only_the_plan(text: str, setup) -> None:
    for part in ADDRESS_PARTS + EXCLUDED_NAMES:
        assert part not in text, part
    assert setup.family.reference in text
    assert "Zoë Quillfeather" in text and "Marigold Quillfeather" in text
    assert "Zoë is in school every day and on time." in text
    assert "Set up a morning routine chart" in text
    assert "Ms Hollis Partridge" in text and "Brookfield Primary School" in text


def test_the_pdf_leaves_out_addresses_and_people_the_plan_does_not_include(
    world, plan, setup, addresses, client
):
    client.force_login(world.practitioner)
    response = client.get(reverse("plans:pdf", args=[setup.family.pk, plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    _check_only_the_plan(_text(response.content), setup)
    export = AuditEvent.objects.get(action="export")
    assert export.detail == {"format": "pdf", "version": 1}


def test_the_print_page_leaves_them_out_too(world, plan, setup, addresses, client):
    client.force_login(world.practitioner)
    response = client.get(reverse("plans:print", args=[setup.family.pk, plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    _check_only_the_plan(html.replace("&#39;", "'"), setup)
    assert "/static/plans/print.css" in html
    assert "style=" not in html and "<style" not in html


def test_the_family_page_does_hold_the_address_so_the_test_can_fail(
    world, plan, setup, addresses, client
):
    client.force_login(world.practitioner)
    html = client.get(reverse("casework:family", args=[setup.family.pk])).content.decode()
    assert "Hawthorn Refuge" in html and "Wystan" in html


def test_someone_the_plan_names_later_is_printed(world, plan, setup, client):
    services.add_member(
        actor=world.practitioner,
        version=services.current_version(plan),
        person=setup.excluded.pk,
        role_in_plan="Grandfather, helps with mornings",
    )
    client.force_login(world.practitioner)
    response = client.get(reverse("plans:pdf", args=[setup.family.pk, plan.pk]))
    assert "Wystan Quillfeather" in _text(response.content)


def test_a_printed_plan_says_it_must_not_go_to_the_taf_while_the_family_objects(
    world, plan, setup, client
):
    services.record_objection(
        actor=world.practitioner,
        plan=plan,
        objected_by=setup.parent.pk,
        objected_on=timezone.localdate(),
    )
    client.force_login(world.practitioner)
    response = client.get(reverse("plans:pdf", args=[setup.family.pk, plan.pk]))
    assert "Not to be shared with TAF members" in _text(response.content)
    page = client.get(reverse("plans:print", args=[setup.family.pk, plan.pk])).content.decode()
    assert "Not to be shared with TAF members" in page


def test_the_pdf_fetches_nothing(world, plan, setup, monkeypatch):
    """Every URL the renderer meets is refused: nothing is fetched from the network."""
    from earlyhelp.plans import printing

    seen: list[str] = []
    original = printing.render_to_string

    def with_remote_resources(template, context):
        seen.append(template)
        html = original(template, context)
        return html.replace(
            "</head>",
            '<link rel="stylesheet" href="http://198.51.100.7/x.css">'
            '<img src="file:///etc/passwd"></head>',
        )

    monkeypatch.setattr(printing, "render_to_string", with_remote_resources)
    import urllib.request

    fetched: list[object] = []

    def record_fetch(self, url, *args, **kwargs):
        fetched.append(url)
        raise OSError("offline")

    # WeasyPrint's own fetcher opens URLs through urllib's OpenerDirector.open.
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record_fetch)
    version = services.current_version(plan)
    pdf = printing.render_plan_pdf(printing.printable_plan(version, objection_active=False))
    assert pdf.startswith(b"%PDF") and seen == ["plans/pdf.html"]
    assert fetched == []
