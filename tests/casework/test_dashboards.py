"""My caseload (practitioners) and the team dashboard (managers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.casework.models import Episode
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.plans.services import create_plan

pytestmark = pytest.mark.django_db


def _overdue_plan(world, family) -> FamilyPlan:
    plan = create_plan(actor=world.practitioner, family=family)
    FamilyPlan.objects.filter(pk=plan.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=3)
    )
    return plan


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_caseload_lists_the_families_i_lead_with_overdue_reviews(world, login):
    mine, _ = world.open_family(last_name="Brackenbury")
    _overdue_plan(world, mine)
    world.open_family(team=world.south, last_name="Elsewhere")  # not led by pat
    page = login(world.practitioner).get(reverse("dashboards:caseload")).content.decode()

    assert mine.reference in page
    assert "Zoë Brackenbury" in page
    assert "Elsewhere" not in page
    assert "Overdue" in page
    assert reverse("plans:detail", args=[mine.pk, FamilyPlan.objects.get().pk]) in page


def test_caseload_is_audited_without_names(world, login):
    world.open_family()
    login(world.practitioner).get(reverse("dashboards:caseload"))
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="family").last()
    assert event is not None and event.detail["list"] is True
    assert "Zo" not in str(event.detail)


@pytest.mark.parametrize("role", ["duty", "dpo", "analyst", "admin", "partner"])
def test_caseload_is_for_case_workers_only(world, login, role):
    response = login(getattr(world, role)).get(reverse("dashboards:caseload"))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["practitioner", "duty", "dpo", "analyst", "admin", "partner"])
def test_team_dashboard_is_for_managers_only(world, login, role):
    response = login(getattr(world, role)).get(reverse("dashboards:team"))
    assert response.status_code == 403


def test_team_dashboard_shows_unallocated_overdue_and_caseload_per_practitioner(world, login):
    led, _ = world.open_family(last_name="Ashcombe")
    _overdue_plan(world, led)
    unallocated, episode = world.open_family(last_name="Nolead")
    Episode.objects.filter(pk=episode.pk).update(lead_practitioner=None)
    south, _ = world.open_family(team=world.south, last_name="Southerly")

    page = login(world.manager).get(reverse("dashboards:team")).content.decode()

    assert "North Family Support" in page
    assert unallocated.reference in page and led.reference in page
    assert south.reference not in page
    assert "Pat North" in page
    # Two open families, one of them without a lead practitioner, one overdue review.
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-1">2</span>open families' in page
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-1">1</span>without a lead' in page


# Measured with one row in every list, then with five: the counts must not grow.
# -2 since issue 4: a caseload that fits one page gives its count and overdue reviews.
CASELOAD_QUERIES = {"sqlite": 13, "postgresql": 14}
# +2 since issue 5: the sharing decisions awaiting authorisation and overdue (two counts).
TEAM_QUERIES = {"sqlite": 22, "postgresql": 23}


def test_list_pages_have_fixed_query_counts(world, client):
    family, _ = world.open_family()
    _overdue_plan(world, family)
    _, unallocated = world.open_family(last_name="Nolead")
    Episode.objects.filter(pk=unallocated.pk).update(lead_practitioner=None)
    caseload_url, team_url = reverse("dashboards:caseload"), reverse("dashboards:team")
    client.force_login(world.practitioner)
    caseload_few = _count(client, caseload_url)
    client.force_login(world.manager)
    team_few = _count(client, team_url)

    for n in range(4):
        more, _ = world.open_family(last_name=f"Extra{n}")
        _overdue_plan(world, more)
    Episode.objects.filter(family__referrals__people__last_name="Extra0").update(
        lead_practitioner=None
    )
    assert (caseload_few, team_few) == (
        CASELOAD_QUERIES[connection.vendor],
        TEAM_QUERIES[connection.vendor],
    )

    client.force_login(world.practitioner)
    assert _count(client, caseload_url) == caseload_few
    client.force_login(world.manager)
    assert _count(client, team_url) == team_few


def test_the_api_gives_my_caseload(world, api_as):
    family, episode = world.open_family()
    _overdue_plan(world, family)
    world.open_family(team=world.south)

    body = api_as(world.practitioner).get("/caseload").json()

    assert body["count"] == 1
    [row] = body["families"]
    assert row["family_id"] == str(family.pk) and row["episode_id"] == str(episode.pk)
    assert row["review_overdue"] is True
    assert body["sustain_checks_due"] == []
    assert api_as(world.duty).get("/caseload").status_code == 403
