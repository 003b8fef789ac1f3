"""The directory's four eyes over HTTP: an administrator's PATCH of a TAF professional's
e-mail does not move the next plan share until a second person approves it, and the share
answers with the addresses it went to (issue 12, item 2; decision 0014)."""

from __future__ import annotations

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.partners.models import DirectoryNotice, Organisation
from tests.factories import agree_to_share, make_user
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


def _share(api, plan, capture):
    with capture(execute=True):
        return api.post(f"/families/{plan.family_id}/plans/{plan.pk}/share", {})


def test_a_patched_address_waits_and_the_share_lists_where_it_goes(
    world, setup, plan, api_as, mailoutbox, django_capture_on_commit_callbacks
):
    admin, second = api_as(world.admin), api_as(make_user(Role.ADMIN, username="admin_two"))
    lead = api_as(world.practitioner)
    teacher = setup.teacher
    old = teacher.email
    path = f"/partners/{teacher.organisation_id}/contacts/{teacher.pk}"

    response = admin.patch(path, {"email": NEW})
    assert response.status_code == 202, response.content
    change = response.json()
    assert change["status"] == "pending" and change["proposed"] == {"email": NEW}
    assert "awaiting a second person" in change["message"]
    assert admin.get(f"/partners/{teacher.organisation_id}").json()["contacts"][0]["email"] == old

    shared = _share(lead, plan, django_capture_on_commit_callbacks)
    assert shared.status_code == 200
    assert (
        old in shared.json()["sent_to_addresses"] and NEW not in shared.json()["sent_to_addresses"]
    )
    assert sorted(to for m in mailoutbox for to in m.to) == sorted(
        shared.json()["sent_to_addresses"]
    )

    assert [c["id"] for c in second.get("/partners/changes").json()] == [change["id"]]
    assert admin.post(f"/partners/changes/{change['id']}/approve", {}).status_code == 403
    approved = second.post(f"/partners/changes/{change['id']}/approve", {})
    assert approved.status_code == 200 and approved.json()["status"] == "applied"
    assert second.post(f"/partners/changes/{change['id']}/approve", {}).status_code == 409

    mailoutbox.clear()
    path = f"/families/{plan.family_id}/plans/{plan.pk}/share"
    expected = [old, setup.nurse.email]
    with django_capture_on_commit_callbacks(execute=True):
        stale = lead.post(path, {"addresses": expected})
    assert stale.status_code == 409 and "changed since you confirmed" in stale.json()["detail"]
    assert mailoutbox == []
    shared = _share(lead, plan, django_capture_on_commit_callbacks)
    assert NEW in shared.json()["sent_to_addresses"]
    assert NEW in {to for m in mailoutbox for to in m.to}
    assert DirectoryNotice.objects.filter(family=setup.family).count() == 1


def test_refiling_the_police_as_a_school_by_api_sends_them_nothing_agreed_for_any_school(
    world, setup, plan, api_as, mailoutbox, django_capture_on_commit_callbacks
):
    from earlyhelp.partners.models import PartnerContact
    from earlyhelp.plans import services as plan_services

    police = Organisation.objects.create(name="Exampleton Police Early Help Team", kind="police")
    officer = PartnerContact.objects.create(
        organisation=police, name="PC Rowan Tull", email="r.tull@police.example.org"
    )
    for person in (setup.parent, setup.child):
        agree_to_share(
            world.practitioner, setup.family, person, kind="school", given_by=setup.parent
        )
    version = plan_services.current_version(plan)
    plan_services.add_member(
        actor=world.practitioner, version=version, contact=officer.pk, role_in_plan="TAF"
    )
    admin, second = api_as(world.admin), api_as(world.manager)
    response = admin.patch(f"/partners/{police.pk}", {"kind": "school", "urn": "100002"})
    assert response.status_code == 202, response.content  # the police are in the TAF
    assert second.post(f"/partners/changes/{response.json()['id']}/approve", {}).status_code == 200
    police.refresh_from_db()
    assert police.kind == "school"

    shared = _share(api_as(world.practitioner), plan, django_capture_on_commit_callbacks)
    assert shared.status_code == 200
    assert "r.tull@police.example.org" not in shared.json()["sent_to_addresses"]
    assert "r.tull@police.example.org" not in {to for m in mailoutbox for to in m.to}


def test_an_organisation_no_family_uses_is_patched_at_once(world, api_as):
    police = Organisation.objects.create(name="Exampleton Police Early Help Team", kind="police")
    response = api_as(world.admin).patch(f"/partners/{police.pk}", {"email": NEW})
    assert response.status_code == 200 and response.json()["email"] == NEW


def test_only_directory_editors_list_changes(world, api_as):
    assert api_as(world.practitioner).get("/partners/changes").status_code == 403
    assert api_as(world.admin).get("/partners/changes").json() == []
