"""Key rotation: a new key is added, everything is re-encrypted, the old key is removed, and
every note, child's words, timeline line and NHS number still reads and searches."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import Contact, ContactVoice, TimelineEntry
from earlyhelp.core.encryption import generate_key_line
from earlyhelp.core.key_rotation import encrypted_columns
from earlyhelp.people.models import Person
from earlyhelp.people.selectors import SearchCriteria, search_people
from tests.casework.contacts.conftest import record
from tests.core.test_identifiers import with_nhs_check

pytestmark = pytest.mark.django_db

NHS = with_nhs_check("943476591") or ""
NEW_FIELD_KEY = generate_key_line("2027-01")
NEW_INDEX_KEY = generate_key_line("idx-2027")


def stored_values(model: type, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table}")  # noqa: S608
        return [value for (value,) in cursor.fetchall() if value]


def key_ids(model: type, column: str) -> set[str]:
    return {value.split(":")[1] for value in stored_values(model, column)}


def run(*args: str) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def records(world):  # type: ignore[no-untyped-def]
    family, _episode = world.open_family(last_name="Ashgrove")
    contact = record(world.practitioner, family)
    person = Person.objects.create(first_name="Ottilie", last_name="Brackwater", nhs_number=NHS)
    return contact, person


def test_every_encrypted_column_is_found_from_the_models() -> None:
    found = {
        (columns.label, field.name)
        for columns in encrypted_columns()
        for field in (*columns.encrypted, *columns.indexes)
    }
    assert {
        ("people.Person", "nhs_number"),
        ("people.Person", "nhs_number_index"),
        ("referrals.ReferralPerson", "nhs_number"),
        ("casework.Contact", "note"),
        ("casework.HistoricalContact", "note"),
        ("casework.ContactVoice", "text"),
        ("casework.TimelineEntry", "summary"),
        ("assessments.Assessment", "child_views"),
        ("assessments.HistoricalAssessment", "parent_views"),
    } <= found


def test_rotation_moves_everything_to_the_new_key_and_the_old_key_can_go(
    records,  # type: ignore[no-untyped-def]
    settings,  # type: ignore[no-untyped-def]
    world,  # type: ignore[no-untyped-def]
) -> None:
    contact, person = records
    note, words = contact.note, list(contact.voices.values_list("text", flat=True))
    history_rows = Contact.history.count()
    old_field_keys, old_index_keys = (
        settings.EARLYHELP_FIELD_KEYS,
        settings.EARLYHELP_BLIND_INDEX_KEYS,
    )

    settings.EARLYHELP_FIELD_KEYS = [NEW_FIELD_KEY, *old_field_keys]
    settings.EARLYHELP_BLIND_INDEX_KEYS = [NEW_INDEX_KEY, *old_index_keys]
    # Before rotation: old tokens still read, and search finds the old index.
    assert Contact.objects.get(pk=contact.pk).note == note
    assert [m.person_id for m in search_people(world.duty, SearchCriteria(nhs_number=NHS))]
    with pytest.raises(CommandError, match="still use an older key"):
        run("--check")

    output = run()
    assert "casework.Contact: 1 row(s) re-encrypted from key(s) test-1" in output
    assert NHS not in output and note not in output

    assert key_ids(Contact, "note") == {"2027-01"}
    assert key_ids(Contact.history.model, "note") == {"2027-01"}
    assert key_ids(ContactVoice, "text") == {"2027-01"}
    assert key_ids(TimelineEntry, "summary") == {"2027-01"}
    assert key_ids(Person, "nhs_number") == {"2027-01"}
    assert key_ids(Person, "nhs_number_index") == {"idx-2027"}
    assert Contact.history.count() == history_rows  # no content changed, so no new version

    settings.EARLYHELP_FIELD_KEYS = [NEW_FIELD_KEY]
    settings.EARLYHELP_BLIND_INDEX_KEYS = [NEW_INDEX_KEY]
    assert "older keys can be removed" in run("--check")
    reread = Contact.objects.get(pk=contact.pk)
    assert reread.note == note
    assert sorted(reread.voices.values_list("text", flat=True)) == sorted(words)
    assert {h.note for h in Contact.history.filter(id=contact.pk)} == {note}
    found = search_people(world.duty, SearchCriteria(nhs_number=NHS))
    assert [m.person_id for m in found] == [person.pk]

    event = AuditEvent.objects.filter(object_type="field_keys").get()
    assert event.object_id == "2027-01" and event.detail["rows_rewritten"] >= 5


def test_rotating_only_the_index_key_reindexes_and_check_waits_for_it(
    records,  # type: ignore[no-untyped-def]
    settings,  # type: ignore[no-untyped-def]
    world,  # type: ignore[no-untyped-def]
) -> None:
    _contact, person = records
    old_index_keys = settings.EARLYHELP_BLIND_INDEX_KEYS
    tokens_before = stored_values(Person, "nhs_number")
    settings.EARLYHELP_BLIND_INDEX_KEYS = [NEW_INDEX_KEY, *old_index_keys]

    # Every field token is under the current field key: only the index is stale, and that
    # alone must stop the old index key being dropped.
    with pytest.raises(CommandError, match=r"1 row\(s\) still use an older key"):
        run("--check")
    output = run()
    assert "people.Person: 1 row(s) re-encrypted from key(s) test-1" in output
    assert "Rewrote 1 row(s)" in output
    assert key_ids(Person, "nhs_number_index") == {"idx-2027"}
    assert key_ids(Person, "nhs_number") == {"test-1"}  # the field key did not change
    assert stored_values(Person, "nhs_number") != tokens_before  # re-sealed, same key
    assert NHS not in output

    settings.EARLYHELP_BLIND_INDEX_KEYS = [NEW_INDEX_KEY]
    assert "older keys can be removed" in run("--check")
    found = search_people(world.duty, SearchCriteria(nhs_number=NHS))
    assert [m.person_id for m in found] == [person.pk]


def test_removing_the_old_index_key_before_rotating_is_refused_by_check(records, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_BLIND_INDEX_KEYS = [NEW_INDEX_KEY]
    with pytest.raises(CommandError, match=r"key\(s\) test-1, which are not configured"):
        run("--check")


def test_running_rotation_again_changes_nothing(records, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_FIELD_KEYS = [NEW_FIELD_KEY, *settings.EARLYHELP_FIELD_KEYS]
    run()
    before = stored_values(Contact, "note")
    assert "Rewrote 0 row(s)" in run()
    assert stored_values(Contact, "note") == before


def test_removing_a_key_before_rotating_is_refused_loudly(records, settings) -> None:  # type: ignore[no-untyped-def]
    from earlyhelp.core.encryption import EncryptionError

    contact, _person = records
    settings.EARLYHELP_FIELD_KEYS = [NEW_FIELD_KEY]
    with pytest.raises(EncryptionError, match="add it back to EARLYHELP_FIELD_KEYS"):
        Contact.objects.get(pk=contact.pk)
    with pytest.raises(CommandError, match=r"key\(s\) test-1, which are not configured"):
        run("--check")
    with pytest.raises(CommandError, match="key test-1, which is not configured"):
        run()


def test_newkey_prints_a_usable_key() -> None:
    out = StringIO()
    call_command("newkey", "2027-06", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("2027-06:")
    from earlyhelp.core.encryption import parse_keys

    assert parse_keys([line], "EARLYHELP_FIELD_KEYS")[0].id == "2027-06"
    with pytest.raises(CommandError, match="1-16 letters"):
        call_command("newkey", "not a valid id!")
