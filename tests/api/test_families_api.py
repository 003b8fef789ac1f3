"""GET /families/{id}: the family record for those who may see it, 404 for everyone else."""

from __future__ import annotations

import uuid

import pytest

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.people.models import Address
from earlyhelp.people.services import set_address_confidential
from tests.api.conftest import NHS_CHILD, last_seq

pytestmark = pytest.mark.django_db


def test_the_allocated_team_reads_members_addresses_and_open_episode(world, api_as):
    family, episode = world.open_family(first_name="Ottoline", nhs_number=NHS_CHILD)
    child_address = Address.objects.get(person__first_name="Ottoline")
    set_address_confidential(actor=world.practitioner, address=child_address, confidential=True)
    api = api_as(world.practitioner)
    seq = last_seq()

    response = api.get(f"/families/{family.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(family.pk) and body["reference"] == family.reference
    members = {m["first_name"]: m for m in body["members"]}
    assert set(members) == {"Ottoline", "Marigold"}
    child = members["Ottoline"]
    assert child["role"] == "child" and child["sex"] == "female"
    assert child["date_of_birth"] == "2015-03-14"
    assert child["nhs_number"] == NHS_CHILD
    assert child["person_id"]
    assert [(a["postcode"], a["confidential"]) for a in child["addresses"]] == [("AB1 2XY", True)]
    assert [a["confidential"] for a in members["Marigold"]["addresses"]] == [False]
    assert body["open_episode"] == {
        "id": str(episode.pk),
        "team": {"slug": "north", "name": "North Family Support"},
        "lead_practitioner": "pat",
        "opened_at": body["open_episode"]["opened_at"],
    }
    assert body["open_episode"]["opened_at"]
    view = AuditEvent.objects.get(seq__gt=seq)
    assert view.action == Action.VIEW and view.object_type == "family"
    assert view.actor_id == world.practitioner.pk and view.object_id == str(family.pk)


def test_a_closed_family_has_no_open_episode_for_its_teams_manager(world, api_as):
    family, _ = world.closed_family()
    response = api_as(world.manager).get(f"/families/{family.pk}")
    assert response.status_code == 200
    assert response.json()["open_episode"] is None


@pytest.mark.parametrize(
    "who", ["practitioner_south", "manager_south", "duty", "dpo", "analyst", "admin", "partner"]
)
def test_anyone_outside_the_family_scope_gets_404(world, api_as, who):
    family, _ = world.open_family()
    seq = last_seq()
    response = api_as(getattr(world, who)).get(f"/families/{family.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}
    # No read is audited; the refusal is, naming only who, and which family's id.
    events = AuditEvent.objects.filter(seq__gt=seq, object_type="family")
    assert [(e.action, e.object_id, e.detail) for e in events] == [("denied", str(family.pk), {})]


def test_an_unknown_family_is_404_and_a_malformed_id_is_422(world, api_as):
    api = api_as(world.practitioner)
    assert api.get(f"/families/{uuid.uuid4()}").status_code == 404
    response = api.get("/families/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "family_id"]
