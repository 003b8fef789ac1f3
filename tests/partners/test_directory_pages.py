"""The directory pages over HTTP: who sees and edits, errors, deactivation, the query pin."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.partners.services import OrganisationInput, create_organisation
from tests.partners.conftest import make_school

pytestmark = pytest.mark.django_db

VIEWERS = {"practitioner", "manager", "duty", "dpo", "admin"}
EDITORS = {"manager", "admin"}
ROLES = ["practitioner", "manager", "duty", "dpo", "analyst", "admin", "partner"]
# Fixed whatever the number of rows: session, user, grants, count, page, the audit event
# in its savepoint, the session save (PostgreSQL adds the audit chain's advisory lock).
LIST_QUERIES = {"sqlite": 12, "postgresql": 13}


def _pages(school, teacher) -> dict[str, tuple[str, set[str]]]:  # type: ignore[no-untyped-def]
    return {
        "list": (reverse("partners:list"), VIEWERS),
        "detail": (reverse("partners:detail", args=[school.pk]), VIEWERS),
        "new": (reverse("partners:new"), EDITORS),
        "edit": (reverse("partners:edit", args=[school.pk]), EDITORS),
        "contact_new": (reverse("partners:contact_new", args=[school.pk]), EDITORS),
        "contact_edit": (
            reverse("partners:contact_edit", args=[school.pk, teacher.pk]),
            EDITORS,
        ),
    }


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(world, school, teacher, client, role):
    client.force_login(getattr(world, role))
    for name, (url, allowed) in _pages(school, teacher).items():
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (role, name)


def test_signed_out_users_are_sent_to_sign_in(world, school, client):
    response = client.get(reverse("partners:detail", args=[school.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_organisations_and_contacts_are_404(world, school, teacher, client):
    client.force_login(world.admin)
    assert client.get(reverse("partners:detail", args=[uuid.uuid4()])).status_code == 404
    other = make_school(world, name="Oakfield", urn="654321")
    # A real contact, but of another organisation.
    url = reverse("partners:contact_edit", args=[other.pk, teacher.pk])
    assert client.get(url).status_code == 404


def test_a_manager_adds_a_school_through_the_form(world, client):
    client.force_login(world.manager)
    response = client.post(
        reverse("partners:new"),
        {"name": "Oakfield Academy", "kind": "school", "urn": "138001", "email": ""},
    )
    school = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[school.pk])
    assert (school.urn, school.active) == ("138001", True)


def test_a_bad_urn_is_explained_and_everything_typed_is_kept(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("partners:new"),
        {"name": "Oakfield Academy", "kind": "school", "urn": "13800", "phone": "01632 960999"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is problem" not in html and "There is a problem" in html
    assert "Enter the school&#39;s URN: 6 digits" in html
    assert 'href="#id_urn"' in html
    assert "Oakfield Academy" in html and "01632 960999" in html
    assert "<title>Error:" in html
    assert not Organisation.objects.exists()


def test_a_bad_email_gets_the_design_system_message(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("partners:new"),
        {"name": "Riverside Surgery", "kind": "gp_practice", "ods_code": "A81001", "email": "x@"},
    )
    assert "Enter an email address in the correct format" in response.content.decode()


def test_deactivating_an_organisation_hides_it_from_the_default_list(world, school, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("partners:edit", args=[school.pk]),
        {"name": school.name, "kind": "school", "urn": school.urn, "active": "no"},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.active is False
    listing = client.get(reverse("partners:list")).content.decode()
    assert school.name not in listing
    listing = client.get(reverse("partners:list"), {"inactive": "yes"}).content.decode()
    assert school.name in listing and "Deactivated" in listing


def test_contacts_are_added_changed_and_deactivated(world, school, client):
    client.force_login(world.manager)
    url = reverse("partners:contact_new", args=[school.pk])
    response = client.post(url, {"name": "Ellis Thornbury", "job_title": "Head of year"})
    assert response.status_code == 302
    contact = PartnerContact.objects.get()
    edit = reverse("partners:contact_edit", args=[school.pk, contact.pk])
    page = client.get(edit).content.decode()
    assert "Ellis Thornbury" in page and "Is this person still in the role?" in page
    client.post(edit, {"name": "Ellis Thornbury", "job_title": "Deputy head", "active": "no"})
    contact.refresh_from_db()
    assert (contact.job_title, contact.active) == ("Deputy head", False)
    detail = client.get(reverse("partners:detail", args=[school.pk])).content.decode()
    assert "Deputy head" in detail and "Deactivated" in detail


def test_the_detail_page_is_audited_as_a_view(world, school, teacher, client):
    client.force_login(world.practitioner)
    page = client.get(reverse("partners:detail", args=[school.pk])).content.decode()
    assert "Hollis Partridge" in page and "Change" not in page
    event = AuditEvent.objects.filter(action="view", object_type="organisation").last()
    assert event.object_id == str(school.pk) and event.actor_id == world.practitioner.pk
    assert event.detail == {"contacts": 1}


def test_the_list_filters_by_kind_and_name(world, school, client):
    create_organisation(
        actor=world.admin,
        data=OrganisationInput(name="Riverside Surgery", kind="gp_practice", ods_code="A81001"),
    )
    client.force_login(world.duty)
    by_kind = client.get(reverse("partners:list"), {"kind": "gp_practice"}).content.decode()
    assert "Riverside Surgery" in by_kind and "Brookfield" not in by_kind
    by_name = client.get(reverse("partners:list"), {"name": "brookfield primary"}).content.decode()
    assert "Brookfield" in by_name and "Riverside" not in by_name
    audit = AuditEvent.objects.filter(action="view", object_type="organisation").last()
    assert audit.detail == {"count": 1, "list": True}


def test_the_list_paginates(world, client):
    for n in range(27):
        make_school(world, name=f"School {n:02d}", urn=f"1{n:05d}")
    client.force_login(world.practitioner)
    first = client.get(reverse("partners:list")).content.decode()
    assert "School 24" in first and "School 25" not in first and "page=2" in first
    second = client.get(reverse("partners:list"), {"page": 2}).content.decode()
    assert "School 26" in second and "School 00" not in second


def test_list_query_count_is_pinned(world, client):
    client.force_login(world.practitioner)
    make_school(world, name="A school", urn="100001")
    make_school(world, name="B school", urn="100002")
    assert _count(client, reverse("partners:list")) == LIST_QUERIES[connection.vendor]
    for n in range(8):
        make_school(world, name=f"More {n}", urn=f"2{n:05d}")
    assert _count(client, reverse("partners:list")) == LIST_QUERIES[connection.vendor]


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
