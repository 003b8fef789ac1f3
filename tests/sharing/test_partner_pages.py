"""The partner pages at /partner/: my families, a family's plan, my actions, contributions;
and the staff pages, which stay closed to a partner's session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.plans import services as plan_services
from earlyhelp.plans.models import PlanAction
from earlyhelp.referrals.services import PersonInput
from earlyhelp.sharing.models import DisclosureLogEntry, PartnerContribution, Scope
from tests.factories import World, agree_to_share
from tests.plans.conftest import Setup
from tests.sharing.test_partner_access import (
    NEVER_SHOWN,
    agree_scope,
    authorised_assessment,
    hide_in_record,
    link,
    object_to_sharing,
    withdraw_all,
)

pytestmark = pytest.mark.django_db

# Session, user, grants, the partner's contact, the candidates, the PLAN rule (people: 4,
# objections, decisions, agreements), the open actions, the audited list (savepoint, chain
# head, insert; PostgreSQL adds the chain's advisory lock) and the session's update.
LIST_QUERIES = {"sqlite": 20, "postgresql": 21}


def _page(client, name: str, *args: object):  # type: ignore[no-untyped-def]
    return client.get(reverse(name, args=args))


def another_family(world: World, s: Setup, surname: str) -> None:
    """A second family whose plan names the teacher, with the family's agreement."""
    family, _ = world.open_family(
        last_name=surname,
        extra_people=[PersonInput(first_name="Ivo", last_name=surname, role="sibling", sex="male")],
    )
    child = family.members.get(first_name="Zoë")
    plan = plan_services.create_plan(
        actor=world.practitioner,
        family=family,
        outcomes=[
            plan_services.OutcomeInput(
                headline_code="getting_a_good_education",
                description="In school every day.",
                people=[child.pk],
            )
        ],
    )
    version = plan_services.current_version(plan)
    plan_services.add_member(actor=world.practitioner, version=version, contact=s.teacher.pk)
    plan_services.add_action(
        actor=world.practitioner,
        version=version,
        data=plan_services.ActionInput(
            what="Check attendance weekly",
            due_on=timezone.localdate() + timedelta(days=7),
            owner_contact=s.teacher.pk,
        ),
    )
    parent = family.members.get(first_name="Marigold")
    agree_to_share(world.practitioner, family, child, organisation=s.school, given_by=parent)


def test_a_partner_lands_on_their_families(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("partner:families")
    html = _page(client, "partner:families").content.decode()
    assert f"Family {setup.family.reference}" in html
    assert reverse("partner:family", args=[setup.family.pk]) in html
    assert "Your families" in html  # the navigation link
    assert "Quillfeather" not in html  # the list names no one


def test_the_families_list_has_a_fixed_query_count(world, setup, plan, client):
    link(world, setup)
    client.force_login(world.partner)
    url = reverse("partner:families")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count() == LIST_QUERIES[connection.vendor]
    for surname in ("Ashgrove", "Birchwood", "Cedarfell"):
        another_family(world, setup, surname)
    html = client.get(url).content.decode()
    assert html.count("Family EH-") == 4
    assert count() == LIST_QUERIES[connection.vendor]


def test_the_list_is_paginated(world, setup, plan, client, settings):
    from earlyhelp.sharing.partner import views

    link(world, setup)
    another_family(world, setup, "Ashgrove")
    client.force_login(world.partner)
    original = views.PER_PAGE
    views.PER_PAGE = 1
    try:
        first = client.get(reverse("partner:families")).content.decode()
        second = client.get(reverse("partner:families") + "?page=2").content.decode()
    finally:
        views.PER_PAGE = original
    assert first.count("Family EH-") == 1 and second.count("Family EH-") == 1
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def test_staff_do_not_have_partner_pages(world, setup, plan, login):
    client = login(world.practitioner)
    assert _page(client, "partner:families").status_code == 403
    assert _page(client, "partner:family", setup.family.pk).status_code == 404


def test_the_family_page_shows_the_plan_and_my_actions(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    response = _page(client, "partner:family", setup.family.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Weekly attendance check-in" in html
    assert "Mornings are calm at home." in html
    assert "Set up a morning routine chart" in html  # the whole plan's actions
    assert "the family plan" in html.lower()
    assert "Case notes" not in html  # the agreement covers the plan only
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    assert reverse("partner:action_status", args=[setup.family.pk, action.pk]) in html
    assert DisclosureLogEntry.objects.count() == 2


def test_a_withdrawn_agreement_or_an_objection_gives_404(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    assert _page(client, "partner:family", setup.family.pk).status_code == 200
    logged = DisclosureLogEntry.objects.count()
    object_to_sharing(world, setup, plan)
    assert _page(client, "partner:family", setup.family.pk).status_code == 404
    withdraw_all(world, setup)
    assert _page(client, "partner:family", setup.family.pk).status_code == 404
    assert (
        f"Family {setup.family.reference}" not in _page(client, "partner:families").content.decode()
    )
    assert DisclosureLogEntry.objects.count() == logged


def test_no_address_and_no_excluded_person_in_partner_html(world, setup, plan, login):
    link(world, setup)
    hide_in_record(world, setup)
    authorised_assessment(world, setup)
    agree_scope(world, setup, Scope.CASE_NOTES)
    agree_scope(world, setup, Scope.ASSESSMENTS)
    client = login(world.partner)
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    pages = [
        _page(client, "partner:families"),
        _page(client, "partner:family", setup.family.pk),
        _page(client, "partner:action_status", setup.family.pk, action.pk),
        _page(client, "partner:contribution", setup.family.pk),
    ]
    htmls = []
    for response in pages:
        assert response.status_code == 200
        htmls.append(response.content.decode())
    family_html = htmls[1]
    assert "Case notes" in family_html and "Assessments" in family_html
    assert "Zoë was ready for school." in family_html
    for html in htmls:
        for secret in NEVER_SHOWN:
            assert secret.lower() not in html.lower(), secret


def test_updating_my_action(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    action = PlanAction.objects.get(owner_contact=setup.teacher)
    url = reverse("partner:action_status", args=[setup.family.pk, action.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Where has this action got to?" in page.content.decode()

    bad = client.post(url, {"status": "whenever"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "There is a problem" in html and "Choose where the action has got to" in html
    action.refresh_from_db()
    assert action.status == "not_started"

    done = client.post(url, {"status": "done"})
    assert done.status_code == 302
    assert done["Location"] == reverse("partner:family", args=[setup.family.pk])
    action.refresh_from_db()
    assert action.status == "done"


def test_i_cannot_open_or_update_someone_elses_action(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    parents = PlanAction.objects.get(owner_person=setup.parent)
    url = reverse("partner:action_status", args=[setup.family.pk, parents.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "done"}).status_code == 404
    parents.refresh_from_db()
    assert parents.status == "not_started"


def test_adding_a_contribution(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    url = reverse("partner:contribution", args=[setup.family.pk])
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 200
    assert "Enter your contribution" in empty.content.decode()
    assert not PartnerContribution.objects.exists()

    added = client.post(url, {"text": "Zoë read aloud in assembly."})
    assert added.status_code == 302
    assert PartnerContribution.objects.get().text == "Zoë read aloud in assembly."
    html = _page(client, "partner:family", setup.family.pk).content.decode()
    assert "Zoë read aloud in assembly." in html


def test_staff_family_pages_are_404_for_a_partner(world, setup, plan, login):
    link(world, setup)
    client = login(world.partner)
    family_id = setup.family.pk
    for name, args in [
        ("casework:family", [family_id]),
        ("plans:list", [family_id]),
        ("plans:detail", [family_id, plan.pk]),
        ("plans:print", [family_id, plan.pk]),
        ("plans:pdf", [family_id, plan.pk]),
        ("contacts:list", [family_id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_the_directory_shows_whether_a_contact_has_a_sign_in(world, setup, login):
    link(world, setup)
    client = login(world.manager)
    html = _page(client, "partners:detail", setup.school.pk).content.decode()
    assert "Partner sign-in" in html
    assert ">Yes<" in html.replace("\n", "").replace(" ", "")
