"""Online referral drafts: encrypted in their own table, only as long as needed.

The session holds the draft's id and nothing the referrer typed; the draft goes when the
referral is sent, is refused a few hours after the last answer, and ``purge_public_drafts``
deletes it then.
"""

from __future__ import annotations

import importlib
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.datamap import read_declaration
from earlyhelp.referrals.models import PublicReferralDraft, Referral
from earlyhelp.referrals.public_views import DRAFT_ID_KEY
from tests.referrals.test_public_form import CHILD, fill_in, submit

pytestmark = pytest.mark.django_db

TYPED = ("Juniper", "Thistlewaite", "Rowena", "Larkspur", "AB1 2XY", "2016-03-14", "Attendance")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _session_data(client: Client) -> dict[str, Any]:
    key = client.cookies["sessionid"].value
    row = Session.objects.get(session_key=key)
    return SessionStore().decode(row.session_data)


def _raw_answers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM referrals_publicreferraldraft")
        return [row[0] for row in cursor.fetchall()]


def test_the_session_holds_only_the_draft_id(client: Client) -> None:
    fill_in(client)
    client.get("/refer/check/")

    data = _session_data(client)

    draft = PublicReferralDraft.objects.get()
    assert data == {DRAFT_ID_KEY: str(draft.pk)}
    assert draft.notice_version is not None  # the notice shown, kept with the draft
    text = repr(data)
    assert not any(typed in text for typed in TYPED)


def test_the_answers_are_stored_encrypted(client: Client) -> None:
    fill_in(client)
    [stored] = _raw_answers()
    assert stored.startswith("ef1:")
    assert not any(typed in stored for typed in TYPED)
    assert "Juniper" in PublicReferralDraft.objects.get().answers  # and read back in clear


def test_sending_deletes_the_draft_and_the_session_keeps_only_the_reference(
    client: Client,
) -> None:
    fill_in(client)
    client.get("/refer/check/")
    submit(client)

    assert not PublicReferralDraft.objects.exists()
    assert _session_data(client) == {"public_referral_reference": Referral.objects.get().reference}


def test_each_answer_restarts_the_clock(client: Client, settings: Any) -> None:
    settings.EARLYHELP_PUBLIC_DRAFT_HOURS = 2
    before = timezone.now()
    client.post("/refer/who/", {"referrer_type": "self"})
    first = PublicReferralDraft.objects.get().expires_at
    assert before + timedelta(hours=2) <= first <= timezone.now() + timedelta(hours=2)
    PublicReferralDraft.objects.update(expires_at=timezone.now() + timedelta(minutes=5))

    client.post("/refer/your-details/", {"referrer_name": "Ada Quince", "phone": "01632 960002"})

    assert PublicReferralDraft.objects.get().expires_at > timezone.now() + timedelta(hours=1)


def test_an_expired_draft_is_refused_even_while_the_session_lasts(client: Client) -> None:
    fill_in(client)
    PublicReferralDraft.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get("/refer/check/")["Location"] == "/refer/who/"
    assert submit(client)["Location"] == "/refer/who/"
    assert not Referral.objects.exists()
    # Starting again makes a new draft; the expired one waits for the purge.
    client.post("/refer/who/", {"referrer_type": "self"})
    assert PublicReferralDraft.objects.count() == 2


def test_a_tampered_draft_id_starts_again(client: Client) -> None:
    fill_in(client)
    session = client.session
    for bad in ("not-a-uuid", ["a", "list"], "00000000-0000-0000-0000-000000000000"):
        session[DRAFT_ID_KEY] = bad
        session.save()
        assert client.get("/refer/check/")["Location"] == "/refer/who/"


def test_purge_deletes_expired_drafts_only_and_says_how_many(client: Client) -> None:
    fill_in(client)
    other = Client()
    other.post("/refer/who/", {"referrer_type": "self"})
    other.post("/refer/people/add/", CHILD)
    kept, expired = PublicReferralDraft.objects.order_by("created_at")
    PublicReferralDraft.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    out = io.StringIO()

    call_command("purge_public_drafts", stdout=out)

    assert out.getvalue() == "Deleted 1 expired online referral draft(s).\n"
    assert list(PublicReferralDraft.objects.values_list("pk", flat=True)) == [kept.pk]
    event = AuditEvent.objects.filter(object_type="public_referral_draft").get()
    assert event.action == "delete" and event.detail == {"count": 1, "purge": True}
    # Again: nothing to do, nothing recorded.
    call_command("purge_public_drafts", stdout=out)
    assert AuditEvent.objects.filter(object_type="public_referral_draft").count() == 1
    # The unexpired draft still works.
    assert "Juniper Thistlewaite" in client.get("/refer/check/").content.decode()


def test_the_draft_is_in_the_data_map_with_its_encrypted_answers() -> None:
    declaration = read_declaration(PublicReferralDraft)
    assert declaration.personal
    assert declaration.retention == "public_referral_draft"
    assert declaration.encrypted_fields == ("answers",)


def test_the_migration_takes_old_drafts_out_of_sessions() -> None:
    migration = importlib.import_module("earlyhelp.referrals.migrations.0003_public_referral_draft")
    store = SessionStore()
    legacy = {
        "public_referral": {"people": [{"first_name": "Juniper"}]},
        "public_referral_notice_version": 1,
        "public_referral_error": {"step": "check"},
        "_auth_user_id": "7",
    }
    live = Session.objects.create(
        session_key="live" * 8,
        session_data=store.encode(legacy),
        expire_date=timezone.now() + timedelta(minutes=10),
    )
    Session.objects.create(
        session_key="dead" * 8,
        session_data=store.encode(legacy),
        expire_date=timezone.now() - timedelta(minutes=10),
    )
    untouched = Session.objects.create(
        session_key="none" * 8,
        session_data=store.encode({"_auth_user_id": "8"}),
        expire_date=timezone.now() + timedelta(minutes=10),
    )
    from django.apps import apps

    migration.forget_drafts_kept_in_sessions(apps, None)

    assert set(Session.objects.values_list("session_key", flat=True)) == {
        live.session_key,
        untouched.session_key,
    }
    live.refresh_from_db()
    assert store.decode(live.session_data) == {"_auth_user_id": "7"}
    untouched_data = Session.objects.get(pk=untouched.pk).session_data
    assert untouched_data == untouched.session_data
