"""The DPO's home page counts emergency releases overdue for a manager's authorisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.sharing.models import SharingDecision
from tests.sharing.test_policy_matrix import gateway_decision

pytestmark = pytest.mark.django_db


def test_the_dpo_home_page_shows_overdue_emergency_releases(world, setup, client):
    client.force_login(world.dpo)
    page = client.get(reverse("core:home")).content.decode()
    assert "overdue for a manager" not in page
    assert reverse("sharing:overdue") in page and reverse("restricted:review_list") in page

    decision = gateway_decision(world, setup, emergency=True)
    SharingDecision.objects.filter(pk=decision.pk).update(
        authorisation_due_at=timezone.now() - timedelta(hours=1)
    )
    page = client.get(reverse("core:home")).content.decode()
    assert "1 emergency release without agreement is overdue" in page


def test_other_roles_do_not_get_the_dpo_count(world, setup, client):
    decision = gateway_decision(world, setup, emergency=True)
    SharingDecision.objects.filter(pk=decision.pk).update(
        authorisation_due_at=timezone.now() - timedelta(hours=1)
    )
    for user in (world.practitioner, world.admin, world.analyst):
        client.force_login(user)
        assert "emergency release" not in client.get(reverse("core:home")).content.decode()
