"""Bad input is a 422 naming the field (or a 415 for a body not sent as JSON), never a 500
and never a stored value that breaks later reads (issue 12, items 13 and 19).

Found by a council's trial on PostgreSQL: a referral received in year 1 broke the triage queue
for every duty worker; a NUL byte was a 500 in every text field and in query parameters; a
string longer than its column was a 500; a session time with an offset was saved and then
answered 500; code-list errors echoed the caller's value; Content-Type was ignored.
"""

from __future__ import annotations

import inspect
import json
import typing
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from ninja import Schema
from pydantic import BaseModel

from earlyhelp.api import api
from earlyhelp.casework.models import Contact
from earlyhelp.core.api_schemas import InputSchema, unsafe_value_problem
from earlyhelp.core.date_bounds import EARLIEST_DATE, latest_date
from earlyhelp.core.forms import GovukDateField
from earlyhelp.programmes.models import ProgrammeSession
from earlyhelp.referrals.models import Referral
from tests.api.conftest import referral_body
from tests.programmes.conftest import make_programme

pytestmark = pytest.mark.django_db


def _locs(response: Any) -> list[list[object]]:
    return [error["loc"] for error in response.json()["errors"]]


# --- every input goes through the one rule -------------------------------------------------


def _input_models() -> set[type[BaseModel]]:
    """Every model reachable from an operation's body or query parameters."""
    found: set[type[BaseModel]] = set()

    def walk(annotation: Any) -> None:
        for argument in typing.get_args(annotation):
            walk(argument)
        if (
            inspect.isclass(annotation)
            and issubclass(annotation, BaseModel)
            and annotation.__module__.startswith("earlyhelp")
            and annotation not in found
        ):
            found.add(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.signature.models:
                    if model.__ninja_param_source__ in ("body", "query"):
                        for field in model.model_fields.values():
                            walk(field.annotation)
    return found


def test_every_request_body_and_query_schema_is_an_input_schema() -> None:
    models = _input_models()
    assert len(models) > 40
    strays = sorted(m.__name__ for m in models if not issubclass(m, InputSchema))
    assert not strays, f"derive these from core.api_schemas.InputSchema: {strays}"


def _strings_without_max_length(schema: dict[str, Any]) -> list[str]:
    missing = []
    for name, prop in schema.get("properties", {}).items():
        alternatives = prop.get("anyOf", [])
        if any(a.get("type") == "number" for a in alternatives):
            continue  # a decimal, which pydantic also reads from a string: bounded by digits
        for candidate in [prop, *alternatives]:
            items = candidate.get("items", {}) if candidate.get("type") == "array" else None
            for where, value in ((name, candidate), (f"{name}[]", items or {})):
                if (
                    value.get("type") == "string"
                    and "maxLength" not in value
                    and "enum" not in value
                    and value.get("format") not in ("uuid", "date", "date-time", "time", "email")
                ):
                    missing.append(where)
    return missing


def test_every_string_an_operation_accepts_has_a_max_length() -> None:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    missing = [
        f"{model.__name__}.{field}"
        for model in _input_models()
        for field in _strings_without_max_length(components[model.__name__])
    ]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    schema = {"properties": {parameter["name"]: parameter["schema"]}}
                    missing += [
                        f"{method} {path} ?{f}" for f in _strings_without_max_length(schema)
                    ]
    assert not missing, "give these their column's max_length: " + ", ".join(sorted(missing))


def _schema_classes(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        if sub.__module__.startswith("earlyhelp"):
            found.append(sub)
        found.extend(_schema_classes(sub))
    return found


def test_no_two_schemas_share_a_name_so_none_overwrites_another_in_the_document() -> None:
    api.get_openapi_schema()  # every router imported
    names = [cls.__name__ for cls in set(_schema_classes(Schema))]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"schema names used twice: {twice}"


def test_the_triage_decision_and_plan_review_document_their_own_bodies() -> None:
    document = api.get_openapi_schema()

    def body_of(operation_id: str) -> str:
        for operations in document["paths"].values():
            for operation in operations.values():
                if operation.get("operationId") == operation_id:
                    content = operation["requestBody"]["content"]["application/json"]
                    return content["schema"]["$ref"].rsplit("/", 1)[-1]
        raise AssertionError(operation_id)

    components = document["components"]["schemas"]
    triage = components[body_of("record_decision")]["properties"]
    assert "outcome" in triage and "signposted_to" in triage and "gateway" not in triage
    review = components[body_of("record_plan_review")]["properties"]
    assert "held_on" in review and "escalated" not in review


# --- the rule itself -----------------------------------------------------------------------


@given(st.text(), st.text())
def test_any_string_holding_a_nul_is_refused_and_no_other(before: str, after: str) -> None:
    assert unsafe_value_problem(before + "\x00" + after)
    assert unsafe_value_problem([before, {"k": before + "\x00"}])
    clean = (before + after).replace("\x00", "")
    assert unsafe_value_problem(clean) is None


@given(st.dates())
def test_a_date_is_refused_exactly_outside_the_bounds(day: date) -> None:
    inside = EARLIEST_DATE <= day <= latest_date()
    assert (unsafe_value_problem(day) is None) is inside
    assert (unsafe_value_problem([day]) is None) is inside


def test_a_time_with_an_offset_is_refused() -> None:
    assert unsafe_value_problem(time(10, 0)) is None
    assert unsafe_value_problem(time(10, 0, tzinfo=timezone.get_fixed_timezone(60)))


# --- through HTTP --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received_at",
    ["0001-01-01T00:00:00+01:00", "1899-12-31T12:00:00", "9999-12-31T23:59:59+00:00"],
)
def test_a_referral_received_in_an_impossible_year_is_422_and_the_queue_still_works(
    world, api_as, login, received_at
) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.duty)
    response = api.post("/referrals", referral_body(received_at=received_at))
    assert response.status_code == 422, response.content
    assert _locs(response) == [["body", "payload", "received_at"]]
    assert received_at not in response.content.decode()
    assert not Referral.objects.exists()
    assert login(world.duty).get("/referrals/").status_code == 200


@pytest.mark.parametrize(
    "change, loc",
    [
        ({"summary": "Mum said\x00 help"}, ["body", "payload", "summary"]),
        ({"referrer": {"name": "A\x00B"}}, ["body", "payload", "referrer", "name"]),
        ({"reasons": ["getting_a_good_education\x00"]}, ["body", "payload", "reasons"]),
    ],
)
def test_a_nul_in_a_body_is_422_naming_the_field(world, api_as, change, loc) -> None:  # type: ignore[no-untyped-def]
    body = referral_body()
    if "referrer" in change:
        body["referrer"] = {**body["referrer"], **change["referrer"]}
    else:
        body.update(change)
    response = api_as(world.duty).post("/referrals", body)
    assert response.status_code == 422, response.content
    assert loc in _locs(response)
    assert not Referral.objects.exists()


def test_a_nul_in_a_query_is_422_naming_the_parameter_and_a_400_page(world, api_as, login) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.admin).client.get(
        "/api/v1/partners?name=a%00b", headers=api_as(world.admin).headers
    )
    assert response.status_code == 422
    assert _locs(response) == [["query", "name"]]
    page = login(world.duty).get("/people/?q=a%00b")
    assert page.status_code == 400
    assert "a\x00b" not in page.content.decode()


def test_a_contact_in_year_one_is_422(world, api_as) -> None:  # type: ignore[no-untyped-def]
    family, _episode = world.open_family()
    person = family.memberships.first().person
    body = {
        "contact_type": "phone_call",
        "occurred_at": "0001-01-01T00:00:00+01:00",
        "note": "Called mum.",
        "subjects": [str(person.pk)],
    }
    response = api_as(world.practitioner).post(f"/families/{family.pk}/contacts", body)
    assert response.status_code == 422, response.content
    assert ["body", "payload", "occurred_at"] in _locs(response)
    assert not Contact.objects.exists()


def test_a_closure_destination_longer_than_its_column_is_422(world, api_as) -> None:  # type: ignore[no-untyped-def]
    family, _episode = world.open_family()
    body = {
        "reason": "stepped_up",
        "summary": "Stepping up to children's social care.",
        "onward_destination": "x" * 201,
        "onward_reason": "Concerns have grown.",
    }
    response = api_as(world.manager).post(f"/families/{family.pk}/closure", body)
    assert response.status_code == 422, response.content
    assert ["body", "body", "onward_destination"] in _locs(response)


def test_a_session_time_with_an_offset_is_422_and_nothing_is_saved(world, api_as) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme(world)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    api = api_as(world.practitioner)
    response = api.post(
        f"/programmes/{programme.pk}/sessions", {"date": day, "start_time": "10:00:00+01:00"}
    )
    assert response.status_code == 422, response.content
    assert _locs(response) == [["body", "payload", "start_time"]]
    assert not ProgrammeSession.objects.exists()
    saved = api.post(f"/programmes/{programme.pk}/sessions", {"date": day, "start_time": "10:00"})
    assert saved.status_code == 201
    assert saved.json()["start_time"] == "10:00:00"


def test_a_code_list_error_does_not_echo_the_value(world, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.duty).post(
        "/referrals", referral_body(source="Marigold Quillfeather's sister")
    )
    assert response.status_code == 422
    assert _locs(response) == [["body", "payload", "source"]]
    assert "Quillfeather" not in response.content.decode()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_write_not_sent_as_json_is_415_and_records_nothing(world, api_as, content_type) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.duty)
    response = Client().post(
        "/api/v1/referrals",
        json.dumps(referral_body()),
        content_type=content_type,
        headers=api.headers,
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert not Referral.objects.exists()
    document = api.get("/openapi.json").json()
    assert "415" in document["paths"]["/api/v1/referrals"]["post"]["responses"]


def test_a_page_date_in_an_impossible_year_is_a_form_error() -> None:
    field = GovukDateField(label="Date of birth")
    for year in ("0001", "1000", "1899", "9999"):
        with pytest.raises(Exception, match="between"):
            field.clean(["1", "1", year])
    assert field.clean(["1", "1", "2001"]) == date(2001, 1, 1)
