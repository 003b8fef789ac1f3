"""Every sign-in and every failed sign-in is in the audit trail; a failure names nobody."""

from __future__ import annotations

import json

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import PASSWORD, World


def _row_text(event: AuditEvent) -> str:
    return json.dumps(model_to_dict(event), default=str, ensure_ascii=False).lower()


@pytest.mark.django_db
def test_client_login_records_a_login_event(world: World, client: Client) -> None:
    before = AuditEvent.objects.count()
    assert client.login(username=world.manager.username, password=PASSWORD)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor_id) == (Action.LOGIN, world.manager.pk)


@pytest.mark.django_db
def test_sign_in_form_records_success_and_failure(world: World, client: Client) -> None:
    url = reverse("accounts:login")
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    client.post(url, {"username": world.practitioner.username, "password": "wrong-password-1"})
    client.post(url, {"username": "Zoë Quillfeather", "password": "anything-at-all"})
    response = client.post(url, {"username": world.practitioner.username, "password": PASSWORD})
    assert response.status_code == 302

    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == [Action.LOGIN_FAILED, Action.LOGIN_FAILED, Action.LOGIN]
    assert events[2].actor_id == world.practitioner.pk
    for failed in events[:2]:
        assert failed.actor_id is None
        text = _row_text(failed)
        assert world.practitioner.username not in text
        assert "quillfeather" not in text and "zoë" not in text
