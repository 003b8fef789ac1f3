"""The disclosure log pages: per family and per person, every column, paginated, fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from earlyhelp.sharing.decisions import authorise_decision
from earlyhelp.sharing.disclosure_log import log_disclosure
from earlyhelp.sharing.models import DisclosureChannel, DisclosureLogEntry
from earlyhelp.sharing.policy import OutputPath, check_sharing
from tests.sharing.test_decision_pages import record_gateway_decision

pytestmark = pytest.mark.django_db


def log_plan_sent(world, setup, what: str = "Family plan version 1") -> None:
    """The plan e-mailed to the school's teacher under the family's agreement (both people)."""
    people = [setup.parent.pk, setup.child.pk]
    check = check_sharing(
        actor=world.practitioner,
        family=setup.family,
        recipient=setup.school,
        people=people,
        scopes=["plan"],
        path=OutputPath.TAF_PLAN,
    )
    assert check.allowed
    log_disclosure(
        actor=world.practitioner,
        family=setup.family,
        people=people,
        check=check,
        channel=DisclosureChannel.TAF_EMAIL,
        what=what,
        scopes=["plan"],
        recipient=setup.school,
        contact=setup.teacher,
    )


def log_package_under_gateway(world, setup) -> None:
    """A package released to the school under the safeguarding gateway, a manager approving."""
    decision = record_gateway_decision(world, setup)
    authorise_decision(actor=world.manager, decision=decision, authorise=True)
    decision.refresh_from_db()
    check = check_sharing(
        actor=world.practitioner,
        family=setup.family,
        recipient=setup.school,
        people=[setup.child.pk],
        scopes=["plan"],
        path=OutputPath.DISCLOSURE_PACKAGE,
        decision=decision,
    )
    assert check.allowed
    log_disclosure(
        actor=world.practitioner,
        family=setup.family,
        people=[setup.child.pk],
        check=check,
        channel=DisclosureChannel.PACKAGE,
        what="Disclosure package: plan",
        scopes=["plan"],
        recipient=setup.school,
        contact=setup.teacher,
        approved_by=world.manager,
    )


def _rows(html: str) -> list[str]:
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return body.split("<tr")[1:]


def test_the_family_log_shows_what_to_whom_when_how_basis_and_who(world, setup, plan, login):
    log_plan_sent(world, setup)
    log_package_under_gateway(world, setup)
    html = (
        login(world.practitioner)
        .get(reverse("sharing:log", args=[setup.family.pk]))
        .content.decode()
    )
    rows = _rows(html)
    assert len(rows) == 3  # two people for the plan, one for the package
    package_row = rows[0]  # most recent first
    assert "Zoë Quillfeather" in package_row
    assert "Disclosure package: plan" in package_row
    assert "Brookfield Primary School, Ms Hollis Partridge" in package_row
    assert "Encrypted disclosure package" in package_row
    assert "Safeguarding: risk of significant harm" in package_row
    assert world.practitioner.display_name in package_row
    assert world.manager.display_name in package_row
    plan_rows = "".join(rows[1:])
    assert "Family plan e-mailed to the TAF" in plan_rows
    assert "Agreement given" in plan_rows
    assert "Marigold Quillfeather" in plan_rows and "Zoë Quillfeather" in plan_rows


def test_the_person_log_shows_only_that_person(world, setup, plan, login):
    log_plan_sent(world, setup)
    log_package_under_gateway(world, setup)
    client = login(world.practitioner)
    parent = client.get(reverse("sharing:person_log", args=[setup.family.pk, setup.parent.pk]))
    html = parent.content.decode()
    assert "Disclosure log: Marigold Quillfeather" in html
    rows = _rows(html)
    assert len(rows) == 1 and "Family plan e-mailed to the TAF" in rows[0]
    child = client.get(reverse("sharing:person_log", args=[setup.family.pk, setup.child.pk]))
    assert len(_rows(child.content.decode())) == 2
    excluded = client.get(
        reverse("sharing:person_log", args=[setup.family.pk, setup.excluded.pk])
    ).content.decode()
    assert "Nothing has been disclosed about Wystan Quillfeather" in excluded


def test_a_person_of_another_family_is_not_found(world, setup, login):
    other, _ = world.open_family(last_name="Ashgrove")
    stranger = other.members.first()
    url = reverse("sharing:person_log", args=[setup.family.pk, stranger.pk])
    assert login(world.practitioner).get(url).status_code == 404


@pytest.mark.parametrize("user", ["practitioner_south", "manager_south", "duty", "admin"])
def test_other_teams_do_not_find_the_log(world, setup, plan, login, user):
    log_plan_sent(world, setup)
    client = login(getattr(world, user))
    assert client.get(reverse("sharing:log", args=[setup.family.pk])).status_code == 404
    url = reverse("sharing:person_log", args=[setup.family.pk, setup.parent.pk])
    assert client.get(url).status_code == 404


def test_the_log_is_paginated(world, setup, plan, login):
    for n in range(26):
        log_plan_sent(world, setup, what=f"Family plan copy {n:02d}")
    assert DisclosureLogEntry.objects.count() == 52
    client = login(world.practitioner)
    url = reverse("sharing:log", args=[setup.family.pk])
    first = client.get(url).content.decode()
    assert len(_rows(first)) == 50 and "Page 1 of 2" in first and "?page=2" in first
    second = client.get(url + "?page=2").content.decode()
    assert len(_rows(second)) == 2 and "Family plan copy 00" in second


LOG_QUERIES = {"sqlite": 19, "postgresql": 21}


def test_the_log_has_a_fixed_query_count(world, setup, plan, client, django_assert_num_queries):
    log_plan_sent(world, setup)
    log_package_under_gateway(world, setup)
    client.force_login(world.practitioner)
    urls = [
        reverse("sharing:log", args=[setup.family.pk]),
        reverse("sharing:person_log", args=[setup.family.pk, setup.child.pk]),
    ]
    expected = LOG_QUERIES[connection.vendor]
    for url in urls:
        with django_assert_num_queries(expected + (url != urls[0])):
            assert client.get(url).status_code == 200
    for n in range(8):
        log_plan_sent(world, setup, what=f"Family plan copy {n}")
        log_package_under_gateway(world, setup)
    for url in urls:
        with django_assert_num_queries(expected + (url != urls[0])):
            assert client.get(url).status_code == 200
