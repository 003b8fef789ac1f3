"""Intake search through the page: POSTed (terms never in a URL), scoped, validated."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_search_is_posted_and_finds_accent_insensitively(world, client):
    world.open_family(first_name="Zoë", last_name="O'Brien-Łukasz")
    client.force_login(world.practitioner)
    page = client.get(reverse("people:search"))
    assert 'method="post"' in page.content.decode()
    response = client.post(reverse("people:search"), {"name": "ZOE o'brien"})
    html = response.content.decode()
    assert "1 match" in html and "O&#x27;Brien-Łukasz" in html
    assert '<a class="govuk-link" href="/families/' in html  # a real link, not escaped text


def test_duty_worker_sees_match_fields_but_no_link(world, client):
    world.open_family(last_name="Hawthorne")
    client.force_login(world.duty)
    html = client.post(reverse("people:search"), {"name": "hawth"}).content.decode()
    assert "Hawthorne" in html and "2015" in html and "North Family Support" in html
    assert "/families/" not in html


def test_bad_nhs_number_is_named_and_the_name_kept(world, client):
    client.force_login(world.duty)
    html = client.post(
        reverse("people:search"), {"name": "Quill", "nhs_number": "123"}
    ).content.decode()
    assert "There is a problem" in html and "Enter a valid NHS number" in html
    assert 'value="Quill"' in html


def test_empty_search_is_explained(world, client):
    client.force_login(world.duty)
    html = client.post(reverse("people:search"), {}).content.decode()
    assert "Enter a name, date of birth, NHS number or postcode" in html


@pytest.mark.parametrize("role", ["dpo", "analyst", "admin", "partner"])
def test_roles_without_search_are_refused(world, client, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("people:search")).status_code == 403


def test_search_by_postcode_and_date_of_birth(world, client):
    world.open_family(last_name="Marchbank", postcode="ZE2 9QP")
    client.force_login(world.duty)
    html = client.post(reverse("people:search"), {"postcode": "ze29qp"}).content.decode()
    assert "2 matches" in html
    html = client.post(
        reverse("people:search"),
        {
            "name": "marchbank",
            "date_of_birth-day": "14",
            "date_of_birth-month": "3",
            "date_of_birth-year": "2015",
        },
    ).content.decode()
    assert "1 match" in html
