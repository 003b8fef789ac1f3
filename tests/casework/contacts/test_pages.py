"""The contact pages through HTTP: record, read, correct, delete, download, list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.casework.contacts.services import correct_contact, delete_contact
from earlyhelp.casework.models import Contact, ContactAttachment
from tests.casework.contacts.conftest import PNG, contact_input, person, record

pytestmark = pytest.mark.django_db

# Fixed whatever the number of rows: session, user, grants, the family gatekeeper and its
# audit event, the members, the page count, the page, its subjects, the list's audit event,
# the open episode and the session save (savepoints included). PostgreSQL takes the audit
# chain's advisory lock once per audited write (two here).
LIST_QUERIES = {"sqlite": 21, "postgresql": 23}


def _form(family, **overrides):
    child, parent = person(family, "Zoë"), person(family, "Marigold")
    when = timezone.localtime() - timedelta(days=1)
    data = {
        "contact_type": "home_visit",
        "occurred_on-day": str(when.day),
        "occurred_on-month": str(when.month),
        "occurred_on-year": str(when.year),
        "occurred_time": "2:30pm",
        "subjects": [str(child.pk)],
        "present_members": [str(child.pk), str(parent.pk)],
        "professionals_present": "Sam Lee, Brookfield Primary School, DSL",
        "note": "Kitchen tidy; breakfast routine in place.",
        f"child_{child.pk.hex}": "I want to walk to school with my friend.",
        f"child_{child.pk.hex}_recorded_as": "verbatim",
        f"parent_{parent.pk.hex}": "Things are easier since the chart.",
        f"parent_{parent.pk.hex}_recorded_as": "summarised",
    }
    data.update(overrides)
    return data


def test_a_practitioner_records_a_home_visit_with_a_photograph(world, north, client):
    family, _ = north
    client.force_login(world.practitioner)
    page = client.get(reverse("contacts:new", args=[family.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Zoë Ashgrove&#39;s own words" in html
    data = _form(family)
    data["attachments"] = SimpleUploadedFile("kitchen.png", PNG, content_type="image/png")
    response = client.post(reverse("contacts:new", args=[family.pk]), data)
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[family.pk, contact.pk])
    local = timezone.localtime(contact.occurred_at)
    assert (local.hour, local.minute) == (14, 30)
    assert contact.professionals[0]["organisation"] == "Brookfield Primary School"
    assert contact.attachments.get().is_photo
    detail = client.get(response["Location"]).content.decode()
    assert "This note is about:" in detail
    assert "I want to walk to school with my friend." in detail
    assert "Verbatim" in detail and "Summarised" in detail
    assert "kitchen.png" in detail and "photograph" in detail


def test_a_problem_is_explained_and_everything_typed_is_kept(world, north, client):
    family, _ = north
    client.force_login(world.practitioner)
    child = person(family, "Zoë")
    response = client.post(
        reverse("contacts:new", args=[family.pk]),
        _form(family, occurred_time="25:99", **{f"child_{child.pk.hex}_recorded_as": ""}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a real time, like 9:30am or 14:30" in html
    assert "recorded verbatim or summarised" in html
    for kept in (
        "Kitchen tidy; breakfast routine in place.",
        "I want to walk to school with my friend.",
        "Sam Lee, Brookfield Primary School, DSL",
    ):
        assert kept in html
    assert not Contact.objects.exists()


def test_a_name_from_another_family_needs_confirming_on_the_page(world, north, client):
    family, _ = north
    world.open_family(last_name="Birchwood")
    client.force_login(world.practitioner)
    data = _form(family, note="Marigold Birchwood said the chart helps.")
    first = client.post(reverse("contacts:new", args=[family.pk]), data)
    html = first.content.decode()
    assert first.status_code == 200
    assert "another family" in html and "Marigold Birchwood" in html
    assert "Yes, save it anyway" in html
    assert "Marigold Birchwood said the chart helps." in html  # kept as typed
    assert not Contact.objects.exists()
    second = client.post(
        reverse("contacts:new", args=[family.pk]), {**data, "confirm_other_family_names": "on"}
    )
    assert second.status_code == 302
    contact = Contact.objects.get()
    assert contact.names_other_family
    detail = client.get(second["Location"]).content.decode()
    assert "named someone from another family" in detail


def test_a_closed_family_explains_that_no_contact_can_be_recorded(world, client):
    family, _ = world.closed_family(last_name="Cedarfell")
    client.force_login(world.manager)
    response = client.get(reverse("contacts:new", args=[family.pk]))
    assert response.status_code == 409
    assert "no open episode" in response.content.decode()


def test_correcting_through_the_page_keeps_the_earlier_version_visible(world, north, client):
    family, _ = north
    contact = record(world.practitioner, family)
    client.force_login(world.practitioner)
    url = reverse("contacts:correct", args=[family.pk, contact.pk])
    page = client.get(url).content.decode()
    assert "Morning routine chart agreed" in page  # the form starts from the note
    local = timezone.localtime(contact.occurred_at)
    child = person(family, "Zoë")
    data = _form(
        family,
        note="Bedtime routine chart agreed.",
        reason="Wrote morning where it was bedtime",
        **{
            "occurred_on-day": str(local.day),
            "occurred_on-month": str(local.month),
            "occurred_on-year": str(local.year),
            "occurred_time": local.strftime("%H:%M"),
            f"child_{child.pk.hex}": "I like it when mum walks me to school.",
        },
    )
    missing_reason = client.post(url, {**data, "reason": ""})
    assert "Say why you are correcting this note" in missing_reason.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Corrected on" in detail and "Pat North" in detail
    assert "Wrote morning where it was bedtime" in detail
    assert "Earlier versions" in detail
    assert "Morning routine chart agreed" in detail  # the earlier text, in its history
    assert "Bedtime routine chart agreed." in detail


def test_deleting_through_the_page_leaves_a_tombstone(world, north, client):
    family, _ = north
    contact = record(world.practitioner, family)
    correct_contact(
        actor=world.practitioner,
        contact=contact,
        data=contact_input(family, note="Second version of the note."),
        reason="Typo",
    )
    client.force_login(world.practitioner)
    url = reverse("contacts:delete", args=[family.pk, contact.pk])
    assert client.get(url).status_code == 403
    client.force_login(world.manager)
    assert "Delete this note" in client.get(url).content.decode()
    assert "Say why" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Recorded on the wrong family"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "This note was deleted on" in detail and "Recorded on the wrong family" in detail
    for gone in ("Second version of the note.", "Morning routine chart", "mum walks me"):
        assert gone not in detail
    assert "Earlier versions" not in detail
    listing = client.get(reverse("contacts:list", args=[family.pk])).content.decode()
    assert "Deleted" in listing


def test_attachments_are_served_only_through_the_permission_check(world, north, client):
    family, _ = north
    client.force_login(world.practitioner)
    data = _form(family)
    data["attachments"] = SimpleUploadedFile("kitchen.png", PNG, content_type="image/png")
    client.post(reverse("contacts:new", args=[family.pk]), data)
    item = ContactAttachment.objects.get()
    url = reverse("contacts:attachment", args=[family.pk, item.contact_id, item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(world.practitioner_south)
    assert client.get(url).status_code == 404
    client.force_login(world.manager_south)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # Once the note is deleted the file has gone too.
    delete_contact(actor=world.manager, contact=item.contact, reason="Wrong family")
    client.force_login(world.practitioner)
    assert client.get(url).status_code == 404


def test_the_list_filters_by_person_and_paginates(world, north, client):
    family, _ = north
    child, parent = person(family, "Zoë"), person(family, "Marigold")
    for _ in range(26):
        record(world.practitioner, family, subjects=[child.pk], child_words=[], parent_views=[])
    record(world.practitioner, family, subjects=[parent.pk], child_words=[], parent_views=[])
    client.force_login(world.practitioner)
    url = reverse("contacts:list", args=[family.pk])
    first = client.get(url).content.decode()
    assert "Contacts, newest first (27)" in first and "page=2" in first
    about_parent = client.get(url, {"person": str(parent.pk)}).content.decode()
    assert "Contacts, newest first (1)" in about_parent
    assert client.get(url, {"page": "2"}).status_code == 200


def test_list_query_count_is_pinned(world, north, client):
    family, _ = north
    client.force_login(world.practitioner)
    url = reverse("contacts:list", args=[family.pk])
    for _ in range(2):
        record(world.practitioner, family)
    assert _count(client, url) == LIST_QUERIES[connection.vendor]
    for _ in range(5):
        record(world.manager, family)
    assert _count(client, url) == LIST_QUERIES[connection.vendor]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
