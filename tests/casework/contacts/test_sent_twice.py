"""The same case-note form sent twice (a double click, a resend after a slow answer) saves one
note; through the API, the same Idempotency-Key does the write once (issue 12, item 15)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from earlyhelp.casework.models import Contact
from earlyhelp.core import idempotency
from earlyhelp.core.models import IdempotencyKey
from tests.casework.contacts.test_contacts_api import _body
from tests.casework.contacts.test_pages import _form

pytestmark = pytest.mark.django_db


def _token_from(page) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'name="form_token" value="([0-9a-f]{32})"', page.content.decode())
    assert found, "the form carries its token"
    return found[1]


def test_the_same_form_sent_twice_saves_one_note_and_the_repeat_shows_it(world, north, client):  # type: ignore[no-untyped-def]
    family, _ = north
    client.force_login(world.practitioner)
    url = reverse("contacts:new", args=[family.pk])
    data = _form(family, form_token=_token_from(client.get(url)))
    first = client.post(url, data)
    second = client.post(url, data)
    contact = Contact.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert first["Location"] == reverse("contacts:detail", args=[family.pk, contact.pk])
    assert "already saved" in client.get(second["Location"]).content.decode()
    # A fresh form is a new note.
    client.post(url, _form(family, form_token=_token_from(client.get(url))))
    assert Contact.objects.count() == 2


def test_a_form_sent_while_the_first_is_still_saving_is_refused(world, north, client):  # type: ignore[no-untyped-def]
    family, _ = north
    client.force_login(world.practitioner)
    url = reverse("contacts:new", args=[family.pk])
    token = _token_from(client.get(url))
    assert idempotency.claim(scope=f"page:{world.practitioner.pk}:contacts:new", key=token) is None
    response = client.post(url, _form(family, form_token=token))
    assert response.status_code == 409
    assert "still being saved" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(world, north, client):  # type: ignore[no-untyped-def]
    family, _ = north
    client.force_login(world.practitioner)
    url = reverse("contacts:new", args=[family.pk])
    token = _token_from(client.get(url))
    future = timezone.localtime() + timedelta(days=3)
    refused = client.post(
        url,
        _form(
            family,
            form_token=token,
            **{
                "occurred_on-day": str(future.day),
                "occurred_on-month": str(future.month),
                "occurred_on-year": str(future.year),
            },
        ),
    )
    assert refused.status_code == 200 and not Contact.objects.exists()
    assert client.post(url, _form(family, form_token=token)).status_code == 302
    assert Contact.objects.count() == 1


def test_the_token_is_a_keyed_hash_in_the_database(world, north, client):  # type: ignore[no-untyped-def]
    family, _ = north
    client.force_login(world.practitioner)
    url = reverse("contacts:new", args=[family.pk])
    token = _token_from(client.get(url))
    client.post(url, _form(family, form_token=token))
    row = IdempotencyKey.objects.get()
    assert token not in (row.key, row.scope)


# --- the API ------------------------------------------------------------------------------


def _post(api, family, body, key=None):  # type: ignore[no-untyped-def]
    headers = dict(api.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    import json

    return api.client.post(
        f"/api/v1/families/{family.pk}/contacts",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def test_the_same_key_twice_writes_once_and_answers_the_same(world, north, api_as):  # type: ignore[no-untyped-def]
    family, _ = north
    api = api_as(world.practitioner)
    key = str(uuid.uuid4())
    body = _body(family)
    first = _post(api, family, body, key)
    second = _post(api, family, body, key)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Contact.objects.count() == 1
    # Without a key, or with a new one, each request is a write.
    assert _post(api, family, body).status_code == 201
    assert _post(api, family, body, str(uuid.uuid4())).status_code == 201
    assert Contact.objects.count() == 3


def test_the_saved_answer_is_encrypted_at_rest(world, north, api_as):  # type: ignore[no-untyped-def]
    family, _ = north
    api = api_as(world.practitioner)
    _post(api, family, _body(family), "key-1")
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
        cursor.execute(f"SELECT response FROM {table}")  # noqa: S608 (a model's own table)
        (stored,) = cursor.fetchone()
    assert "bedtime" not in stored.lower() and "Marigold" not in stored


def test_the_same_key_for_a_different_request_is_422(world, north, api_as):  # type: ignore[no-untyped-def]
    family, _ = north
    api = api_as(world.practitioner)
    assert _post(api, family, _body(family), "key-1").status_code == 201
    other = _post(api, family, _body(family, note="A different note."), "key-1")
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert Contact.objects.count() == 1


def test_keys_belong_to_the_token_that_sent_them(world, north, api_as):  # type: ignore[no-untyped-def]
    family, _ = north
    body = _body(family)
    assert _post(api_as(world.practitioner), family, body, "shared").status_code == 201
    assert _post(api_as(world.practitioner), family, body, "shared").status_code == 201
    assert Contact.objects.count() == 2


def test_a_repeat_while_the_first_runs_is_409_and_a_bad_key_is_422(world, north, api_as):  # type: ignore[no-untyped-def]
    family, _ = north
    api = api_as(world.practitioner)
    token = api.headers["Authorization"].removeprefix("Bearer ")
    body = _body(family)
    # The first request has claimed the key and is still running.
    claimed = idempotency.claim(
        scope="api:" + token, key="busy", request_hash=_hash_of(family, body)
    )
    assert claimed is None
    busy = _post(api, family, body, "busy")
    assert busy.status_code == 409
    assert _post(api, family, _body(family), "has space").status_code == 422
    assert _post(api, family, _body(family), "x" * 256).status_code == 422
    assert not Contact.objects.exists()


def _hash_of(family, body) -> str:  # type: ignore[no-untyped-def]
    import json

    from django.test import RequestFactory

    from earlyhelp.api_idempotency import _request_hash

    request = RequestFactory().post(
        f"/api/v1/families/{family.pk}/contacts", json.dumps(body), content_type="application/json"
    )
    return _request_hash(request)


def test_a_refused_token_or_a_server_error_keeps_nothing(world, north, api_as, monkeypatch):  # type: ignore[no-untyped-def]
    family, _ = north
    api = api_as(world.practitioner)
    body = _body(family)

    def fails(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr("earlyhelp.casework.contacts.services.record_contact", fails)
    api.client.raise_request_exception = False
    assert _post(api, family, body, "k").status_code == 500
    assert not IdempotencyKey.objects.exists()  # released: the retry is a real write
    monkeypatch.undo()
    assert _post(api, family, body, "k").status_code == 201
    stranger = api_as(world.practitioner)
    stranger.headers = {"Authorization": "Bearer eh_not_a_token"}
    assert _post(stranger, family, body, "k2").status_code == 401
    assert IdempotencyKey.objects.count() == 1


def test_keys_older_than_a_day_are_purged(world, north, api_as):  # type: ignore[no-untyped-def]
    family, _ = north
    api = api_as(world.practitioner)
    _post(api, family, _body(family), "old")
    _post(api, family, _body(family), "new")
    IdempotencyKey.objects.filter(pk=IdempotencyKey.objects.order_by("pk").first().pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    call_command("purge_idempotency_keys")
    assert IdempotencyKey.objects.count() == 1
    # The old key is free again: a new write.
    assert _post(api, family, _body(family), "old").status_code == 201
    assert Contact.objects.count() == 3


def test_the_header_is_documented_on_every_write(world, api_as) -> None:  # type: ignore[no-untyped-def]
    document = api_as(world.practitioner).get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert ("Idempotency-Key" in names) == (method != "get"), (method, path)
