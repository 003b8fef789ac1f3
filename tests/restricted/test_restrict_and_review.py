"""Restricting a family (DPO, the team's managers) and reviewing break-glass accesses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.restricted.models import AllowedUser, Notice, Restriction
from tests.restricted.conftest import REASON, Setup

pytestmark = pytest.mark.django_db


def _manage(setup: Setup) -> str:
    return reverse("restricted:manage", args=[setup.family.pk])


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_manager_or_dpo_restricts_through_the_page(setup, client, who):
    client.force_login(getattr(setup.world, who))
    assert client.get(_manage(setup)).status_code == 200
    response = client.post(_manage(setup), {"reason": REASON, "allowed": "nell\npat\n"})
    assert response.status_code == 302
    restriction = Restriction.objects.get(family=setup.family)
    assert restriction.is_active and restriction.reason == REASON
    assert set(AllowedUser.objects.values_list("user__username", flat=True)) == {"nell", "pat"}
    html = client.get(_manage(setup)).content.decode()
    assert "Restricted record" in html and "nell" in html


@pytest.mark.parametrize("who", ["practitioner", "manager_south", "duty", "partner", "admin"])
def test_others_cannot_see_or_set_a_restriction(setup, client, who):
    client.force_login(getattr(setup.world, who))
    assert client.get(_manage(setup)).status_code == 404
    assert client.post(_manage(setup), {"reason": REASON, "allowed": ""}).status_code == 404
    assert not Restriction.objects.exists()


def test_bad_input_is_named_and_kept(setup, client):
    client.force_login(setup.world.manager)
    html = client.post(_manage(setup), {"reason": "staff", "allowed": "nell"}).content.decode()
    assert "at least 20 characters" in html and ">nell</textarea>" in html
    html = client.post(
        _manage(setup), {"reason": REASON, "allowed": "nobody-here"}
    ).content.decode()
    assert "There is no active user named" in html and REASON in html
    html = client.post(_manage(setup), {"reason": REASON, "allowed": "dana"}).content.decode()
    assert "is not a practitioner or team manager" in html
    assert not Restriction.objects.exists()


def test_find_by_reference_then_lift(setup, client):
    client.force_login(setup.world.dpo)
    response = client.post(
        reverse("restricted:find"), {"reference": setup.family.reference.lower()}
    )
    assert response["Location"] == _manage(setup)
    html = client.post(reverse("restricted:find"), {"reference": "EH-NOPE00"}).content.decode()
    assert "No family you can restrict has that reference" in html
    setup.restrict()
    client.post(reverse("restricted:lift", args=[setup.family.pk]))
    assert not Restriction.objects.get().is_active
    assert AuditEvent.objects.filter(
        object_type="family_restriction", action=Action.DELETE
    ).exists()
    # Restricting again reuses the row and records who set it.
    setup.restrict()
    assert Restriction.objects.get().is_active


def test_review_list_and_recording_a_review(setup, client):
    setup.restrict()
    access = setup.break_glass(setup.world.practitioner)
    client.force_login(setup.world.dpo)
    html = client.get(reverse("restricted:review_list")).content.decode()
    assert "To review" in html and access.reason in html and setup.family.reference in html
    url = reverse("restricted:review", args=[access.pk])
    html = client.post(url, {"outcome": "inappropriate"}).content.decode()
    assert "Say what was wrong with the access" in html
    response = client.post(
        url, {"outcome": "inappropriate", "escalated": "on", "note": "Raised with HR."}
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.outcome == "inappropriate" and access.escalated
    assert access.reviewed_by == setup.world.dpo and access.review_note == "Raised with HR."
    # The alerts about it are dealt with, for everyone alerted.
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    event = AuditEvent.objects.filter(
        object_type="break_glass_access", action=Action.DECISION
    ).get()
    assert event.detail == {"outcome": "inappropriate", "escalated": True, "revised": False}
    html = client.get(reverse("restricted:review_list") + "?show=pending").content.decode()
    assert "No break-glass accesses wait for review" in html


def test_team_managers_see_their_teams_accesses_only_and_never_review_their_own(setup, client):
    setup.restrict()
    own = setup.break_glass(setup.world.manager)
    client.force_login(setup.world.manager_south)
    assert (
        setup.family.reference not in client.get(reverse("restricted:review_list")).content.decode()
    )
    assert client.get(reverse("restricted:review", args=[own.pk])).status_code == 404
    client.force_login(setup.world.manager)
    page = client.get(reverse("restricted:review", args=[own.pk]))
    assert (
        page.status_code == 200 and "Someone else must review this access" in page.content.decode()
    )
    assert (
        client.post(
            reverse("restricted:review", args=[own.pk]), {"outcome": "appropriate"}
        ).status_code
        == 403
    )
    own.refresh_from_db()
    assert not own.outcome


@pytest.mark.parametrize("who", ["practitioner", "duty", "analyst", "admin", "partner"])
def test_review_list_is_for_dpo_and_managers(setup, client, who):
    client.force_login(getattr(setup.world, who))
    assert client.get(reverse("restricted:review_list")).status_code == 403


def test_review_list_query_count_does_not_grow(setup, client, django_assert_num_queries):
    setup.restrict()
    setup.break_glass(setup.world.practitioner)
    client.force_login(setup.world.dpo)
    client.get(reverse("restricted:review_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("restricted:review_list"))
    setup.break_glass(setup.world.manager)
    with django_assert_num_queries(len(one)):
        client.get(reverse("restricted:review_list"))


def test_navigation_links_the_review_list_for_dpo_and_managers(setup, client):
    client.force_login(setup.world.dpo)
    assert reverse("restricted:review_list") in client.get(reverse("core:home")).content.decode()
    client.force_login(setup.world.practitioner)
    assert (
        reverse("restricted:review_list") not in client.get(reverse("core:home")).content.decode()
    )
