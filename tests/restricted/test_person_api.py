"""The person-restriction API, and break-glass over the API into a family closed by a member."""

from __future__ import annotations

import pytest

from earlyhelp.people.models import Person
from tests.restricted.conftest import GLASS_REASON, REASON, Setup

pytestmark = pytest.mark.django_db


def _parent(setup: Setup) -> Person:
    return Person.objects.get(memberships__family=setup.family, first_name="Marigold")


def _path(setup: Setup) -> str:
    return f"/people/{_parent(setup).pk}/restriction"


def test_restrict_read_and_lift(setup, api_as):
    api = api_as(setup.world.manager)
    body = api.get(_path(setup)).json()
    assert body["restricted"] is False and body["family_references"] == [setup.family.reference]
    response = api.put(_path(setup), {"reason": REASON, "allowed": ["nell"]})
    assert response.status_code == 200
    body = response.json()
    assert body["restricted"] and body["allowed"] == ["nell"] and body["reason"] == REASON
    assert api_as(setup.world.practitioner).get(f"/families/{setup.family.pk}").status_code == 404
    assert api.delete(_path(setup)).json()["restricted"] is False
    assert api.delete(_path(setup)).status_code == 409
    assert api_as(setup.world.practitioner).get(f"/families/{setup.family.pk}").status_code == 200


def test_errors(setup, api_as, anonymous_api):
    assert anonymous_api.get(_path(setup)).status_code == 401
    for who in ("practitioner", "manager_south", "duty", "partner"):
        api = api_as(getattr(setup.world, who))
        assert api.get(_path(setup)).status_code == 404
        assert api.put(_path(setup), {"reason": REASON, "allowed": []}).status_code == 404
        assert api.delete(_path(setup)).status_code == 404
    dpo = api_as(setup.world.dpo)
    response = dpo.put(_path(setup), {"reason": REASON, "allowed": ["nell", "ghost"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "allowed", 1]
    response = dpo.put(_path(setup), {"reason": "short", "allowed": []})
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "reason"]
    assert dpo.get("/people/00000000-0000-4000-8000-00000000beef/restriction").status_code == 404


def test_break_glass_into_a_family_closed_by_a_member(setup, api_as):
    api_as(setup.world.manager).put(_path(setup), {"reason": REASON, "allowed": ["nell"]})
    api = api_as(setup.world.practitioner)
    path = f"/families/{setup.family.pk}"
    assert api.get(path).status_code == 404
    response = api.post(f"{path}/break-glass", {"reason": GLASS_REASON})
    assert response.status_code == 201 and response.json()["alerted"] == 2
    assert api.get(path).status_code == 200
    listing = api_as(setup.world.dpo).get("/break-glass-accesses", pending="true").json()
    assert listing["count"] == 1 and listing["accesses"][0]["family_id"] == str(setup.family.pk)
