"""The public online referral form at /refer/: no sign-in, answers kept, spam kept out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.core.identifiers import is_valid_nhs_number
from earlyhelp.core.models import CodeEntry
from earlyhelp.datamap.selectors import current_notice
from earlyhelp.datamap.services import publish_notice
from earlyhelp.referrals.models import Channel, Referral

pytestmark = pytest.mark.django_db

CHILD = {
    "first_name": "Juniper",
    "last_name": "Thistlewaite",
    "date_of_birth-day": "14",
    "date_of_birth-month": "3",
    "date_of_birth-year": "2016",
    "sex": "female",
    "role": "child",
    "nhs_number": "",
}
PARENT = {
    "first_name": "Rowena",
    "last_name": "Thistlewaite",
    "date_of_birth-day": "2",
    "date_of_birth-month": "7",
    "date_of_birth-year": "1987",
    "sex": "female",
    "role": "parent_or_carer",
    "nhs_number": "",
}
ADDRESS = {
    "address_line1": "12 Larkspur Row",
    "address_town": "Exampleton",
    "address_postcode": "ab1 2xy",
}
CONCERN = {
    "reasons": ["getting_a_good_education", "secure_housing"],
    "summary": "Attendance has dropped since the family moved.",
}


def _nhs_number() -> str:
    """A valid number from the NHS test range (999...)."""
    return next(
        candidate for n in range(1000) if is_valid_nhs_number(candidate := f"9990000{n:03d}")
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # The rate limit counts in the cache, which outlives a test's database transaction.
    cache.clear()


def _post(client: Client, path: str, data: dict[str, Any], **extra: Any) -> Any:
    response = client.post(path, data, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def fill_in(
    client: Client, *, who: str = "professional", people: tuple[dict, ...] = (CHILD, PARENT)
) -> None:
    """Answer every question page up to (not including) the check page."""
    _post(client, "/refer/who/", {"referrer_type": who})
    details: dict[str, str] = {
        "referrer_name": "Ottilie Brambleby",
        "phone": "01632 960001",
        "email": "o.brambleby@school.example",
    }
    if who == "professional":
        details |= {
            "organisation_type": "school",
            "organisation": "Exampleton Primary",
            "role": "Family support lead",
        }
    _post(client, "/refer/your-details/", details)
    for index, person in enumerate(people):
        _post(client, "/refer/people/add/", person)
        more = "yes" if index < len(people) - 1 else "no"
        _post(client, "/refer/people/", {"add_another": more})
    _post(client, "/refer/address/", ADDRESS)
    _post(client, "/refer/concern/", CONCERN)
    agreement = {"family_consents": "yes"}
    if who != "self":
        agreement["family_aware"] = "yes"
    _post(client, "/refer/agreement/", agreement)


def submit(client: Client, **extra: Any) -> Any:
    return client.post("/refer/check/", {"website": ""}, **extra)


def test_pages_are_public_but_staff_pages_are_not(client: Client) -> None:
    start = client.get("/refer/")
    assert start.status_code == 200
    assert "Start now" in start.content.decode()
    assert 'href="/privacy-notice/"' in start.content.decode()
    assert client.get("/refer/who/").status_code == 200
    staff = client.get("/referrals/")
    assert staff.status_code == 302
    assert staff["Location"].startswith(reverse("accounts:login"))


def test_happy_path_records_one_online_referral_with_the_notice_shown(client: Client) -> None:
    fill_in(client)
    check = client.get("/refer/check/")
    assert check.status_code == 200
    page = check.content.decode()
    notice = current_notice()
    assert "Juniper Thistlewaite" in page
    assert "AB1 2XY" in page  # normalised
    assert 'href="/privacy-notice/"' in page
    assert f"version {notice.version}" in page
    assert 'name="website"' in page and 'tabindex="-1"' in page

    response = submit(client)

    assert response.status_code == 302
    assert response["Location"] == "/refer/done/"  # the reference is never in the URL
    referral = Referral.objects.get()
    assert referral.channel == Channel.ONLINE_FORM
    assert referral.source == "school"
    assert referral.recorded_by is None
    assert referral.privacy_notice == notice
    assert referral.referrer_name == "Ottilie Brambleby"
    assert referral.referrer_organisation == "Exampleton Primary"
    assert referral.address_postcode == "AB1 2XY"
    assert referral.reasons == CONCERN["reasons"]
    assert referral.summary == CONCERN["summary"]
    assert referral.family_aware is True and referral.family_consents is True
    people = [(p.first_name, p.last_name, p.date_of_birth, p.role) for p in referral.people.all()]
    assert people == [
        ("Juniper", "Thistlewaite", date(2016, 3, 14), "child"),
        ("Rowena", "Thistlewaite", date(1987, 7, 2), "parent_or_carer"),
    ]


def test_confirmation_shows_the_reference_and_no_personal_data(client: Client) -> None:
    fill_in(client)
    client.get("/refer/check/")
    submit(client)
    reference = Referral.objects.get().reference

    page = client.get("/refer/done/").content.decode()

    assert f"<strong>{reference}</strong>" in page
    assert "govuk-panel" in page
    for personal in ("Juniper", "Rowena", "Thistlewaite", "Brambleby", "AB1 2XY", "Larkspur"):
        assert personal not in page
    # The answers are gone from the session: a new visit starts from the first question.
    assert client.get("/refer/check/")["Location"] == "/refer/who/"


def test_confirmation_page_without_a_submission_goes_to_the_start(client: Client) -> None:
    response = client.get("/refer/done/")
    assert response.status_code == 302
    assert response["Location"] == "/refer/"


def test_self_referral_is_recorded_as_from_the_family(client: Client) -> None:
    fill_in(client, who="self")
    page = client.get("/refer/check/").content.decode()
    assert "Family knows about the referral" not in page
    submit(client)
    referral = Referral.objects.get()
    assert referral.source == "self_or_family"
    assert referral.family_aware is True
    assert referral.referrer_organisation == ""


def test_someone_else_is_recorded_with_source_other(client: Client) -> None:
    fill_in(client, who="other")
    client.get("/refer/check/")
    submit(client)
    assert Referral.objects.get().source == "other"


def test_the_notice_version_shown_is_recorded_even_if_a_newer_one_is_published(
    client: Client, world: Any
) -> None:
    fill_in(client)
    shown = current_notice()
    client.get("/refer/check/")
    newer = publish_notice(actor=world.dpo, title="", body="A newer notice.")
    assert current_notice() == newer

    submit(client)

    assert Referral.objects.get().privacy_notice == shown


def test_submitting_without_seeing_the_check_page_sends_the_referrer_there(client: Client) -> None:
    fill_in(client)
    response = submit(client)
    assert response["Location"] == "/refer/check/"
    assert not Referral.objects.exists()


def test_invalid_postcode_is_named_and_other_answers_are_kept(client: Client) -> None:
    fill_in(client)
    response = client.post("/refer/address/", {**ADDRESS, "address_postcode": "AB1 2CX"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a full UK postcode" in page
    assert 'href="#id_address_postcode"' in page
    assert "12 Larkspur Row" in page  # kept on the page
    assert page.count("govuk-error-message") == 1
    # ... and the earlier pages' answers are untouched.
    assert "Juniper Thistlewaite" in client.get("/refer/check/").content.decode()


def test_invalid_nhs_number_and_dates_redisplay_with_answers_kept(client: Client) -> None:
    fill_in(client, people=())
    bad_nhs = client.post("/refer/people/add/", {**CHILD, "nhs_number": "999 000 0001"})
    page = bad_nhs.content.decode()
    assert bad_nhs.status_code == 200
    assert "Enter a valid NHS number" in page
    assert 'value="Juniper"' in page
    assert 'value="Thistlewaite"' in page

    not_a_date = client.post(
        "/refer/people/add/", {**CHILD, "date_of_birth-day": "31", "date_of_birth-month": "2"}
    )
    assert "Date of birth must be a real date" in not_a_date.content.decode()
    assert 'value="31"' in not_a_date.content.decode()

    tomorrow = timezone.localdate() + timedelta(days=1)
    future = client.post(
        "/refer/people/add/",
        {
            **CHILD,
            "date_of_birth-day": str(tomorrow.day),
            "date_of_birth-month": str(tomorrow.month),
            "date_of_birth-year": str(tomorrow.year),
        },
    )
    assert "Date of birth must be today or in the past" in future.content.decode()
    # Nobody was added by the failed attempts.
    assert client.get("/refer/people/")["Location"] == "/refer/people/add/"


def test_a_valid_nhs_number_is_recorded(client: Client) -> None:
    number = _nhs_number()
    fill_in(client, people=({**CHILD, "nhs_number": f"{number[:3]} {number[3:6]} {number[6:]}"},))
    client.get("/refer/check/")
    submit(client)
    assert Referral.objects.get().people.get().nhs_number == number


def test_email_is_validated_and_a_way_to_contact_is_required(client: Client) -> None:
    _post(client, "/refer/who/", {"referrer_type": "self"})
    bad = client.post(
        "/refer/your-details/", {"referrer_name": "Ada Quince", "email": "not-an-email"}
    )
    assert "Enter an email address in the correct format" in bad.content.decode()
    none = client.post("/refer/your-details/", {"referrer_name": "Ada Quince"})
    assert "Enter a phone number or email address" in none.content.decode()
    professional = client.post("/refer/who/", {"referrer_type": "professional"})
    assert professional.status_code == 302
    missing = client.post(
        "/refer/your-details/", {"referrer_name": "Ada Quince", "phone": "01632 960002"}
    )
    assert "Enter the name of your organisation" in missing.content.decode()


def test_a_service_refusal_is_shown_on_the_page_that_asked(client: Client) -> None:
    fill_in(client)
    client.get("/refer/check/")
    # A reason retired by the council between the question page and submission.
    CodeEntry.objects.filter(list_name="referral_reasons", code="secure_housing").update(
        active=False
    )

    response = submit(client)

    assert response["Location"] == "/refer/concern/"
    assert not Referral.objects.exists()
    page = client.get("/refer/concern/").content.decode()
    assert "There is a problem" in page
    assert 'href="#id_reasons"' in page
    assert "Attendance has dropped" in page  # the summary is kept


def test_up_to_eight_people_and_people_can_be_removed(client: Client) -> None:
    fill_in(client, people=(CHILD,) * 8)
    assert client.get("/refer/people/add/")["Location"] == "/refer/people/"
    summary = client.get("/refer/people/").content.decode()
    assert "You have added 8 people" in summary
    assert 'name="add_another"' not in summary
    _post(client, "/refer/people/2/remove/", {})
    assert "You have added 7 people" in client.get("/refer/people/").content.decode()
    assert client.get("/refer/people/9/").status_code == 404


def test_honeypot_rejects_the_submission_and_stores_nothing(client: Client) -> None:
    fill_in(client)
    client.get("/refer/check/")

    response = client.post("/refer/check/", {"website": "http://spam.example"})

    assert response.status_code == 400
    assert "spam.example" not in response.content.decode()
    assert not Referral.objects.exists()


def test_honeypot_on_a_question_page_keeps_nothing(client: Client) -> None:
    response = client.post("/refer/who/", {"referrer_type": "self", "website": "x"})
    assert response.status_code == 400
    # The answer was not kept: the details page still needs the first question.
    assert client.get("/refer/your-details/")["Location"] == "/refer/who/"


def test_rate_limit_per_client_address(client: Client, settings: Any) -> None:
    settings.EARLYHELP_PUBLIC_REFERRALS_PER_HOUR = 2
    for _ in range(2):
        fill_in(client)
        client.get("/refer/check/")
        assert submit(client).status_code == 302
    fill_in(client)
    client.get("/refer/check/")

    response = submit(client)

    assert response.status_code == 429
    assert "try again" in response.content.decode().lower()
    assert Referral.objects.count() == 2
    # Another address has its own allowance.
    assert submit(client, REMOTE_ADDR="192.0.2.45").status_code == 302
    assert Referral.objects.count() == 3


def test_rate_limit_key_does_not_contain_the_address() -> None:
    from django.test import RequestFactory

    from earlyhelp.referrals.ratelimit import client_key

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    key = client_key(request)
    assert "203.0.113.7" not in key
    assert len(key) == 64
    assert key == client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
    assert key != client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.8"))


def test_a_refusal_about_one_person_is_shown_on_that_persons_page(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from earlyhelp.core.errors import InvalidInput
    from earlyhelp.referrals import public_views

    def refuse(**kwargs: Any) -> None:
        raise InvalidInput("Enter a valid NHS number", field="people.1.nhs_number")

    monkeypatch.setattr(public_views, "create_referral", refuse)
    fill_in(client)
    client.get("/refer/check/")

    response = submit(client)

    assert response["Location"] == "/refer/people/2/"
    page = client.get("/refer/people/2/").content.decode()
    assert 'href="#id_nhs_number"' in page
    assert 'value="Rowena"' in page
    # Shown once: the next visit shows the page without the error.
    assert "There is a problem" not in client.get("/refer/people/2/").content.decode()


def test_answers_are_shown_as_text_not_markup(client: Client) -> None:
    fill_in(client)
    _post(client, "/refer/concern/", {"summary": "<script>alert(1)</script>"})
    page = client.get("/refer/check/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "12 Larkspur Row<br>Exampleton<br>AB1 2XY" in page
