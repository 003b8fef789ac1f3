"""Bulk synthetic people, families, addresses and episodes for the benchmarks.

Rows go straight into PostgreSQL with COPY (the ORM would take hours at a million rows).
Values follow the same rules as the application's: ``search_name`` is computed with
``earlyhelp.core.text.fold`` exactly as ``Person.save`` does, NHS numbers are valid numbers
from the 999 test range, postcodes are format-valid. Names are invented from syllables, with
a skewed (Zipf-like) frequency so that, as in real data, some names are common and most rare.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import psycopg

from earlyhelp.core.text import fold
from earlyhelp.demo import names

SEED = 1_000_003
CHUNK_ROWS = 20_000
NOW = "2026-01-01 09:00:00+00"
TODAY = date(2026, 1, 1)

_FIRST_ONSETS = [
    "Al", "Bri", "Ca", "Da", "E", "Fa", "Gi", "Ha", "I", "Jo", "Ka", "Li", "Ma", "Ni", "O",
    "Pe", "Ro", "Sa", "Ta", "Vi", "Wy", "Ze", "Lu", "Mi", "No", "Ro", "Se", "Th", "Yo", "An",
]  # fmt: skip
_FIRST_ENDINGS = [
    "ra", "na", "lia", "ven", "ric", "son", "beth", "mon", "dre", "lo", "nie", "tha", "rys",
    "wen", "dan", "rin", "ley", "mar", "sha", "ton",
]  # fmt: skip
_SURNAME_STEMS = [
    "Ash", "Bram", "Cor", "Dun", "Fen", "Gil", "Hal", "Kett", "Lark", "Marl", "Nor", "Oak",
    "Pen", "Quill", "Rook", "Salt", "Thorn", "Wych", "Bel", "Cran", "Elder", "Fair", "Glen",
    "Heron", "Ivy", "Kings", "Lynd", "Moss", "Nettle", "Orm", "Pike", "Rush", "Sedge", "Tarn",
    "Wren", "Yew", "Alder", "Birch", "Cob", "Dray", "Ember", "Fallow", "Gorse", "Holly",
]  # fmt: skip
_SURNAME_SUFFIXES = [
    "by", "combe", "dale", "ford", "ham", "hurst", "ley", "mere", "ton", "well", "wick",
    "worth", "field", "brook", "stone", "wood", "more", "cote", "den", "gate", "shaw",
    "thwaite", "bury", "low",
]  # fmt: skip
_ETHNICITY = ["WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "CHNE", "NOBT"]


def first_name_pool() -> list[str]:
    pool = [a + b.lower() for a in _FIRST_ONSETS for b in _FIRST_ENDINGS]
    return sorted(set(pool)) + names.FIRST_NAMES_FEMALE + names.FIRST_NAMES_MALE


def surname_pool() -> list[str]:
    pool = [a + b for a in _SURNAME_STEMS for b in _SURNAME_SUFFIXES]
    return pool + names.SURNAMES


def _skewed(rng: random.Random, pool: list[str]) -> Callable[[], str]:
    """A picker where the k-th most common value is about 1/k^0.9 as frequent as the first."""
    order = pool[:]
    rng.shuffle(order)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(order)):
        total += 1.0 / (rank + 1) ** 0.9
        cumulative.append(total)

    def pick() -> str:
        return rng.choices(order, cum_weights=cumulative)[0]

    return pick


def _nhs_numbers(rng: random.Random) -> Iterator[str]:
    serials = list(range(1_000_000))
    rng.shuffle(serials)
    for serial in serials:
        number = names.nhs_number_for_serial(serial)
        if number is not None:
            yield number


def _reference(index: int) -> str:
    """Unique family references (the app draws random ones; here they must not collide)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    chars = []
    for _ in range(6):
        index, rest = divmod(index, len(alphabet))
        chars.append(alphabet[rest])
    return "EH-" + "".join(reversed(chars))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _dob(rng: random.Random, min_age: int, max_age: int) -> date:
    return TODAY - timedelta(days=rng.randint(365 * min_age + 1, 365 * (max_age + 1) - 1))


@dataclass
class Counts:
    people: int = 0
    families: int = 0
    memberships: int = 0
    addresses: int = 0
    episodes: int = 0
    open_episodes: int = 0
    nhs_numbers: int = 0


class _Copier:
    """Buffers tab-separated rows and streams them into one COPY per table."""

    def __init__(self, conn: psycopg.Connection, table: str, columns: list[str]) -> None:
        self.cursor = conn.cursor()
        self.sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        self.rows: list[str] = []
        self.copy_cm = self.cursor.copy(self.sql)
        self.copy = self.copy_cm.__enter__()

    def add(self, *values: object) -> None:
        self.rows.append("\t".join(r"\N" if v is None else str(v) for v in values))
        if len(self.rows) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.copy.write("\n".join(self.rows) + "\n")
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.copy_cm.__exit__(None, None, None)
        self.cursor.close()


PERSON_COLUMNS = [
    "id", "first_name", "last_name", "known_as", "previous_names", "date_of_birth",
    "date_of_birth_estimated", "unborn", "sex", "gender", "ethnicity", "nhs_number", "upn",
    "nino", "search_name", "created_at", "updated_at",
]  # fmt: skip


def load(
    conn: psycopg.Connection,
    *,
    people: int,
    families: int,
    team_ids: list[int],
    progress: Callable[[str], None] = print,
) -> Counts:
    """Write ``people`` people in ``families`` families. COPY streams need one table at a
    time per connection, so families are generated first and everything else in a second
    pass from the same seed."""
    rng = random.Random(SEED)
    first = _skewed(rng, first_name_pool())
    surname = _skewed(rng, surname_pool())
    nhs = _nhs_numbers(rng)
    counts = Counts()

    family_ids = [_uuid(rng) for _ in range(families)]
    copier = _Copier(conn, "people_family", ["id", "reference", "created_at"])
    for index, family_id in enumerate(family_ids):
        copier.add(family_id, _reference(index), NOW)
    copier.close()
    counts.families = families
    progress(f"  families: {families:,}")

    # Family sizes: every family has one member; the rest are spread at random.
    sizes = [1] * families
    for _ in range(people - families):
        sizes[rng.randrange(families)] += 1

    person_rows: list[tuple[str, str]] = []  # (person id, family id) for later tables
    members: list[str] = []
    copier = _Copier(conn, "people_person", PERSON_COLUMNS)
    for family_id, size in zip(family_ids, sizes, strict=True):
        family_surname = surname()
        adults = 1 if size == 1 else rng.choice([1, 2, 2])
        for position in range(size):
            adult = position < adults
            sex = rng.choice(["female", "male"]) if position else "female"
            last = family_surname if rng.random() < 0.85 else surname()
            given = first()
            known_as = given[:3] if rng.random() < 0.03 else ""
            previous = surname() if adult and rng.random() < 0.05 else ""
            unborn = not adult and rng.random() < 0.005
            if unborn:
                given, known_as, previous = "", "", ""
                dob = TODAY + timedelta(days=rng.randint(10, 250))
            else:
                dob = _dob(rng, 18, 60) if adult else _dob(rng, 0, 17)
            nhs_number = next(nhs, "") if rng.random() < 0.85 else ""
            counts.nhs_numbers += bool(nhs_number)
            person_id = _uuid(rng)
            copier.add(
                person_id, given, last, known_as, previous, dob.isoformat(),
                "t" if unborn or rng.random() < 0.01 else "f", "t" if unborn else "f",
                sex, "", rng.choice(_ETHNICITY), nhs_number, "", "",
                fold(" ".join([given, last, known_as, previous])), NOW, NOW,
            )  # fmt: skip
            person_rows.append((person_id, family_id))
            members.append("parent_or_carer" if adult else "child")
        counts.people += size
        if counts.people % 200_000 < size:
            progress(f"  people: {counts.people:,}")
    copier.close()

    copier = _Copier(
        conn, "people_familymembership", ["family_id", "person_id", "role", "joined_at"]
    )
    for (person_id, family_id), role in zip(person_rows, members, strict=True):
        copier.add(family_id, person_id, role, NOW)
    copier.close()
    counts.memberships = len(person_rows)
    progress(f"  memberships: {counts.memberships:,}")

    # One current address per person, shared within a family; 1% confidential.
    copier = _Copier(
        conn,
        "people_address",
        ["id", "person_id", "line1", "line2", "town", "postcode", "uprn", "confidential",
         "current", "created_at"],
    )  # fmt: skip
    family_address: dict[str, tuple[str, str, str]] = {}
    for person_id, family_id in person_rows:
        if rng.random() < 0.08:
            continue  # no known address
        if family_id not in family_address:
            line1, town = names.street_address(rng)
            family_address[family_id] = (line1, town, names.postcode(rng))
        line1, town, postcode = family_address[family_id]
        confidential = "t" if rng.random() < 0.01 else "f"
        copier.add(_uuid(rng), person_id, line1, "", town, postcode, "", confidential, "t", NOW)
        counts.addresses += 1
    copier.close()
    progress(f"  addresses: {counts.addresses:,}")

    # 80% of families have had an episode; 10% of those are open now.
    copier = _Copier(
        conn,
        "casework_episode",
        ["id", "family_id", "team_id", "lead_practitioner_id", "opened_at", "closed_at",
         "closure_reason", "closure_note"],
    )  # fmt: skip
    for family_id in family_ids:
        if rng.random() >= 0.8:
            continue
        opened = TODAY - timedelta(days=rng.randint(1, 3000))
        is_open = rng.random() < 0.1
        closed_on = min(opened + timedelta(days=rng.randint(30, 400)), TODAY)
        closed = None if is_open else closed_on.isoformat()
        reason = "" if is_open else "needs_met"
        copier.add(
            _uuid(rng), family_id, rng.choice(team_ids), None, opened.isoformat(), closed,
            reason, "",
        )  # fmt: skip
        counts.episodes += 1
        counts.open_episodes += is_open
    copier.close()
    progress(f"  episodes: {counts.episodes:,} ({counts.open_episodes:,} open)")
    return counts
