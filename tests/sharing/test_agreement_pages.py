"""The agreement pages over HTTP: record, validate, withdraw, download the signed form, and the
family page's agreements at a glance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.models import Agreement
from tests.factories import agree_to_share

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _date(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def _share_form(setup, **overrides) -> dict:
    data = {
        "person": str(setup.parent.pk),
        "given_by": str(setup.parent.pk),
        "kind": "share",
        "recipient_organisation": str(setup.school.pk),
        "recipient_kind": "",
        "scopes": ["plan", "education"],
        "purpose": "So the school can support the morning routine.",
        "method": "verbal",
        **_date("given_on", timezone.localdate() - timedelta(days=2)),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_record_form_asks_for_everything(world, setup, login):
    page = login(world.practitioner).get(reverse("sharing:agreement_new", args=[setup.family.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for label in (
        "Whose information (or whose support) is the agreement about?",
        "Who gave the agreement?",
        "The child is competent to decide for themself (Gillick/Fraser)",
        "Organisation the information may be shared with",
        "Or: every organisation of this kind",
        "What information may be shared?",
        "How was the agreement given?",
        "Upload the signed form",
        "Date the agreement was given",
    ):
        assert label in html, label
    assert 'enctype="multipart/form-data"' in html
    assert "Brookfield Primary School" in html  # the partner directory
    assert "Zoë Quillfeather (Child)" in html


def test_recording_an_agreement_to_share(world, setup, login):
    client = login(world.practitioner)
    response = client.post(
        reverse("sharing:agreement_new", args=[setup.family.pk]), _share_form(setup)
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "sharing:agreement", args=[setup.family.pk, agreement.pk]
    )
    assert agreement.person == setup.parent and agreement.given_by == setup.parent
    assert agreement.recipient_organisation == setup.school
    assert agreement.scopes == ["plan", "education"]
    assert agreement.recorded_by == world.practitioner
    html = client.get(response["Location"]).content.decode()
    assert "Agreement recorded" in html
    assert "Brookfield Primary School" in html and "The family plan, Education information" in html
    assert ">Current<" in html.replace("\n", "").replace("  ", "")


def test_a_form_error_keeps_what_was_entered(world, setup, login):
    client = login(world.practitioner)
    response = client.post(
        reverse("sharing:agreement_new", args=[setup.family.pk]),
        _share_form(setup, scopes=None, purpose="Kept purpose text for the school."),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and html.count("Choose what information may be shared") == 2
    assert 'href="#id_scopes"' in html
    assert "Kept purpose text for the school." in html
    assert "<title>Error: " in html
    assert not Agreement.objects.exists()


def test_a_child_gives_their_own_agreement_only_when_competent(world, setup, login):
    client = login(world.practitioner)
    url = reverse("sharing:agreement_new", args=[setup.family.pk])
    child = {"person": str(setup.child.pk), "given_by": str(setup.child.pk)}
    refused = client.post(url, _share_form(setup, **child))
    html = refused.content.decode()
    assert "A child gives their own agreement only when you have judged them competent" in html
    assert 'href="#id_given_by"' in html  # the service's error is on its field
    assert not Agreement.objects.exists()

    accepted = client.post(url, _share_form(setup, child_competent="true", **child))
    assert accepted.status_code == 302
    assert Agreement.objects.get().given_by == setup.child


def test_a_signed_form_is_uploaded_and_downloaded_with_audit(world, setup, login):
    client = login(world.practitioner)
    url = reverse("sharing:agreement_new", args=[setup.family.pk])
    missing = client.post(url, _share_form(setup, method="signed_form"))
    assert "Upload the signed form." in missing.content.decode()
    assert not Agreement.objects.exists()

    upload = SimpleUploadedFile("consent-form.pdf", PDF, content_type="application/pdf")
    client.post(url, _share_form(setup, method="signed_form", signed_form=upload))
    agreement = Agreement.objects.get()
    assert agreement.signed_form and agreement.signed_form_name == "consent-form.pdf"
    page = client.get(reverse("sharing:agreement", args=[setup.family.pk, agreement.pk]))
    download_url = reverse("sharing:signed_form", args=[setup.family.pk, agreement.pk])
    assert download_url in page.content.decode()

    response = client.get(download_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "consent-form.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.filter(action=Action.DOWNLOAD).get()
    assert (event.object_type, event.object_id) == ("agreement_signed_form", str(agreement.pk))

    other = login(world.practitioner_south).get(download_url)
    assert other.status_code == 404


def test_an_agreement_without_a_signed_form_has_nothing_to_download(world, setup, login):
    agreement = agree_to_share(world.practitioner, setup.family, setup.parent, kind="school")
    response = login(world.practitioner).get(
        reverse("sharing:signed_form", args=[setup.family.pk, agreement.pk])
    )
    assert response.status_code == 404


def test_withdrawing_an_agreement_shows_it_withdrawn(world, setup, login):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    client = login(world.practitioner)
    detail = reverse("sharing:agreement", args=[setup.family.pk, agreement.pk])
    withdraw = reverse("sharing:agreement_withdraw", args=[setup.family.pk, agreement.pk])
    assert withdraw in client.get(detail).content.decode()

    too_early = client.post(
        withdraw,
        {
            **_date("withdrawn_on", agreement.given_on - timedelta(days=3)),
            "withdrawn_by": str(setup.parent.pk),
            "note": "Phoned to say no more sharing.",
        },
    )
    html = too_early.content.decode()
    assert "An agreement cannot be withdrawn before it was given." in html
    assert "Phoned to say no more sharing." in html
    agreement.refresh_from_db()
    assert agreement.is_active

    today = timezone.localdate()
    done = client.post(
        withdraw,
        {**_date("withdrawn_on", today), "withdrawn_by": str(setup.parent.pk), "note": ""},
    )
    assert done.status_code == 302 and done["Location"] == detail
    agreement.refresh_from_db()
    assert agreement.withdrawn_on == today and agreement.withdrawn_by == setup.parent

    page = client.get(detail).content.decode()
    assert "Withdrawn" in page and "Record the withdrawal" not in page
    listing = client.get(reverse("sharing:agreements", args=[setup.family.pk])).content.decode()
    assert "Withdrawn" in listing
    assert today.strftime("%-d %B %Y") in listing

    again = client.post(
        withdraw, {**_date("withdrawn_on", today), "withdrawn_by": str(setup.parent.pk)}
    )
    assert again.status_code == 302
    assert "already been withdrawn" in client.get(detail).content.decode()


def test_the_list_shows_current_before_withdrawn(world, setup, login):
    old = agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    withdraw_agreement(
        actor=world.practitioner,
        agreement=old,
        withdrawn_on=timezone.localdate(),
        withdrawn_by=setup.parent.pk,
    )
    agree_to_share(world.practitioner, setup.family, setup.parent, kind="health_visiting")
    html = (
        login(world.practitioner)
        .get(reverse("sharing:agreements", args=[setup.family.pk]))
        .content.decode()
    )
    assert html.index("Any health visiting") < html.index("Brookfield Primary School")
    assert "Record an agreement" in html


@pytest.mark.parametrize("user", ["practitioner_south", "manager_south", "duty", "dpo", "admin"])
def test_other_teams_and_roles_do_not_find_the_pages(world, setup, login, user):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    client = login(getattr(world, user))
    family = setup.family.pk
    for url in (
        reverse("sharing:agreements", args=[family]),
        reverse("sharing:agreement_new", args=[family]),
        reverse("sharing:agreement", args=[family, agreement.pk]),
    ):
        assert client.get(url).status_code == 404, url
    post = client.post(
        reverse("sharing:agreement_withdraw", args=[family, agreement.pk]),
        {**_date("withdrawn_on", timezone.localdate()), "withdrawn_by": str(setup.parent.pk)},
    )
    assert post.status_code == 404
    agreement.refresh_from_db()
    assert agreement.is_active


def test_an_agreement_is_found_only_under_its_own_family(world, setup, login):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    other_family, _ = world.open_family(last_name="Ashgrove")
    url = reverse("sharing:agreement", args=[other_family.pk, agreement.pk])
    assert login(world.practitioner).get(url).status_code == 404


def test_after_closure_the_manager_reads_but_cannot_record(world, setup, login):
    agreement = agree_to_share(
        world.practitioner, setup.family, setup.parent, organisation=setup.school
    )
    world.close(setup.episode)
    client = login(world.manager)
    listing = client.get(reverse("sharing:agreements", args=[setup.family.pk]))
    assert listing.status_code == 200 and "Record an agreement" not in listing.content.decode()
    assert client.get(reverse("sharing:agreement_new", args=[setup.family.pk])).status_code == 403
    detail = client.get(reverse("sharing:agreement", args=[setup.family.pk, agreement.pk]))
    assert "Record the withdrawal" not in detail.content.decode()


def test_the_family_page_shows_agreements_at_a_glance(world, setup, login):
    agree_to_share(
        world.practitioner,
        setup.family,
        setup.parent,
        organisation=setup.school,
        scopes=["plan", "health"],
    )
    withdrawn = agree_to_share(
        world.practitioner, setup.family, setup.child, kind="health_visiting", given_by=setup.parent
    )
    withdraw_agreement(
        actor=world.practitioner,
        agreement=withdrawn,
        withdrawn_on=timezone.localdate(),
        withdrawn_by=setup.parent.pk,
    )
    html = (
        login(world.practitioner)
        .get(reverse("casework:family", args=[setup.family.pk]))
        .content.decode()
    )
    glance = html[html.index("Agreements to share") : html.index("All agreements, current")]
    assert "Marigold Quillfeather" in glance
    assert "Brookfield Primary School" in glance and "The family plan, Health information" in glance
    assert "Any health visiting" not in glance  # withdrawn: counted, not listed as current
    assert "1 agreement has been withdrawn" in glance and "Withdrawn" in glance
    assert reverse("sharing:agreements", args=[setup.family.pk]) in html
    assert reverse("sharing:log", args=[setup.family.pk]) in html


def test_the_family_page_query_count_does_not_grow_with_agreements(world, setup, client):
    client.force_login(world.practitioner)
    url = reverse("casework:family", args=[setup.family.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    agree_to_share(world.practitioner, setup.family, setup.parent, organisation=setup.school)
    few = count()
    for kind in ("health_visiting", "gp_practice", "housing", "police", "voluntary_sector"):
        for person in (setup.parent, setup.excluded):
            agreement = agree_to_share(world.practitioner, setup.family, person, kind=kind)
        withdraw_agreement(
            actor=world.practitioner,
            agreement=agreement,
            withdrawn_on=timezone.localdate(),
            withdrawn_by=person.pk,
        )
    html = client.get(url).content.decode()
    assert "And 1 more current agreement." in html
    assert "5 agreements have been withdrawn" in html
    assert count() == few


def test_an_agreement_to_receive_support_needs_no_recipient(world, setup, login):
    client = login(world.practitioner)
    response = client.post(
        reverse("sharing:agreement_new", args=[setup.family.pk]),
        _share_form(
            setup,
            kind="receive_support",
            recipient_organisation="",
            scopes=None,
            purpose="",
        ),
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and agreement.kind == "receive_support"
    html = client.get(response["Location"]).content.decode()
    assert "Agreement to receive Early Help" in html and "Recipient" not in html
    timeline = client.get(reverse("casework:family", args=[setup.family.pk])).content.decode()
    assert reverse("sharing:agreement", args=[setup.family.pk, agreement.pk]) in timeline
