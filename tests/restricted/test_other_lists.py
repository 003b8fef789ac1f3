"""Lists not built on visible_families: caseload, team dashboard, plans review list, partners."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.casework import dashboards
from earlyhelp.plans.permissions import plans_for_review
from earlyhelp.sharing.partner.access import partner_families
from tests.restricted.conftest import Setup

pytestmark = pytest.mark.django_db


def test_caseload_leaves_out_a_restricted_family_its_lead_is_not_named_on(setup: Setup):
    assert list(
        dashboards.caseload(setup.world.practitioner).values_list("family_id", flat=True)
    ) == [setup.family.pk]
    setup.restrict()
    assert not dashboards.caseload(setup.world.practitioner).exists()
    setup.break_glass(setup.world.practitioner)
    assert dashboards.caseload(setup.world.practitioner).exists()


def test_team_dashboard_leaves_it_out_for_a_manager_not_named(setup: Setup, client):
    setup.restrict()
    client.force_login(setup.world.manager)
    html = client.get(reverse("dashboards:team")).content.decode()
    assert setup.family.reference not in html and "Thistlewood" not in html
    setup.restrict(setup.named, setup.world.manager)
    assert setup.family.reference in client.get(reverse("dashboards:team")).content.decode()


def test_plans_review_list_follows(setup: Setup):
    setup.restrict()
    assert not plans_for_review(setup.world.practitioner).filter(family=setup.family).exists()


def test_family_page_sends_eligible_users_to_the_interstitial_and_others_to_404(
    setup: Setup, client
):
    setup.restrict()
    client.force_login(setup.world.practitioner)
    response = client.get(reverse("casework:family", args=[setup.family.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("restricted:break_glass", args=[setup.family.pk])
    client.force_login(setup.world.practitioner_south)
    assert client.get(reverse("casework:family", args=[setup.family.pk])).status_code == 404


def test_partners_do_not_see_restricted_families(world):
    from earlyhelp.partners.services import link_partner_user
    from earlyhelp.restricted.services import restrict_family
    from earlyhelp.sharing.partner.access import listed_families
    from tests.plans.conftest import agree_to_taf_sharing, make_setup, start_plan

    s = make_setup(world)
    start_plan(world, s)
    agree_to_taf_sharing(world, s)
    link_partner_user(actor=None, contact=s.teacher, user=world.partner)
    assert list(partner_families(world.partner)) == [s.family]
    restrict_family(
        actor=world.manager,
        family=s.family,
        reason="High-profile case in the local news.",
        allowed=[],
    )
    assert list(partner_families(world.partner)) == []
    assert listed_families(world.partner).rows == []


def test_partners_do_not_see_a_family_closed_by_a_restricted_member(world):
    from earlyhelp.core.errors import NotFound
    from earlyhelp.partners.services import link_partner_user
    from earlyhelp.restricted.services import lift_person_restriction, restrict_person
    from earlyhelp.sharing.partner.access import listed_families, partner_family
    from tests.plans.conftest import agree_to_taf_sharing, make_setup, start_plan

    s = make_setup(world)
    start_plan(world, s)
    agree_to_taf_sharing(world, s)
    link_partner_user(actor=None, contact=s.teacher, user=world.partner)
    member = s.family.members.order_by("first_name").first()
    restrict_person(
        actor=world.manager, person=member, reason="A staff member's own family.", allowed=[]
    )
    assert list(partner_families(world.partner)) == []
    assert listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        partner_family(world.partner, s.family.pk)
    lift_person_restriction(actor=world.manager, person=member)
    assert list(partner_families(world.partner)) == [s.family]
