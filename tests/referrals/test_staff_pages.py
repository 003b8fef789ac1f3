"""The duty desk pages through HTTP: record, queue, triage, attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from earlyhelp.referrals.models import Referral, ReferralAttachment

pytestmark = pytest.mark.django_db

# Fixed whatever the number of rows: session, user, grants, the page's queries and the audit
# event (PostgreSQL adds the audit chain's advisory lock).
QUEUE_QUERIES = {"sqlite": 13, "postgresql": 14}
# The home page of the DPO and team managers also counts their unreviewed break-glass alerts
# (earlyhelp.restricted.context_processors): one query more, whatever the number of rows.
HOME_QUERIES = {"sqlite": 16, "postgresql": 17}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(**overrides):
    data = {
        "channel": "phone",
        "source": "school",
        "received_on-day": "3",
        "received_on-month": "11",
        "received_on-year": "2026",
        "referrer_name": "Mr Ellis Thornbury",
        "referrer_organisation": "Oakfield Academy",
        "referrer_role": "Head of year",
        "referrer_phone": "01632 960555",
        "referrer_email": "e.thornbury@example.org",
        "family_aware": "yes",
        "family_consents": "yes",
        "address_line1": "4 Quince Lane",
        "address_town": "Exampleton",
        "address_postcode": "ab12xy",
        "reasons": ["getting_a_good_education"],
        "summary": "Persistent absence since September.",
        "person0-first_name": "Rowan",
        "person0-last_name": "Fairweather",
        "person0-date_of_birth-day": "9",
        "person0-date_of_birth-month": "4",
        "person0-date_of_birth-year": "2014",
        "person0-sex": "male",
        "person0-role": "child",
        "person0-nhs_number": "943 476 5919",
    }
    for i in range(1, 4):
        data.update({f"person{i}-sex": "unknown", f"person{i}-role": "child"})
    data.update(overrides)
    return data


def test_duty_worker_records_a_phone_referral_with_a_document(world, client):
    client.force_login(world.duty)
    data = _form()
    data["attachments"] = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("referrals:new"), data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.channel == "phone" and referral.recorded_by == world.duty
    assert referral.address_postcode == "AB1 2XY"
    person = referral.people.get()
    assert (person.first_name, person.nhs_number) == ("Rowan", "9434765919")
    assert referral.attachments.get().content_type == "application/pdf"


def test_a_bad_identifier_names_the_field_and_keeps_everything_else(world, client):
    client.force_login(world.duty)
    response = client.post(reverse("referrals:new"), _form(**{"person0-nhs_number": "9434765918"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a valid NHS number" in html
    for kept in (
        "Mr Ellis Thornbury",
        "Oakfield Academy",
        "4 Quince Lane",
        "Rowan",
        "Fairweather",
        "Persistent absence since September.",
    ):
        assert kept in html
    assert not Referral.objects.exists()


def test_a_bad_postcode_is_refused_with_its_own_message(world, client):
    client.force_login(world.duty)
    response = client.post(reverse("referrals:new"), _form(address_postcode="QQ1 1ZZ"))
    assert "Enter a full UK postcode" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_disguised_file_is_refused_and_nothing_is_kept(world, client, settings):
    client.force_login(world.duty)
    data = _form()
    data["attachments"] = SimpleUploadedFile(
        "report.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf"
    )
    response = client.post(reverse("referrals:new"), data)
    assert response.status_code == 200
    assert "must be a PDF, an image" in response.content.decode()
    assert not Referral.objects.exists()
    stored = settings.EARLYHELP_PRIVATE_FILES_DIR / "attachments"
    assert not stored.exists() or not any(stored.iterdir())


def test_attachments_are_served_only_through_the_permission_check(world, client):
    client.force_login(world.duty)
    data = _form()
    data["attachments"] = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    client.post(reverse("referrals:new"), data)
    attachment = ReferralAttachment.objects.get()
    url = reverse("referrals:attachment", args=[attachment.referral_id, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(world.practitioner_south)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_triage_through_the_page_accepts_and_allocates(world, client):
    referral = world.referral()
    client.force_login(world.duty)
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert "Triage" in page.content.decode()
    response = client.post(
        reverse("referrals:detail", args=[referral.pk]),
        {"outcome": "accepted", "team": "north", "lead_practitioner": "pat"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "accepted" and referral.episode.team == world.north
    client.force_login(world.practitioner)
    family_page = client.get(reverse("casework:family", args=[referral.family_id]))
    assert "Zoë Quillfeather" in family_page.content.decode()


def test_accepting_without_a_team_is_explained(world, client):
    referral = world.referral()
    client.force_login(world.duty)
    response = client.post(reverse("referrals:detail", args=[referral.pk]), {"outcome": "accepted"})
    assert "Choose the team to allocate the family to" in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_queue_query_count_is_pinned(world, client):
    client.force_login(world.duty)
    world.referral()
    assert _count(client, reverse("referrals:queue")) == QUEUE_QUERIES[connection.vendor]
    for _ in range(5):
        world.referral()
    assert _count(client, reverse("referrals:queue")) == QUEUE_QUERIES[connection.vendor]


def test_home_query_count_is_pinned(world, client):
    world.open_family()
    client.force_login(world.manager)
    assert _count(client, reverse("core:home")) == HOME_QUERIES[connection.vendor]
    for _ in range(5):
        world.open_family()
    assert _count(client, reverse("core:home")) == HOME_QUERIES[connection.vendor]


def _count(client, url: str) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
