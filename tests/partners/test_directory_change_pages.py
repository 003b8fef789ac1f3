"""The directory's four eyes in the browser: a changed address waits for a second person,
the lead sees the notice on the family's plan, and the share page lists the addresses
(issue 12, item 2; decision 0014)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.partners.models import DirectoryChange
from tests.factories import make_user
from tests.plans.conftest import Setup, agree_to_taf_sharing, make_setup, start_plan

pytestmark = pytest.mark.django_db

NEW = "inbox@elsewhere.example.net"


@pytest.fixture
def setup(world) -> Setup:
    return make_setup(world)


@pytest.fixture
def plan(world, setup):
    started = start_plan(world, setup)
    agree_to_taf_sharing(world, setup)
    return started


def test_a_changed_address_awaits_a_second_person_and_the_lead_is_told(
    world, setup, plan, login, client
):
    teacher = setup.teacher
    organisation = teacher.organisation
    body = {"name": teacher.name, "job_title": teacher.job_title, "email": NEW, "active": "yes"}
    login(world.admin)
    response = client.post(
        reverse("partners:contact_edit", args=[organisation.pk, teacher.pk]), body, follow=True
    )
    page = response.content.decode()
    assert "awaiting a second person" in page
    assert "Awaiting a second person" in page and "Approve the change" not in page
    change = DirectoryChange.objects.get()

    share = reverse("plans:share", args=[plan.family_id, plan.pk])
    login(world.practitioner)
    page = client.get(share).content.decode()
    assert teacher.email in page and NEW not in page and "Partner directory change" not in page

    login(make_user(Role.ADMIN, username="admin_two"))
    detail = client.get(reverse("partners:detail", args=[organisation.pk])).content.decode()
    assert "Approve the change" in detail
    response = client.post(
        reverse("partners:change_decide", args=[change.pk]), {"decision": "approve"}, follow=True
    )
    assert "Change approved and applied" in response.content.decode()

    login(world.practitioner)
    for url in (reverse("plans:detail", args=[plan.family_id, plan.pk]), share):
        page = client.get(url).content.decode()
        assert "Partner directory change" in page
    assert NEW in client.get(share).content.decode()


def test_the_share_page_refuses_addresses_that_moved_after_they_were_shown(
    world, setup, plan, login, client, mailoutbox
):
    from earlyhelp.partners import services

    share = reverse("plans:share", args=[plan.family_id, plan.pk])
    login(world.practitioner)
    shown = client.get(share).content.decode()
    assert setup.teacher.email in shown and 'name="addresses"' in shown
    confirmed = {
        "recipients": [str(setup.teacher.pk), str(setup.nurse.pk)],
        "addresses": [setup.teacher.email, setup.nurse.email],
    }
    data = services.ContactInput(
        **{**{f: getattr(setup.teacher, f) for f in services.CONTACT_FIELDS}, "email": NEW}
    )
    pending = services.edit_contact(actor=world.admin, contact=setup.teacher, data=data).pending
    assert pending is not None
    services.approve_directory_change(actor=world.manager, change_id=pending.pk)

    page = client.post(share, confirmed).content.decode()
    assert "changed since you confirmed" in page
    assert mailoutbox == []


def test_the_proposer_cannot_approve_through_the_page(world, setup, plan, login, client):
    teacher = setup.teacher
    body = {"name": teacher.name, "job_title": teacher.job_title, "email": NEW, "active": "yes"}
    login(world.admin)
    client.post(reverse("partners:contact_edit", args=[teacher.organisation_id, teacher.pk]), body)
    change = DirectoryChange.objects.get()
    response = client.post(
        reverse("partners:change_decide", args=[change.pk]), {"decision": "approve"}, follow=True
    )
    assert "second person" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.email != NEW
