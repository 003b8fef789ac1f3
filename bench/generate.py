"""Bulk synthetic people, families, addresses and episodes for the benchmarks.

Rows go straight into PostgreSQL with COPY (the ORM would take hours at a million rows).
Values follow the same rules as the application's: ``search_name`` is computed with
``earlyhelp.core.text.fold`` exactly as ``Person.save`` does, NHS numbers are valid numbers
from the 999 test range, postcodes are format-valid. Names are invented from syllables, with
a skewed (Zipf-like) frequency so that, as in real data, some names are common and most rare.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import uuid
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from earlyhelp.core.text import fold
from earlyhelp.demo import names

SEED = 1_000_003
CHUNK_ROWS = 20_000
NOW = "2026-01-01 09:00:00+00"
NOW_AT = datetime(2026, 1, 1, 9, tzinfo=UTC)
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
    "date_of_birth_estimated", "unborn", "sex", "gender", "ethnicity", "nhs_number",
    "nhs_number_index", "upn", "nino", "search_name", "created_at", "updated_at",
]  # fmt: skip


def _table(conn: psycopg.Connection, model: str, columns: list[str]) -> ModelCopier:
    """A COPY into the model's table: columns the model gained since are filled with their
    defaults, so the search benchmark keeps loading as the models grow."""
    from django.apps import apps

    return ModelCopier(conn, apps.get_model(model), columns)


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
    from earlyhelp.core.encryption import blind_index, encrypt
    from earlyhelp.people.models import Person

    # NHS numbers are stored as the application stores them: encrypted, with the keyed blind
    # index that exact search reads (core.fields), made with the current keys.
    nhs_purpose = Person._meta.get_field("nhs_number").purpose  # type: ignore[union-attr]
    index_purpose = Person._meta.get_field("nhs_number_index").purpose  # type: ignore[union-attr]
    rng = random.Random(SEED)
    first = _skewed(rng, first_name_pool())
    surname = _skewed(rng, surname_pool())
    nhs = _nhs_numbers(rng)
    counts = Counts()

    family_ids = [_uuid(rng) for _ in range(families)]
    copier = _table(conn, "people.Family", ["id", "reference", "created_at"])
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
    copier = _table(conn, "people.Person", PERSON_COLUMNS)
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
                sex, "", rng.choice(_ETHNICITY), encrypt(nhs_number, nhs_purpose),
                blind_index(nhs_number, index_purpose), "", "",
                fold(" ".join([given, last, known_as, previous])), NOW, NOW,
            )  # fmt: skip
            person_rows.append((person_id, family_id))
            members.append("parent_or_carer" if adult else "child")
        counts.people += size
        if counts.people % 200_000 < size:
            progress(f"  people: {counts.people:,}")
    copier.close()

    copier = _table(
        conn, "people.FamilyMembership", ["family_id", "person_id", "role", "joined_at"]
    )
    for (person_id, family_id), role in zip(person_rows, members, strict=True):
        copier.add(family_id, person_id, role, NOW)
    copier.close()
    counts.memberships = len(person_rows)
    progress(f"  memberships: {counts.memberships:,}")

    # One current address per person, shared within a family; 1% confidential.
    copier = _table(
        conn,
        "people.Address",
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
    copier = _table(
        conn,
        "casework.Episode",
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


# --- Case notes (bench/casework.py) --------------------------------------------------------

# Sentences a practitioner might write, with no names in them (a name in a note would also
# trip the "names someone from another family" check). Fillers vary the text so that notes
# are not byte-identical and compress like real prose rather than like a repeated string.
_NOTE_PHRASES = [
    "Visited the family home as planned and was let in by {adult}.",
    "{adult} said the week had been difficult because of {worry}.",
    "{child} was at home and seemed {mood}; we talked about {topic}.",
    "School reports that {child}'s attendance this half term is {percent}%.",
    "Discussed the family plan with {adult}, who agreed to {action}.",
    "The house was {house} and there was food in the kitchen.",
    "{adult} has been in touch with the housing officer about {worry}.",
    "We went through the budget together and {adult} will {action}.",
    "{child} showed me a drawing from school and talked about {topic}.",
    "Phoned {adult} to follow up the last visit; no new concerns were raised.",
    "The health visitor has seen {child} and is happy with progress.",
    "{adult} was tired and said sleep has been poor for {number} weeks.",
    "Agreed a simple routine for mornings so that {child} gets to school on time.",
    "There were raised voices when I arrived; {adult} said it was about {worry}.",
    "{child} said in their own words that home feels {mood} at the moment.",
    "The school family support worker joined the visit for {number} minutes.",
    "I explained what Early Help can and cannot do and how to contact the team.",
    "{adult} would like help with {worry} and asked for information about local groups.",
    "Reviewed the actions from the last meeting: {number} done, the rest in progress.",
    "The older sibling helps a lot at home, which may be too much for their age.",
    "The family has started going to the stay and play session on {day}s.",
    "{adult} missed the appointment at the GP surgery and will rebook it this week.",
    "The bedroom {child} shares is small but clean; a bunk bed has been ordered.",
    "We talked about screen time and agreed phones stay downstairs after {hour} pm.",
    "{adult} is worried about {worry} and I gave the number of the advice line.",
    "No answer at the door; left a card and will phone tomorrow.",
    "The Team Around the Family meeting is booked for next {day}.",
    "School has noticed that {child} is {mood} in class and is offering a mentor.",
    "The family's benefits were reassessed and the income has dropped by about {number} pounds.",
    "{child} has been going to the after-school club, which is helping with friendships.",
    "Discussed safe sleeping arrangements for the baby; the cot is now in place.",
    "{adult} said things are better since the last review and wants to keep going.",
    "We set a goal for the next {number} weeks: {action}.",
    "Shared the referral to the parenting course; {adult} is willing to try it.",
    "The dog was shut in the kitchen during the visit as agreed last time.",
    "{child} is waiting for an appointment with the school nurse about {topic}.",
    "Spoke with the class teacher by phone; behaviour at lunchtime has improved.",
    "Nobody in the family wanted to talk about {topic} today, which I respected.",
    "There is still damp in the back room; the landlord has been written to again.",
    "I will check in with {adult} by phone on {day} and visit the week after.",
]
_FILL = {
    "adult": ["the mother", "the father", "the carer", "the grandmother", "the stepfather"],
    "child": ["the eldest child", "the youngest child", "the middle child", "the baby's sister"],
    "worry": ["rent arrears", "the school run", "money", "a neighbour dispute", "debt",
              "the benefits claim", "the car breaking down", "a relative's illness"],
    "mood": ["settled", "quiet", "cheerful", "anxious", "tired", "chatty", "withdrawn"],
    "topic": ["football", "friends at school", "a new baby cousin", "bedtimes", "homework",
              "the summer holidays", "swimming lessons", "feeling worried"],
    "action": ["call the school on Monday", "keep a sleep diary", "book the GP appointment",
               "try the new morning routine", "go to the parents' group",
               "apply for the uniform grant", "speak to the landlord"],
    "house": ["tidy", "a little cluttered", "warm", "cold", "busy with visitors"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
}  # fmt: skip
# The contact_types code list, weighted towards what practitioners mostly do.
CONTACT_TYPE_WEIGHTS = {
    "home_visit": 38, "phone_call": 24, "school_visit": 9, "office_visit": 6, "video_call": 5,
    "taf_meeting": 6, "multi_agency_meeting": 3, "email_or_letter": 6, "unsuccessful_visit": 3,
}  # fmt: skip


_CORPUS: list[str] = []


def _corpus() -> str:
    """A long run of filled-in sentences, made once. A note is a stretch of it from a random
    sentence: ten million notes take minutes this way, where filling each in took an hour."""
    if not _CORPUS:
        rng = random.Random(SEED + 5)
        sentences = []
        for _ in range(50_000):
            filled = rng.choice(_NOTE_PHRASES).format(
                **{key: rng.choice(values) for key, values in _FILL.items()},
                percent=rng.randint(62, 99),
                number=rng.randint(2, 40),
                hour=rng.randint(7, 9),
            )
            sentences.append(filled[0].upper() + filled[1:])
        _CORPUS.append(" ".join(sentences) + " ")
    return _CORPUS[0]


def note_text(rng: random.Random, low: int = 200, high: int = 1500) -> str:
    """One synthetic note of ``low``..``high`` characters, whole sentences on one line."""
    corpus = _corpus()
    target = int(rng.triangular(low, high, 550))
    start = corpus.find(". ", int(rng.random() * (len(corpus) - 2 * high))) + 2
    end = corpus.find(". ", start + target - 1)  # the sentence that reaches the target
    if end - start >= high:
        end = corpus.rfind(". ", start, start + high)
    return corpus[start : end + 1]


def _copy_text(value: object) -> str:
    """A constant in COPY's text format (only the defaults of fields the loader does not set)."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class ModelCopier(_Copier):
    """COPY into a model's table with the columns its concrete fields have *now*.

    ``add`` takes values (already COPY text) for the fields named in ``chosen`` by attname,
    in that order; every other column gets the field's default, NULL or '' so that a field
    added to the model later does not break the load. A new field with none of those stops
    the load with its name, rather than loading something the application could not write.
    """

    def __init__(self, conn: psycopg.Connection, model: Any, chosen: list[str]) -> None:
        from django.db import models

        slots: list[tuple[int, str]] = []
        columns: list[str] = []
        for model_field in model._meta.concrete_fields:
            if model_field.attname in chosen:
                slots.append((chosen.index(model_field.attname), ""))
            elif isinstance(model_field, models.AutoField | models.BigAutoField):
                continue  # the sequence numbers it
            elif model_field.has_default():
                slots.append((-1, _copy_text(model_field.get_default())))
            elif model_field.null:
                slots.append((-1, r"\N"))
            elif isinstance(model_field, models.CharField | models.TextField):
                slots.append((-1, ""))
            else:
                raise RuntimeError(
                    f"{model.__name__}.{model_field.name} has no default: choose a value for it "
                    "in bench/generate.py"
                )
            columns.append(f'"{model_field.column}"')
        missing = set(chosen) - {f.attname for f in model._meta.concrete_fields}
        if missing:
            raise RuntimeError(f"{model.__name__} has no field {', '.join(sorted(missing))}")
        super().__init__(conn, f'"{model._meta.db_table}"', columns)
        self.slots = slots

    def add(self, *values: object) -> None:
        self.add_row(tuple(r"\N" if v is None else str(v) for v in values))

    def add_row(self, values: tuple[str, ...]) -> None:
        self.rows.append("\t".join([values[i] if i >= 0 else c for i, c in self.slots]))
        if len(self.rows) >= CHUNK_ROWS:
            self.flush()


@dataclass(frozen=True)
class EpisodeForNotes:
    """What the note loader needs to know about one episode and its family."""

    episode_id: str
    family_id: str
    opened_at: datetime
    closed_at: datetime | None
    lead_id: int | None
    team_staff: list[int]
    members: list[str]


def note_counts(
    rng: random.Random, episodes: list[EpisodeForNotes], notes: int, *, heavy_share: float
) -> list[int]:
    """How many notes each episode gets: most 10-50, longer episodes more, and a few
    long-running families (``heavy_share`` of them) with thousands, the timeline's worst case.
    The counts add up to exactly ``notes``."""
    if not episodes:
        return []
    open_oldest = sorted(
        (i for i, e in enumerate(episodes) if e.closed_at is None),
        key=lambda i: episodes[i].opened_at,
    )
    heavy = set(open_oldest[: max(1, round(len(episodes) * heavy_share))])
    counts = [0] * len(episodes)
    heavy_total = 0
    for index in heavy:
        counts[index] = rng.randint(1_000, 5_000)
        heavy_total += counts[index]
    scale = min(1.0, notes / max(heavy_total, 1) / 2)  # heavy families: at most half the notes
    if scale < 1.0:
        for index in heavy:
            counts[index] = max(1, int(counts[index] * scale))
        heavy_total = sum(counts[i] for i in heavy)

    raw: list[float] = []
    for index, episode in enumerate(episodes):
        if index in heavy:
            raw.append(0.0)
            continue
        roll = rng.random()
        base = rng.uniform(10, 50) if roll < 0.85 else rng.uniform(50, 200) if roll < 0.98 else 3
        end = episode.closed_at or NOW_AT
        days = (end - episode.opened_at).days
        raw.append(base * min(1.0, (days + 14) / 90))  # a week-old episode has few notes yet
    factor = (notes - heavy_total) / sum(raw)
    for index, weight in enumerate(raw):
        if weight:
            counts[index] = max(1, int(weight * factor))
    # Spread the rounding difference over ordinary episodes at random.
    ordinary = [i for i, weight in enumerate(raw) if weight]
    difference = notes - sum(counts)
    while difference:
        index = rng.choice(ordinary)
        step = 1 if difference > 0 else -1
        if counts[index] + step >= 1:
            counts[index] += step
            difference -= step
    return counts


@dataclass
class NoteCounts:
    contacts: int = 0
    subjects: int = 0
    characters: int = 0  # of the plain text, before encryption
    shortest: int = 0
    longest: int = 0
    with_next_contact: int = 0


CONTACT_FIELDS = [
    "id", "family_id", "episode_id", "contact_type", "occurred_at", "next_contact_on", "note",
    "professionals", "recorded_by_id", "recorded_at", "corrected_at", "corrected_by_id",
    "correction_reason",
]  # fmt: skip
_PROFESSIONALS = [
    '[{"name": "Class teacher", "organisation": "Primary school", "role": "Teacher"}]',
    '[{"name": "Health visitor", "organisation": "Community health", "role": "Health visitor"}]',
    '[{"name": "Housing officer", "organisation": "Housing association", "role": "Officer"}]',
]


NOTE_PURPOSE = "casework.contact.note"
SUMMARY_PURPOSE = "casework.timelineentry.summary"
TIMELINE_FIELDS = [
    "id", "family_id", "occurred_at", "kind", "object_type", "object_id", "title", "summary",
    "link_name", "recorded_by_id",
]  # fmt: skip
LINK_FIELDS = ["entry_id", "person_id", "family_id", "occurred_at"]


def timeline_entry_id(object_type: str, object_id: str) -> str:
    """A timeline line's id derived from its record's (no id map needed; same as before)."""
    return hashlib.md5(f"{object_type}:{object_id}".encode(), usedforsecurity=False).hexdigest()


def load_notes(
    contact_conn: psycopg.Connection,
    subject_conn: psycopg.Connection,
    timeline_conn: psycopg.Connection,
    link_conn: psycopg.Connection,
    *,
    episodes: list[EpisodeForNotes],
    notes: int,
    heavy_share: float = 0.001,
    progress: Callable[[str], None] = print,
) -> NoteCounts:
    """Write ``notes`` contacts with their subjects, and each one's timeline line with its
    people, four COPY streams on four connections (COPY takes one table at a time per
    connection) fed from one pass.

    Notes are written in the order they happened, across all families, as a live service
    writes them: a family's notes end up scattered over the table, not side by side, so
    reading one family's timeline costs what it would in real life.

    The note and the line's summary are stored as the application stores them: encrypted
    with the current field key (``core.encryption.encrypt``), the summary being the note
    shortened as ``casework.timeline`` does. The summary is a note's opening, and notes start
    at one of a few tens of thousands of sentences, so summary tokens are reused for equal
    summaries (a token may stand in many rows): encrypting ten million notes is minutes, the
    summaries almost nothing on top.
    """
    from earlyhelp.casework.models import (
        Contact,
        ContactSubject,
        ContactType,
        TimelineEntry,
        TimelineEntryPerson,
    )
    from earlyhelp.casework.timeline import _shorten
    from earlyhelp.core.encryption import encrypt

    rng = random.Random(SEED + 1)
    per_episode = note_counts(rng, episodes, notes, heavy_share=heavy_share)
    times = array("d")
    owners = array("l")
    for index, (episode, count) in enumerate(zip(episodes, per_episode, strict=True)):
        start = episode.opened_at.timestamp()
        span = max(3600.0, (episode.closed_at or NOW_AT).timestamp() - start)
        for _ in range(count):
            times.append(start + rng.random() * span)
            owners.append(index)
    progress(f"  {len(times):,} note times drawn; writing them in time order")
    order = sorted(range(len(times)), key=times.__getitem__)

    types = list(CONTACT_TYPE_WEIGHTS)
    type_weights = list(itertools.accumulate(CONTACT_TYPE_WEIGHTS.values()))
    titles = {value: str(label) for value, label in ContactType.choices}
    summaries: dict[str, str] = {}  # shortened text -> its token
    contacts = ModelCopier(contact_conn, Contact, CONTACT_FIELDS)
    subjects = ModelCopier(subject_conn, ContactSubject, ["contact_id", "person_id"])
    lines = ModelCopier(timeline_conn, TimelineEntry, TIMELINE_FIELDS)
    links = ModelCopier(link_conn, TimelineEntryPerson, LINK_FIELDS)
    counts = NoteCounts()
    step = max(1, notes // 10)
    for position in order:
        episode = episodes[owners[position]]
        occurred = datetime.fromtimestamp(times[position], UTC).replace(microsecond=0)
        contact_id = f"{rng.getrandbits(128):032x}"  # PostgreSQL reads uuids without dashes
        recorder = (
            episode.lead_id
            if episode.lead_id is not None and rng.random() < 0.85
            else rng.choice(episode.team_staff)
        )
        next_on = (
            (occurred.date() + timedelta(days=rng.randint(7, 28))).isoformat()
            if rng.random() < 0.7
            else r"\N"
        )
        text = note_text(rng)
        corrected = rng.random() < 0.03
        recorded = occurred + timedelta(minutes=rng.randint(5, 2880))
        contact_type = rng.choices(types, cum_weights=type_weights)[0]
        occurred_text = occurred.isoformat()
        contacts.add_row(
            (
                contact_id,
                episode.family_id,
                episode.episode_id,
                contact_type,
                occurred_text,
                next_on,
                encrypt(text, NOTE_PURPOSE),  # base64url: nothing COPY must escape
                rng.choice(_PROFESSIONALS) if rng.random() < 0.15 else "[]",
                str(recorder),
                recorded.isoformat(),
                (recorded + timedelta(days=1)).isoformat() if corrected else r"\N",
                str(recorder) if corrected else r"\N",
                "Corrected the date of the next visit." if corrected else "",
            )
        )
        summary = _shorten(text)
        token = summaries.get(summary)
        if token is None:
            token = summaries[summary] = encrypt(summary, SUMMARY_PURPOSE)
        object_id = str(uuid.UUID(contact_id))
        entry_id = timeline_entry_id("contact", object_id)
        lines.add_row(
            (
                entry_id,
                episode.family_id,
                occurred_text,
                "contact",
                "contact",
                object_id,
                titles[contact_type],
                token,
                "contacts:detail",
                str(recorder),
            )
        )
        people = episode.members
        first = int(rng.random() * len(people))
        chosen = [people[first]]
        if len(people) > 1 and rng.random() < 0.4:
            chosen.append(people[(first + 1 + int(rng.random() * (len(people) - 1))) % len(people)])
        for person_id in chosen:
            subjects.add_row((contact_id, person_id))
            links.add_row((entry_id, person_id, episode.family_id, occurred_text))
        counts.contacts += 1
        counts.subjects += len(chosen)
        counts.characters += len(text)
        counts.shortest = min(counts.shortest or len(text), len(text))
        counts.longest = max(counts.longest, len(text))
        counts.with_next_contact += next_on != r"\N"
        if counts.contacts % step == 0:
            progress(f"  contacts: {counts.contacts:,}")
    for copier in (contacts, subjects, lines, links):
        copier.close()
    return counts
