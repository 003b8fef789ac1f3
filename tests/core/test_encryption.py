"""Field-level encryption: tokens, purposes, keys, and what reaches the database."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.core import encryption
from earlyhelp.core.encryption import EncryptionError, generate_key_line, parse_keys
from earlyhelp.core.migration_ops import BlindIndexSpec, EncryptColumns
from earlyhelp.people.models import Person
from earlyhelp.people.selectors import SearchCriteria, search_people
from tests.core.test_identifiers import nhs_numbers, with_nhs_check

NHS = with_nhs_check("943476591") or ""
OTHER_NHS = with_nhs_check("943476592") or ""


def raw_column(table: str, column: str, pk: object) -> str:
    with connection.cursor() as cursor:
        key = Person._meta.pk.get_db_prep_value(pk, connection)  # type: ignore[union-attr]
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [key])  # noqa: S608
        return str(cursor.fetchone()[0])


@given(st.text(max_size=2000))
def test_any_text_survives_a_round_trip(text: str) -> None:
    token = encryption.encrypt(text, "tests.purpose")
    assert encryption.decrypt(token, "tests.purpose") == text
    if text:
        assert token.startswith("ef1:test-1:")
        sealed = base64.urlsafe_b64decode(token.removeprefix("ef1:test-1:"))
        # Shorter texts could turn up in random bytes by chance.
        assert len(text.encode()) < 16 or text.encode() not in sealed


def test_the_same_text_makes_a_different_token_each_time() -> None:
    first = encryption.encrypt("Visited at home.", "tests.purpose")
    assert first != encryption.encrypt("Visited at home.", "tests.purpose")


def test_a_token_moved_to_another_column_does_not_decrypt() -> None:
    token = encryption.encrypt("I like my new school.", "casework.contactvoice.text")
    with pytest.raises(EncryptionError, match="copied from another column") as caught:
        encryption.decrypt(token, "casework.contact.note")
    assert "school" not in str(caught.value)


def test_a_damaged_token_is_refused() -> None:
    token = encryption.encrypt("Mornings are calmer.", "tests.purpose")
    damaged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(EncryptionError, match="does not decrypt"):
        encryption.decrypt(damaged, "tests.purpose")


def test_a_token_from_a_removed_key_names_the_key_not_the_value(settings) -> None:  # type: ignore[no-untyped-def]
    token = encryption.encrypt("Dad starts his new job on Monday.", "tests.purpose")
    settings.EARLYHELP_FIELD_KEYS = [generate_key_line("fresh")]
    with pytest.raises(EncryptionError, match="key test-1, which is not configured"):
        encryption.decrypt(token, "tests.purpose")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (["no-colon-here"], "must look like 'id:base64key'"),
        (["k1:c2hvcnQ="], "must be 32 random bytes, not 5"),
        (["k1:***"], "not valid base64"),
        (["has space:" + "A" * 43], "must be 1-16 letters"),
        ([generate_key_line("k1"), generate_key_line("k1")], "names key k1 twice"),
    ],
)
def test_bad_key_settings_are_explained(entries: list[str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_keys(entries, "EARLYHELP_FIELD_KEYS")


def test_no_key_at_all_stops_encryption_with_directions(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_FIELD_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="Key management"):
        encryption.encrypt("text", "tests.purpose")


def test_an_index_key_may_not_double_as_an_encryption_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_BLIND_INDEX_KEYS = [
        "other:" + settings.EARLYHELP_FIELD_KEYS[0].partition(":")[2]
    ]
    with pytest.raises(ImproperlyConfigured, match="must not also be"):
        encryption.blind_index(NHS, "nhs_number")


@given(nhs_numbers(), nhs_numbers())
def test_blind_index_is_stable_and_tells_numbers_apart(first: str, second: str) -> None:
    assert encryption.blind_index(first, "nhs_number") == encryption.blind_index(
        first, "nhs_number"
    )
    assert first not in encryption.blind_index(first, "nhs_number")
    if first != second:
        assert encryption.blind_index(first, "nhs_number") != encryption.blind_index(
            second, "nhs_number"
        )


def test_the_index_depends_on_the_key(settings) -> None:  # type: ignore[no-untyped-def]
    before = encryption.blind_index(NHS, "nhs_number")
    settings.EARLYHELP_BLIND_INDEX_KEYS = [generate_key_line("other")]
    assert encryption.blind_index(NHS, "nhs_number") != before


def test_the_index_is_an_hmac_under_the_configured_key(settings) -> None:  # type: ignore[no-untyped-def]
    # The stored indexes depend on this exact form: changing it silently breaks search of
    # every row indexed before the change.
    key = parse_keys(settings.EARLYHELP_BLIND_INDEX_KEYS, "EARLYHELP_BLIND_INDEX_KEYS")[0]
    message = f"nhs_number\x00{NHS}".encode()
    index = encryption.blind_index(NHS, "nhs_number")
    assert index == f"bi1:{key.id}:{hmac.new(key.secret, message, hashlib.sha256).hexdigest()}"
    # Without the key, anyone holding a copy of the database could hash every possible NHS
    # number (about 10^9 of them) and read the index back.
    digest = index.rpartition(":")[2]
    assert digest not in {
        hashlib.sha256(message).hexdigest(),
        hashlib.sha256(NHS.encode()).hexdigest(),
        hashlib.sha256(f"nhs_number{NHS}".encode()).hexdigest(),
    }
    assert encryption.blind_index_candidates(NHS, "nhs_number") == [index]


def test_the_digest_depends_on_the_key_secret_not_just_its_id(settings) -> None:  # type: ignore[no-untyped-def]
    # Same key id, different secret: only a keyed hash tells the two apart.
    settings.EARLYHELP_BLIND_INDEX_KEYS = [generate_key_line("same")]
    first = encryption.blind_index(NHS, "nhs_number")
    settings.EARLYHELP_BLIND_INDEX_KEYS = [generate_key_line("same")]
    second = encryption.blind_index(NHS, "nhs_number")
    assert first.startswith("bi1:same:") and second.startswith("bi1:same:")
    assert first != second


@pytest.mark.django_db
def test_the_database_holds_ciphertext_and_search_finds_by_number(world) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.create(first_name="Ottilie", last_name="Brackwater", nhs_number=NHS)
    Person.objects.create(first_name="Perpetua", last_name="Brackwater", nhs_number=OTHER_NHS)
    stored = raw_column("people_person", "nhs_number", person.pk)
    assert stored.startswith("ef1:") and NHS not in stored
    assert NHS not in raw_column("people_person", "nhs_number_index", person.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person WHERE nhs_number LIKE %s", [f"%{NHS}%"])
        assert cursor.fetchone()[0] == 0

    person.refresh_from_db()
    assert person.nhs_number == NHS
    found = search_people(world.duty, SearchCriteria(nhs_number=NHS[:3] + " " + NHS[3:]))
    assert [match.person_id for match in found] == [person.pk]


@pytest.mark.django_db
def test_changing_the_number_moves_the_index(world) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.create(first_name="Ottilie", last_name="Brackwater", nhs_number=NHS)
    person.nhs_number = OTHER_NHS
    person.save(update_fields=["nhs_number"])
    assert not search_people(world.duty, SearchCriteria(nhs_number=NHS))
    assert [m.person_id for m in search_people(world.duty, SearchCriteria(nhs_number=OTHER_NHS))]


@pytest.mark.django_db
def test_an_encrypted_column_cannot_be_searched_by_mistake() -> None:
    with pytest.raises(TypeError, match="is encrypted"):
        list(Person.objects.filter(nhs_number=NHS))
    with pytest.raises(TypeError, match="is encrypted"):
        list(Person.objects.filter(nhs_number__icontains="943"))
    assert not Person.objects.filter(nhs_number__isnull=True).exists()
    Person.objects.create(first_name="Ottilie", last_name="Brackwater", nhs_number=NHS)
    Person.objects.create(first_name="Perpetua", last_name="Brackwater")
    assert Person.objects.exclude(nhs_number="").get().first_name == "Ottilie"


@pytest.mark.django_db
def test_the_migration_step_encrypts_plain_values_once_and_reverses() -> None:
    person = Person.objects.create(first_name="Ottilie", last_name="Brackwater")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET nhs_number = %s, nhs_number_index = '' WHERE id = %s",
            [NHS, Person._meta.pk.get_db_prep_value(person.pk, connection)],  # type: ignore[union-attr]
        )
    from django.apps import apps

    step = EncryptColumns(
        "people",
        "person",
        {"nhs_number": "people.person.nhs_number"},
        index=BlindIndexSpec("nhs_number_index", "nhs_number", "nhs_number"),
    )
    editor = connection.schema_editor()
    step.forwards(apps, editor)
    once = raw_column("people_person", "nhs_number", person.pk)
    step.forwards(apps, editor)  # safe to re-run: tokens are left alone
    assert raw_column("people_person", "nhs_number", person.pk) == once
    person.refresh_from_db()
    assert person.nhs_number == NHS
    assert person.nhs_number_index == encryption.blind_index(NHS, "nhs_number")

    step.backwards(apps, editor)
    assert raw_column("people_person", "nhs_number", person.pk) == NHS


@pytest.mark.django_db
def test_the_migration_step_works_through_a_table_in_batches(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps

    import earlyhelp.core.migration_ops

    monkeypatch.setattr(earlyhelp.core.migration_ops, "_BATCH", 2)
    numbers = [with_nhs_check(f"94347659{d}") for d in range(5)]
    people = [
        Person.objects.create(first_name="Ottilie", last_name=f"Brackwater{i}")
        for i, _ in enumerate(numbers)
    ]
    with connection.cursor() as cursor:
        for person, number in zip(people, numbers, strict=True):
            cursor.execute(
                "UPDATE people_person SET nhs_number = %s WHERE id = %s",
                [number, Person._meta.pk.get_db_prep_value(person.pk, connection)],  # type: ignore[union-attr]
            )
    EncryptColumns("people", "person", {"nhs_number": "people.person.nhs_number"}).forwards(
        apps, connection.schema_editor()
    )
    for person, number in zip(people, numbers, strict=True):
        assert raw_column("people_person", "nhs_number", person.pk).startswith("ef1:")
        person.refresh_from_db()
        assert person.nhs_number == number


@pytest.mark.django_db
def test_a_plain_value_in_an_encrypted_column_is_refused_not_shown(world) -> None:  # type: ignore[no-untyped-def]
    # Fail closed (issue 12, item 8): text written around the model, or left by a conversion
    # that did not run, must not be shown as though it had been protected.
    person = Person.objects.create(first_name="Ottilie", last_name="Brackwater")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET nhs_number = %s WHERE id = %s",
            [NHS, Person._meta.pk.get_db_prep_value(person.pk, connection)],  # type: ignore[union-attr]
        )
    with pytest.raises(
        EncryptionError, match=r"people\.person\.nhs_number value is stored unencrypted"
    ) as caught:
        Person.objects.get(pk=person.pk)
    assert NHS not in str(caught.value)
    with pytest.raises(EncryptionError, match="stored unencrypted"):
        encryption.decrypt("ef0:looks-like-a-token-but-is-not", "tests.purpose")
    # The conversion step (raw SQL, never the model) is the one reader of plain values.
    EncryptColumns("people", "person", {"nhs_number": "people.person.nhs_number"}).forwards(
        django_apps, connection.schema_editor()
    )
    assert Person.objects.get(pk=person.pk).nhs_number == NHS
