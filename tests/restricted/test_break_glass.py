"""Breaking the glass: the interstitial, the reason, the time limit, alerts, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.core.errors import InvalidInput
from earlyhelp.restricted.models import BreakGlassAccess, Notice
from earlyhelp.restricted.services import break_glass
from tests.restricted.conftest import GLASS_REASON, Setup

pytestmark = pytest.mark.django_db


def _url(setup: Setup) -> str:
    return reverse("restricted:break_glass", args=[setup.family.pk])


def test_restricted_family_page_sends_to_the_interstitial_offering_break_glass(setup, client):
    setup.restrict()
    client.force_login(setup.world.practitioner)
    response = client.get(reverse("casework:family", args=[setup.family.pk]))
    assert response.status_code == 302 and response["Location"] == _url(setup)
    page = client.get(_url(setup))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Restricted record" in html and setup.family.reference in html
    assert "Thistlewood" not in html  # nothing about the family before the glass is broken


@pytest.mark.parametrize("who", ["dpo", "practitioner_south", "duty", "partner", "analyst"])
def test_interstitial_is_404_for_people_who_would_not_see_the_family(setup, client, who):
    setup.restrict()
    client.force_login(getattr(setup.world, who))
    assert client.get(_url(setup)).status_code == 404
    assert client.post(_url(setup), {"reason": GLASS_REASON}).status_code == 404
    assert not BreakGlassAccess.objects.exists()


def test_interstitial_is_404_for_the_named_user_and_unrestricted_families(setup, client):
    client.force_login(setup.world.practitioner)
    assert client.get(_url(setup)).status_code == 404  # not restricted: nothing to break
    setup.restrict()
    client.force_login(setup.named)
    assert client.get(_url(setup)).status_code == 404  # already allowed in


def test_short_reason_is_refused_and_kept(setup, client):
    setup.restrict()
    client.force_login(setup.world.practitioner)
    html = client.post(_url(setup), {"reason": "need it"}).content.decode()
    assert "There is a problem" in html and "at least 20 characters" in html
    assert ">need it</textarea>" in html
    assert not BreakGlassAccess.objects.exists()
    html = client.post(_url(setup), {"reason": ""}).content.decode()
    assert "Enter why you need to open this record" in html


def test_service_refuses_blank_reason(setup):
    setup.restrict()
    with pytest.raises(InvalidInput):
        break_glass(actor=setup.world.practitioner, family=setup.family, reason="   ")


def test_breaking_the_glass_opens_the_family_for_four_hours(
    setup, client, mailoutbox, django_capture_on_commit_callbacks
):
    setup.restrict()
    client.force_login(setup.world.practitioner)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(setup), {"reason": GLASS_REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:family", args=[setup.family.pk])
    access = BreakGlassAccess.objects.get()
    assert access.user == setup.world.practitioner and access.reason == GLASS_REASON
    assert before + timedelta(hours=4) <= access.expires_at <= timezone.now() + timedelta(hours=4)
    family_page = client.get(response["Location"])
    assert family_page.status_code == 200 and "Thistlewood" in family_page.content.decode()


def test_break_glass_hours_is_a_setting(setup, settings):
    settings.EARLYHELP_BREAK_GLASS_HOURS = 1
    setup.restrict()
    access = setup.break_glass(setup.world.practitioner)
    assert access.expires_at - access.at == timedelta(hours=1)


def test_dpo_and_team_manager_are_alerted_in_app_and_by_email_without_personal_data(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    setup.restrict()
    with django_capture_on_commit_callbacks(execute=True):
        access = setup.break_glass(setup.world.practitioner)
    recipients = set(Notice.objects.values_list("recipient__username", flat=True))
    assert recipients == {"dana", "morgan"}  # the DPO and North's manager; not South's
    assert sorted(m.to[0] for m in mailoutbox) == ["dpo@example.org", "morgan@example.org"]
    for message in mailoutbox:
        assert setup.family.reference in message.subject
        assert reverse("restricted:review", args=[access.pk]) in message.body
        text = message.subject + message.body
        for personal in ("Thistlewood", "Pat", "school", "safeguarding", "2015"):
            assert personal not in text


def test_manager_breaking_the_glass_is_not_alerted_about_themself(setup):
    setup.restrict()
    setup.break_glass(setup.world.manager)
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {"dana"}


def test_no_email_is_sent_if_the_break_glass_rolls_back(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    setup.restrict()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        setup.break_glass(setup.world.practitioner)
    assert len(callbacks) == 1 and mailoutbox == []  # sent only once committed


def test_break_glass_is_audited_without_personal_data(setup):
    setup.restrict()
    access = setup.break_glass(setup.world.practitioner)
    event = AuditEvent.objects.get(action=Action.BREAK_GLASS)
    assert event.actor_id == setup.world.practitioner.pk
    assert event.object_type == "family" and event.object_id == str(setup.family.pk)
    assert event.detail == {"access": str(access.pk), "hours": 4, "alerted": 2}
    assert "school" not in str(event.detail)


def test_restriction_changes_are_audited_without_the_reason(setup):
    setup.restrict()
    event = AuditEvent.objects.filter(object_type="family_restriction").latest("seq")
    assert event.action == Action.CREATE and event.detail == {"allowed": 1}
    assert "parent" not in str(event.detail)


def test_home_page_banner_counts_unreviewed_alerts(setup, client):
    setup.restrict()
    setup.break_glass(setup.world.practitioner)
    client.force_login(setup.world.manager)
    html = client.get(reverse("core:home")).content.decode()
    assert "1 break-glass access to restricted records needs your review" in html
    assert reverse("restricted:review_list") in html
    # Only on the home page.
    assert "needs your review" not in client.get(reverse("people:search")).content.decode()
    client.force_login(setup.world.manager_south)
    assert "needs your review" not in client.get(reverse("core:home")).content.decode()


def test_expired_access_sends_the_user_back_to_the_interstitial(setup, client):
    setup.restrict()
    setup.expire(setup.break_glass(setup.world.practitioner))
    client.force_login(setup.world.practitioner)
    response = client.get(reverse("casework:family", args=[setup.family.pk]))
    assert response.status_code == 302 and response["Location"] == _url(setup)
    assert client.get(_url(setup)).status_code == 200
