"""A refused attempt to open a record out of scope is audited (no personal data), even when
the refusal rolls back the transaction it happened in; a burst alerts the DPO, who reviews it."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from earlyhelp.audit.denials import DenialAuditMiddleware
from earlyhelp.audit.models import Action, AuditEvent, DenialAlert
from earlyhelp.audit.services import AlertAlreadyReviewed, review_denial_alert
from earlyhelp.casework.models import Contact
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import DomainError, NotFound
from tests.factories import World

pytestmark = pytest.mark.django_db


def denials(**filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.DENIED, **filters).order_by("seq"))


def _page(response: HttpResponse) -> bytes:
    """The page without what differs on every response (the sign-out form's CSRF token)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)


@pytest.fixture
def north_family(world: World):  # type: ignore[no-untyped-def]
    family, _ = world.open_family()
    return family


@pytest.fixture
def small_bursts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_DENIAL_BURST = 3
    settings.EARLYHELP_DENIAL_BURST_MINUTES = 10


def test_a_page_refused_out_of_scope_is_audited_as_a_denial_with_nothing_personal(
    world: World, north_family, login
) -> None:
    client = login(world.practitioner_south)
    refused = client.get(f"/families/{north_family.pk}/")
    unknown = client.get(f"/families/{uuid.uuid4()}/")
    assert refused.status_code == unknown.status_code == 404
    assert _page(refused) == _page(unknown)  # nothing tells the two apart
    (event,) = denials()
    assert event.actor_id == world.practitioner_south.pk
    assert (event.object_type, event.object_id) == ("family", str(north_family.pk))
    assert event.detail == {} and event.purpose == ""
    assert event.request_id  # ties it to the request's log lines


def test_an_unknown_id_is_not_a_denial(world: World, login) -> None:
    login(world.practitioner_south).get(f"/families/{uuid.uuid4()}/")
    assert denials() == []


def test_the_family_s_own_team_is_not_refused(world: World, north_family, login) -> None:
    assert login(world.practitioner).get(f"/families/{north_family.pk}/").status_code == 200
    assert denials() == []


def test_every_page_under_the_family_goes_through_the_same_gate(
    world: World, north_family, login
) -> None:
    client = login(world.practitioner_south)
    for path in ("assessments/", "plans/", "contacts/", "sharing-decisions/"):
        assert client.get(f"/families/{north_family.pk}/{path}").status_code == 404, path
    assert len(denials(object_type="family", object_id=str(north_family.pk))) == 4


def test_the_api_refusal_is_audited_too(world: World, north_family, api_as) -> None:
    response = api_as(world.practitioner_south).get(f"/families/{north_family.pk}")
    assert response.status_code == 404
    assert [e.object_id for e in denials()] == [str(north_family.pk)]


def test_a_refused_write_through_the_api_is_audited(world: World, north_family, api_as) -> None:
    person = north_family.memberships.first().person
    body = {
        "contact_type": "phone_call",
        "occurred_at": "2026-12-01T10:00:00+00:00",
        "note": "Synthetic note that must not be written.",
        "subjects": [str(person.pk)],
    }
    response = api_as(world.practitioner_south).post(f"/families/{north_family.pk}/contacts", body)
    assert response.status_code == 404, response.content
    assert not Contact.objects.exists()
    assert len(denials(object_id=str(north_family.pk))) == 1


def test_a_denial_survives_the_rollback_of_the_transaction_that_refused(
    world: World, north_family
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            with pytest.raises(NotFound):
                get_family_for_user(world.practitioner_south, north_family.pk)
            transaction.set_rollback(True)  # as a service's atomic block does on NotFound
        return HttpResponse(status=404)

    DenialAuditMiddleware(view)(RequestFactory().get("/"))
    assert len(denials()) == 1


def test_a_referral_out_of_scope_is_a_denial(world: World, login) -> None:
    referral = world.referral()  # awaiting triage: the front door's, not a practitioner's
    response = login(world.practitioner).get(f"/referrals/{referral.pk}/")
    assert response.status_code == 404
    assert [(e.object_type, e.object_id) for e in denials()] == [("referral", str(referral.pk))]


def test_a_partner_refused_a_family_is_a_denial(world: World, north_family, login) -> None:
    response = login(world.partner).get(f"/partner/families/{north_family.pk}/")
    assert response.status_code == 404
    assert [e.object_id for e in denials(actor_id=world.partner.pk)] == [str(north_family.pk)]


def test_the_restriction_pages_refusals_are_denials(world: World, north_family, login) -> None:
    person = north_family.memberships.first().person
    client = login(world.manager_south)  # a manager, but of another team
    assert client.get(f"/restricted/people/{person.pk}/").status_code == 404
    assert client.get(f"/restricted/families/{north_family.pk}/").status_code == 404
    assert [(e.object_type, e.object_id) for e in denials()] == [
        ("person", str(person.pk)),
        ("family", str(north_family.pk)),
    ]


def _refuse(client: Client, family, times: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        assert client.get(f"/families/{family.pk}/").status_code == 404


def test_a_burst_alerts_the_dpo_once_with_no_personal_data(
    world: World, north_family, login, small_bursts, django_capture_on_commit_callbacks
) -> None:
    world.dpo.email = "dpo@council.example"
    world.dpo.save(update_fields=["email"])
    client = login(world.practitioner_south)
    with django_capture_on_commit_callbacks(execute=True):
        _refuse(client, north_family, 2)
    assert DenialAlert.objects.count() == 0 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _refuse(client, north_family, 1)
    alert = DenialAlert.objects.get()
    assert (alert.user_id, alert.denials) == (world.practitioner_south.pk, 3)
    (message,) = mail.outbox
    assert message.to == [world.dpo.email]
    text = message.subject + message.body
    assert "refused 3 records" in text and "/audit/denials/" in text
    for personal in (
        north_family.reference,
        world.practitioner_south.username,
        world.practitioner_south.display_name,
    ):
        assert personal not in text
    # The burst goes on: the same alert counts it, and no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        _refuse(client, north_family, 2)
    alert.refresh_from_db()
    assert alert.denials == 5 and DenialAlert.objects.count() == 1 and len(mail.outbox) == 1


def test_refusals_older_than_the_window_do_not_make_a_burst(
    world: World, north_family, login, small_bursts
) -> None:
    client = login(world.practitioner_south)
    earlier = timezone.now() - timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=earlier):
        _refuse(client, north_family, 2)
    _refuse(client, north_family, 2)
    assert DenialAlert.objects.count() == 0
    _refuse(client, north_family, 1)
    assert DenialAlert.objects.get().denials == 3


def test_other_users_refusals_do_not_add_up(
    world: World, north_family, login, small_bursts
) -> None:
    _refuse(login(world.practitioner_south), north_family, 2)
    _refuse(login(world.manager_south), north_family, 2)
    assert DenialAlert.objects.count() == 0


def test_the_dpo_reviews_a_burst_and_a_new_one_raises_a_new_alert(
    world: World, north_family, login, small_bursts
) -> None:
    _refuse(login(world.practitioner_south), north_family, 3)
    alert = DenialAlert.objects.get()
    dpo = login(world.dpo)
    home = dpo.get("/").content.decode()
    assert "1 burst of refused access to records waits for your review" in home
    listing = dpo.get("/audit/denials/").content.decode()
    assert world.practitioner_south.username in listing
    page = dpo.get(f"/audit/denials/{alert.pk}/").content.decode()
    assert north_family.reference in page and "family: 3" in page
    assert AuditEvent.objects.filter(
        actor_id=world.dpo.pk, object_type="denial_alert", object_id=str(alert.pk)
    ).exists()
    empty = dpo.post(f"/audit/denials/{alert.pk}/", {"note": "  "})
    assert "Enter what you found" in empty.content.decode()
    done = dpo.post(f"/audit/denials/{alert.pk}/", {"note": "Mistyped links; spoken to."})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.reviewed_by == world.dpo and alert.review_note == "Mistyped links; spoken to."
    assert "burst of refused access" not in login(world.dpo).get("/").content.decode()
    _refuse(login(world.practitioner_south), north_family, 3)
    assert DenialAlert.objects.filter(reviewed_at__isnull=True).count() == 1
    assert DenialAlert.objects.count() == 2


def test_a_reviewed_alert_cannot_be_reviewed_again(
    world: World, north_family, login, small_bursts
) -> None:
    _refuse(login(world.practitioner_south), north_family, 3)
    alert = DenialAlert.objects.get()
    review_denial_alert(actor=world.dpo, alert_id=alert.pk, note="Looked into it.")
    with pytest.raises(AlertAlreadyReviewed):
        review_denial_alert(actor=world.dpo, alert_id=alert.pk, note="Again.")
    with pytest.raises(DomainError, match="2000 characters"):
        other = DenialAlert.objects.create(
            user=world.practitioner,
            first_at=alert.first_at,
            last_at=alert.last_at,
            denials=3,
            created_at=alert.created_at,
        )
        review_denial_alert(actor=world.dpo, alert_id=other.pk, note="x" * 2001)


@pytest.mark.parametrize("role", ["manager", "practitioner", "admin", "duty", "analyst"])
def test_only_the_dpo_sees_refused_access(
    world: World, north_family, login, small_bursts, role: str
) -> None:
    _refuse(login(world.practitioner_south), north_family, 3)
    alert = DenialAlert.objects.get()
    client = login(getattr(world, role))
    assert client.get("/audit/denials/").status_code == 403
    assert client.get(f"/audit/denials/{alert.pk}/").status_code == 403
    assert client.post(f"/audit/denials/{alert.pk}/", {"note": "x"}).status_code == 403
    with pytest.raises(NotFound):
        review_denial_alert(actor=getattr(world, role), alert_id=alert.pk, note="x")
    assert not DenialAlert.objects.get().is_reviewed
