"""The caseload's first page answers its count and overdue reviews from its own rows.

A caseload (20-25 families) is one page, so the rows read for it are the whole caseload: the
count and the overdue plan reviews come from them instead of two more queries. These tests
pin that the shortcut shows what the queries would, and that a caseload longer than a page
still gets the right count, pages and overdue reviews (from the queries, as before).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.casework import dashboard_views, dashboards
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.plans.services import create_plan

pytestmark = pytest.mark.django_db


def _plan_due(world, family, days: int) -> FamilyPlan:
    plan = create_plan(actor=world.practitioner, family=family)
    FamilyPlan.objects.filter(pk=plan.pk).update(
        next_review_due=timezone.localdate() + timedelta(days=days)
    )
    return plan


def _families(world, count: int):
    return [world.open_family(last_name=f"Caseload{n}")[0] for n in range(count)]


def test_overdue_reviews_from_the_rows_match_the_query(world):
    first, second, third = _families(world, 3)
    late = _plan_due(world, first, -2)
    later = _plan_due(world, second, -9)
    _plan_due(world, third, 5)  # not yet due
    today = timezone.localdate()

    listing = dashboards.caseload_page(
        world.practitioner, None, per_page=25, preview=10, today=today
    )

    from_query = list(dashboards.overdue_reviews(dashboards.caseload(world.practitioner), today))
    assert [p.pk for p in from_query] == [later.pk, late.pk]
    assert [(r.pk, r.family_id, r.next_review_due) for r in listing.overdue] == [
        (p.pk, p.family_id, p.next_review_due) for p in from_query
    ]
    assert listing.page.paginator.count == 3


def test_a_caseload_longer_than_a_page_is_counted_and_paged(world, client, monkeypatch):
    monkeypatch.setattr(dashboard_views, "PER_PAGE", 2)
    families = _families(world, 3)
    plans = [_plan_due(world, family, -(n + 1)) for n, family in enumerate(families)]
    client.force_login(world.practitioner)
    url = reverse("dashboards:caseload")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    # Every overdue review shows on either page, the family on page 2 included.
    for page in (first, second):
        for plan in plans:
            assert reverse("plans:detail", args=[plan.family_id, plan.pk]) in page
    shown = {f.reference for f in families if f.reference in first.split("Plan reviews overdue")[0]}
    assert len(shown) == 2


def test_a_longer_caseload_costs_no_more_queries_than_before(world, client, monkeypatch):
    """A first page that overflows reads its rows once, then counts: as many queries as the
    count, overdue and page queries before the shortcut, and two more than a single page."""
    monkeypatch.setattr(dashboard_views, "PER_PAGE", 2)
    client.force_login(world.practitioner)
    url = reverse("dashboards:caseload")
    _families(world, 2)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one_page = count()
    _families(world, 1)
    assert count() == one_page + 2
