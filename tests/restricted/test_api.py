"""The restricted-records API: restriction, break-glass, review list and review."""

from __future__ import annotations

import pytest

from earlyhelp.restricted.models import BreakGlassAccess
from tests.restricted.conftest import GLASS_REASON, REASON, Setup

pytestmark = pytest.mark.django_db


def _path(setup: Setup) -> str:
    return f"/families/{setup.family.pk}/restriction"


def test_restrict_read_and_lift(setup, api_as):
    api = api_as(setup.world.manager)
    assert api.get(_path(setup)).json()["restricted"] is False
    response = api.put(_path(setup), {"reason": REASON, "allowed": ["nell"]})
    assert response.status_code == 200
    body = response.json()
    assert body["restricted"] and body["allowed"] == ["nell"] and body["reason"] == REASON
    assert api.delete(_path(setup)).json()["restricted"] is False
    assert api.delete(_path(setup)).status_code == 409


def test_restriction_errors(setup, api_as, anonymous_api):
    assert anonymous_api.get(_path(setup)).status_code == 401
    assert api_as(setup.world.practitioner).get(_path(setup)).status_code == 404
    response = api_as(setup.world.dpo).put(
        _path(setup), {"reason": REASON, "allowed": ["nell", "ghost"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "allowed", 1]
    response = api_as(setup.world.dpo).put(_path(setup), {"reason": "short", "allowed": []})
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "reason"]


def test_break_glass_then_review(setup, api_as):
    setup.restrict()
    api = api_as(setup.world.practitioner)
    path = f"/families/{setup.family.pk}"
    assert api.get(path).status_code == 404
    assert api.post(f"{path}/break-glass", {"reason": "x"}).status_code == 422
    response = api.post(f"{path}/break-glass", {"reason": GLASS_REASON})
    assert response.status_code == 201 and response.json()["alerted"] == 2
    assert api.get(path).status_code == 200
    assert (
        api.post(f"{path}/break-glass", {"reason": GLASS_REASON}).status_code == 404
    )  # already in

    dpo = api_as(setup.world.dpo)
    listing = dpo.get("/break-glass-accesses", pending="true").json()
    assert listing["count"] == 1 and listing["accesses"][0]["username"] == "pat"
    access_id = listing["accesses"][0]["id"]
    reviewed = dpo.post(f"/break-glass-accesses/{access_id}/review", {"outcome": "appropriate"})
    assert reviewed.status_code == 200 and reviewed.json()["outcome"] == "appropriate"
    assert dpo.get("/break-glass-accesses", pending="true").json()["count"] == 0
    assert BreakGlassAccess.objects.get().reviewed_by == setup.world.dpo


def test_review_list_refused_to_practitioners(setup, api_as):
    assert api_as(setup.world.practitioner).get("/break-glass-accesses").status_code == 403
