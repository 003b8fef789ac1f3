"""Directory fixtures: an editor-made school with a contact, and a JSON client with PATCH."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from earlyhelp.accounts.models import User
from earlyhelp.accounts.services import issue_token
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.partners.services import (
    ContactInput,
    OrganisationInput,
    add_contact,
    create_organisation,
)
from tests.api.conftest import ApiClient


class JsonApi(ApiClient):
    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.put(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def api_as() -> Callable[[User], JsonApi]:
    def _as(user: User) -> JsonApi:
        return JsonApi(issue_token(actor=None, user=user))

    return _as


def make_school(world, name: str = "Brookfield Primary School", urn: str = "123456"):  # type: ignore[no-untyped-def]
    return create_organisation(
        actor=world.admin,
        data=OrganisationInput(name=name, kind="school", urn=urn, email="office@example.org"),
    )


@pytest.fixture
def school(world) -> Organisation:  # type: ignore[no-untyped-def]
    return make_school(world)


@pytest.fixture
def teacher(world, school) -> PartnerContact:  # type: ignore[no-untyped-def]
    return add_contact(
        actor=world.admin,
        organisation=school,
        data=ContactInput(
            name="Hollis Partridge",
            job_title="Designated safeguarding lead",
            email="h.partridge@example.org",
        ),
    )
