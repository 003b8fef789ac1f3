"""Family page, timeline and caseload benchmark: the real pages against ten million notes.

    .venv/bin/python bench/casework.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates a throwaway database (``earlyhelp_bench_casework``) on that server, migrates it,
loads synthetic people, families and episodes (bench/generate.py), teams of practitioners
with their caseloads, family plans, and case notes (contacts) with their subjects and one
timeline line each, as the services write them. Then it requests the family page (with the
first page of the timeline), the timeline filtered and paged, and the caseload page through
Django's test client in-process: middleware, session, permission checks, audit writes and
template rendering are all in the timings; the network and a WSGI server are not. Writes its
section of docs/benchmarks.md. Not part of ``make test``: tests never assert timings.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `bench.*` imports when run as a script

from bench import generate, report  # noqa: E402
from bench.search import (  # noqa: E402
    _machine,
    _with_database,
    log,
    migrate,
    setup_django,
)

BENCH_DB = "earlyhelp_bench_casework"
TEAMS = 40
CASELOAD = (20, 25)  # open families a practitioner leads
UNALLOCATED_SHARE = 0.05  # open episodes waiting for a lead
HEAVY_SHARE = 0.001  # families with thousands of notes
HEAVY_SAMPLE = 0.2  # share of family-page requests that go to the heaviest families
WARM_UP = 20
TIMELINE_PER_PAGE = 25
PASSWORD = "bench-only-password-0001"
# Targets from the issue: p95 in milliseconds.
SHAPES = {
    "family": ("Family page (first timeline page)", 150.0),
    "person": ("Family page, timeline filtered to one person", 150.0),
    "kind": ("Family page, timeline filtered to contacts", 150.0),
    "later": ("Family page, a later timeline page", 150.0),
    "caseload": ("Caseload page", 100.0),
}


# --- database setup -----------------------------------------------------------------------


def create_database(server_url: str, name: str = BENCH_DB) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str = BENCH_DB) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_name(value: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("lower-case letters, digits and '_' only")
    return value


def loaded_tables() -> list[str]:
    from earlyhelp.casework.models import (
        Contact,
        ContactSubject,
        Episode,
        TimelineEntry,
        TimelineEntryPerson,
    )
    from earlyhelp.people.models import Address, Family, FamilyMembership, Person
    from earlyhelp.plans.models import FamilyPlan

    models = [
        Family,
        Person,
        FamilyMembership,
        Address,
        Episode,
        Contact,
        ContactSubject,
        TimelineEntry,
        TimelineEntryPerson,
        FamilyPlan,
    ]
    return [m._meta.db_table for m in models]


@dataclass
class Schema:
    """Keys, indexes and foreign keys taken off the loaded tables for the load.

    Building each index once over the loaded rows is many times faster than maintaining ten
    million random UUIDs in a B-tree row by row.
    """

    keys: list[tuple[str, str, str]]  # (table, constraint, definition): primary keys, unique
    indexes: list[tuple[str, str]]  # (index, definition): not owned by a constraint
    foreign_keys: list[tuple[str, str, str]]  # on a loaded table or pointing at one


def strip_schema(conn: psycopg.Connection, tables: list[str]) -> Schema:
    keys = conn.execute(
        """
        SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype IN ('p', 'u') AND t.relname = ANY(%s)
        """,
        [tables],
    ).fetchall()
    indexes = conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        [tables],
    ).fetchall()
    foreign_keys = conn.execute(
        """
        SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_class r ON r.oid = c.confrelid
        WHERE c.contype = 'f' AND (t.relname = ANY(%s) OR r.relname = ANY(%s))
        """,
        [tables, tables],
    ).fetchall()
    schema = Schema(keys=list(keys), indexes=list(indexes), foreign_keys=list(foreign_keys))
    for table, name, _definition in schema.foreign_keys:
        conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for table, name, _definition in schema.keys:
        conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _definition in schema.indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return schema


def restore_schema(conn: psycopg.Connection, schema: Schema) -> None:
    for table, name, definition in schema.keys:
        conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in schema.indexes:
        conn.execute(definition)
    for table, name, definition in schema.foreign_keys:
        conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


# --- staff and caseloads ------------------------------------------------------------------


@dataclass
class Staff:
    practitioners: dict[int, list[int]] = field(default_factory=dict)  # team id -> user ids
    managers: dict[int, int] = field(default_factory=dict)  # team id -> user id
    caseloads: dict[int, int] = field(default_factory=dict)  # user id -> open families led

    @property
    def practitioner_ids(self) -> list[int]:
        return [pk for ids in self.practitioners.values() for pk in ids]


def create_teams(count: int) -> list[int]:
    from earlyhelp.accounts.services import create_team

    return [
        create_team(actor=None, slug=f"family-support-{i:02d}", name=f"Family Support {i:02d}").pk
        for i in range(1, count + 1)
    ]


def _create_users(team_sizes: dict[int, int]) -> Staff:
    """One manager and ``team_sizes[team]`` practitioners per team, with invented names."""
    from django.contrib.auth.hashers import make_password

    from earlyhelp.accounts.models import Membership, Role, User

    rng = random.Random(generate.SEED + 3)
    firsts, lasts = generate.first_name_pool(), generate.surname_pool()
    password = make_password(PASSWORD)
    planned: list[tuple[int, str, Role]] = []
    for number, (team_id, size) in enumerate(sorted(team_sizes.items()), start=1):
        planned.append((team_id, f"bench.t{number:02d}.manager", Role.TEAM_MANAGER))
        planned += [
            (team_id, f"bench.t{number:02d}.p{i:02d}", Role.PRACTITIONER) for i in range(size)
        ]
    users = User.objects.bulk_create(
        User(
            username=username,
            first_name=rng.choice(firsts),
            last_name=rng.choice(lasts),
            password=password,
        )
        for _team, username, _role in planned
    )
    Membership.objects.bulk_create(
        Membership(user=user, team_id=team_id, role=role)
        for user, (team_id, _username, role) in zip(users, planned, strict=True)
    )
    staff = Staff()
    for user, (team_id, _username, role) in zip(users, planned, strict=True):
        if role == Role.TEAM_MANAGER:
            staff.managers[team_id] = user.pk
        else:
            staff.practitioners.setdefault(team_id, []).append(user.pk)
    return staff


def allocate(conn: psycopg.Connection) -> Staff:
    """Give every team enough practitioners for caseloads of 20-25 open families, lead each
    open episode by one of them (a few wait unallocated) and each closed one by whoever led
    it then, so team and lead always agree."""
    rng = random.Random(generate.SEED + 2)
    episodes = conn.execute(
        "SELECT id, team_id, closed_at IS NULL FROM casework_episode ORDER BY id"
    ).fetchall()
    open_by_team: dict[int, list[Any]] = defaultdict(list)
    closed_by_team: dict[int, list[Any]] = defaultdict(list)
    for episode_id, team_id, is_open in episodes:
        (open_by_team if is_open else closed_by_team)[team_id].append(episode_id)
    plans: dict[int, list[int]] = {}  # team -> caseload per practitioner
    for team_id in set(open_by_team) | set(closed_by_team):
        remaining = round(len(open_by_team[team_id]) * (1 - UNALLOCATED_SHARE))
        sizes = []
        while remaining > 0:
            sizes.append(min(remaining, rng.randint(*CASELOAD)))
            remaining -= sizes[-1]
        plans[team_id] = sizes or [0]
    staff = _create_users({team: len(sizes) for team, sizes in plans.items()})

    leads: list[tuple[Any, int]] = []
    for team_id, sizes in plans.items():
        opened = open_by_team[team_id]
        rng.shuffle(opened)
        position = 0
        for user_id, size in zip(staff.practitioners[team_id], sizes, strict=True):
            leads += [(episode_id, user_id) for episode_id in opened[position : position + size]]
            staff.caseloads[user_id] = size
            position += size
        leads += [(e, rng.choice(staff.practitioners[team_id])) for e in closed_by_team[team_id]]
    conn.execute("CREATE TEMPORARY TABLE bench_lead (id uuid, lead integer) ON COMMIT DROP")
    with conn.cursor().copy("COPY bench_lead (id, lead) FROM STDIN") as copy:
        for row in leads:
            copy.write_row(row)
    conn.execute(
        "UPDATE casework_episode e SET lead_practitioner_id = b.lead FROM bench_lead b "
        "WHERE e.id = b.id"
    )
    return staff


def staff_from_database() -> Staff:
    from earlyhelp.accounts.models import Membership, Role
    from earlyhelp.casework.models import Episode

    staff = Staff()
    for user_id, team_id, role in Membership.objects.filter(
        user__username__startswith="bench.t"
    ).values_list("user_id", "team_id", "role"):
        if role == Role.TEAM_MANAGER:
            staff.managers[team_id] = user_id
        else:
            staff.practitioners.setdefault(team_id, []).append(user_id)
    for user_id in staff.practitioner_ids:
        staff.caseloads[user_id] = 0
    for (lead_id,) in Episode.objects.filter(
        closed_at__isnull=True, lead_practitioner__isnull=False
    ).values_list("lead_practitioner_id"):
        staff.caseloads[lead_id] = staff.caseloads.get(lead_id, 0) + 1
    return staff


# --- notes, timeline, plans ---------------------------------------------------------------


def episodes_for_notes(conn: psycopg.Connection, staff: Staff) -> list[generate.EpisodeForNotes]:
    members: dict[str, list[str]] = defaultdict(list)
    for family_id, person_id in conn.execute(
        "SELECT family_id::text, person_id::text FROM people_familymembership"
    ):
        members[family_id].append(person_id)
    rows = conn.execute(
        "SELECT id::text, family_id::text, opened_at, closed_at, lead_practitioner_id, team_id "
        "FROM casework_episode ORDER BY id"
    ).fetchall()
    return [
        generate.EpisodeForNotes(
            episode_id=episode_id,
            family_id=family_id,
            opened_at=opened_at,
            closed_at=closed_at,
            lead_id=lead_id,
            team_staff=staff.practitioners[team_id],
            members=members[family_id],
        )
        for episode_id, family_id, opened_at, closed_at, lead_id, team_id in rows
    ]


def write_timeline(conn: psycopg.Connection) -> None:
    """The episode lines (opened, and closed for closed episodes), with the values
    casework/services.py writes; the notes' lines are written with the notes
    (generate.load_notes). Summaries are shortened and encrypted as casework.timeline does."""
    from earlyhelp.casework.models import TimelineEntry
    from earlyhelp.casework.timeline import _shorten
    from earlyhelp.core import codelists
    from earlyhelp.core.encryption import encrypt

    closed_label = codelists.labels("closure_reasons").get("needs_met", "Needs met")
    rows = conn.execute(
        "SELECT e.id::text, e.family_id::text, e.opened_at, e.closed_at, e.closing_summary, "
        "e.lead_practitioner_id, t.name FROM casework_episode e "
        "JOIN accounts_team t ON t.id = e.team_id"
    ).fetchall()
    lines = generate.ModelCopier(conn, TimelineEntry, generate.TIMELINE_FIELDS)

    def line(event: str, episode_id: str, family_id: str, at: Any, title: str, summary: str,
             lead_id: int | None) -> None:  # fmt: skip
        lines.add_row(
            (
                generate.timeline_entry_id(f"episode-{event}", episode_id),
                family_id,
                at.isoformat(),
                "episode",
                "episode",
                episode_id,
                title,
                encrypt(_shorten(summary), generate.SUMMARY_PURPOSE),
                "",
                r"\N" if lead_id is None else str(lead_id),
            )
        )

    for episode_id, family_id, opened_at, closed_at, closing, lead_id, team in rows:
        title = f"Episode opened, allocated to {team}"
        line("opened", episode_id, family_id, opened_at, title, "", lead_id)
        if closed_at is not None:
            title = f"Episode closed: {closed_label}"
            line("closed", episode_id, family_id, closed_at, title, closing, lead_id)
    lines.close()


def load_plans(conn: psycopg.Connection) -> int:
    """One plan per episode, as the plans service keeps them: active while the episode is
    open (some reviews overdue), closed with it."""
    from earlyhelp.plans.models import FamilyPlan

    rng = random.Random(generate.SEED + 4)
    today = date.today()
    rows = conn.execute(
        "SELECT id::text, family_id::text, closed_at IS NULL, lead_practitioner_id, opened_at "
        "FROM casework_episode ORDER BY id"
    ).fetchall()
    copier = generate.ModelCopier(
        conn,
        FamilyPlan,
        [
            "id", "family_id", "episode_id", "review_interval_weeks", "next_review_due",
            "status", "created_by_id", "created_at",
        ],
    )  # fmt: skip
    written = 0
    for episode_id, family_id, is_open, lead_id, opened_at in rows:
        if lead_id is None or rng.random() >= 0.85:
            continue  # no plan yet
        due = today + timedelta(days=rng.randint(-21, 84))
        copier.add_row(
            (
                generate._uuid(rng),
                family_id,
                episode_id,
                "12",
                due.isoformat(),
                "active" if is_open else "closed",
                str(lead_id),
                (opened_at + timedelta(days=rng.randint(7, 42))).isoformat(),
            )
        )
        written += 1
    copier.close()
    return written


@dataclass
class LoadReport:
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    plans_note: str = ""
    # Plain-text note lengths, taken while loading: the stored notes are ciphertext.
    notes: dict[str, float] = field(default_factory=dict)


def load_data(bench_url: str, *, people: int, families: int, notes: int) -> LoadReport:
    load = LoadReport()
    team_ids = create_teams(TEAMS)
    tables = loaded_tables()

    def phase(name: str, started: float) -> float:
        load.phases[name] = time.perf_counter() - started
        log(f"  {name}: {load.phases[name]:.0f} s")
        return time.perf_counter()

    begun = time.perf_counter()
    with (
        psycopg.connect(bench_url) as conn,
        psycopg.connect(bench_url) as second,
        psycopg.connect(bench_url) as third,
        psycopg.connect(bench_url) as fourth,
    ):
        streams = (conn, second, third, fourth)
        for c in streams:
            c.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        schema = strip_schema(conn, tables)
        conn.commit()  # the second connection's COPY must not wait for these locks

        started = time.perf_counter()
        generate.load(conn, people=people, families=families, team_ids=team_ids, progress=log)
        conn.commit()
        started = phase("people, families, addresses, episodes", started)
        staff = allocate(conn)
        conn.commit()
        started = phase("practitioners and caseloads", started)

        episodes = episodes_for_notes(conn, staff)
        counts = generate.load_notes(
            conn, second, third, fourth, episodes=episodes, notes=notes, progress=log
        )
        for c in streams:
            c.commit()
        del episodes
        load.notes = {
            "shortest": counts.shortest,
            "mean": counts.characters / max(1, counts.contacts),
            "longest": counts.longest,
        }
        log(f"  {counts.contacts:,} contacts, {counts.subjects:,} subjects")
        started = phase("contacts, their subjects and timeline lines (encrypted)", started)
        write_timeline(conn)
        conn.commit()
        started = phase("episode timeline lines", started)
        try:
            plans = load_plans(conn)
        except RuntimeError as exc:  # the plans model gained a field the loader cannot fill
            conn.rollback()
            load.plans_note = f"Family plans not loaded: {exc}."
            log(f"  {load.plans_note}")
        else:
            conn.commit()
            log(f"  {plans:,} family plans")
        started = phase("family plans", started)

        restore_schema(conn, schema)
        conn.commit()
        started = phase("keys, indexes and foreign keys", started)
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    phase("VACUUM ANALYZE", started)
    load.seconds = time.perf_counter() - begun
    with psycopg.connect(bench_url, autocommit=True) as conn:
        # Kept with the data, so that a later --reuse run can still say how it was loaded.
        conn.execute("CREATE TABLE bench_load (report jsonb)")
        conn.execute(
            "INSERT INTO bench_load VALUES (%s)",
            [
                Jsonb(
                    {
                        "seconds": load.seconds,
                        "phases": load.phases,
                        "note": load.plans_note,
                        "notes": load.notes,
                    }
                )
            ],
        )
    return load


def saved_load() -> LoadReport:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_load') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return LoadReport()
        cursor.execute("SELECT report FROM bench_load")
        raw = cursor.fetchone()[0]
    saved = raw if isinstance(raw, dict) else json.loads(raw)
    return LoadReport(
        seconds=saved["seconds"],
        phases=saved["phases"],
        plans_note=saved["note"],
        notes=saved.get("notes", {}),
    )


# --- measurement --------------------------------------------------------------------------


@dataclass
class Shape:
    key: str
    timings_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per request
    load: list[float] = field(default_factory=list)  # the machine's 1-minute load average
    heavy: list[bool] = field(default_factory=list)  # the request was for a heaviest family
    entries: list[int] = field(default_factory=list)  # timeline lines behind each request
    queries: int = 0
    plans: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return SHAPES[self.key][0]

    @property
    def target(self) -> float:
        return SHAPES[self.key][1]

    def record(self, elapsed_ms: float, cpu_ms: float) -> None:
        self.timings_ms.append(elapsed_ms)
        self.cpu_ms.append(cpu_ms)
        self.load.append(os.getloadavg()[0])

    def percentile(self, p: float, heavy: bool | None = None) -> float:
        """The p-th percentile of all requests, or of those for the heaviest families
        (``heavy=True``) or for the others (``heavy=False``)."""
        timings = self.timings_ms
        if heavy is not None:
            timings = [t for t, h in zip(timings, self.heavy, strict=True) if h is heavy]
        ordered = sorted(timings)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def passed(self) -> bool:
        return self.percentile(95) <= self.target


@dataclass
class Family:
    family_id: str
    viewer_id: int
    entries: int
    members: list[str]


def sample_families(staff: Staff, count: int, seed: int) -> tuple[list[Family], list[Family]]:
    """(the heaviest families, families with an open episode at random), each with the
    practitioner who opens it: the lead, or for an unallocated family one of its team."""
    from django.db import connection

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_id::text, count(*) FROM casework_timelineentry "
            "GROUP BY family_id ORDER BY count(*) DESC LIMIT 50"
        )
        heaviest = dict(cursor.fetchall())
        cursor.execute(
            "SELECT e.family_id::text, e.lead_practitioner_id, e.team_id FROM casework_episode e "
            "WHERE e.closed_at IS NULL ORDER BY random() LIMIT %s",
            [count],
        )
        picked = cursor.fetchall()
        cursor.execute(
            "SELECT e.family_id::text, e.lead_practitioner_id, e.team_id FROM casework_episode e "
            "WHERE e.closed_at IS NULL AND e.family_id = ANY(%s::uuid[])",
            [list(heaviest)],
        )
        heavy_rows = cursor.fetchall()
        ids = [row[0] for row in picked + heavy_rows]
        cursor.execute(
            "SELECT family_id::text, count(*) FROM casework_timelineentry "
            "WHERE family_id = ANY(%s::uuid[]) GROUP BY family_id",
            [ids],
        )
        entries = dict(cursor.fetchall())
        cursor.execute(
            "SELECT family_id::text, person_id::text FROM people_familymembership "
            "WHERE family_id = ANY(%s::uuid[])",
            [ids],
        )
        members: dict[str, list[str]] = defaultdict(list)
        for family_id, person_id in cursor.fetchall():
            members[family_id].append(person_id)

    def family(row: tuple[str, int | None, int]) -> Family:
        family_id, lead_id, team_id = row
        viewer = lead_id if lead_id is not None else rng.choice(staff.practitioners[team_id])
        return Family(family_id, viewer, entries.get(family_id, 0), members[family_id])

    heavy = sorted((family(r) for r in heavy_rows), key=lambda f: -f.entries)
    return heavy, [family(r) for r in picked]


class Browser:
    """One logged-in test client per user, as each practitioner has their own session."""

    def __init__(self) -> None:
        self.clients: dict[int, Any] = {}

    def client(self, user_id: int) -> Any:
        from django.test import Client

        from earlyhelp.accounts.models import User

        if user_id not in self.clients:
            client = Client(raise_request_exception=True)
            client.force_login(User.objects.get(pk=user_id))
            self.clients[user_id] = client
        return self.clients[user_id]

    def get(self, user_id: int, url: str) -> tuple[float, float]:
        """(wall-clock ms, this thread's CPU ms) for one request."""
        client = self.client(user_id)
        cpu = time.thread_time()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.thread_time() - cpu) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} as user {user_id}: {response.status_code}")
        return elapsed, cpu


def family_url(family: Family, query: str = "") -> str:
    from django.urls import reverse

    url = reverse("casework:family", args=[family.family_id])
    return f"{url}?{query}" if query else url


def _requests_for(
    key: str, heavy: list[Family], ordinary: list[Family], count: int, rng: random.Random
) -> list[tuple[int, str, int, bool]]:
    """(viewer, url, timeline lines, heavy?) for each request of a family-page shape."""
    if key == "later":  # families with more than one page of timeline
        ordinary = [f for f in ordinary if f.entries > TIMELINE_PER_PAGE] or ordinary
    requests = []
    for index in range(count):
        pool = heavy if rng.random() < HEAVY_SAMPLE else ordinary
        family = pool[index % len(pool)] if pool is heavy else rng.choice(pool)
        if key == "family":
            query = ""
        elif key == "person":
            query = f"person={rng.choice(family.members)}"
        elif key == "kind":
            query = "kind=contact"
        else:
            pages = max(1, math.ceil(family.entries / TIMELINE_PER_PAGE))
            query = f"page={rng.randint(2, pages)}" if pages > 1 else "page=1"
        url = family_url(family, query)
        requests.append((family.viewer_id, url, family.entries, pool is heavy))
    return requests


def _caseload_via_http() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("dashboards:caseload")
    except NoReverseMatch:
        return False
    return True


def _caseload_selectors(user_id: int) -> tuple[float, float]:
    """What the caseload view reads, without the page (used while /caseload/ is not routed)."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    from earlyhelp.accounts.models import User
    from earlyhelp.casework import dashboards
    from earlyhelp.casework.selectors import audit_list_view

    cpu = time.thread_time()
    started = time.perf_counter()
    user = User.objects.get(pk=user_id)
    today = timezone.localdate()
    episodes = dashboards.caseload(user)
    page = Paginator(episodes, 25).get_page(1)
    rows = list(page.object_list)
    overdue = list(dashboards.overdue_reviews(episodes, today)[:10])
    sustain = list(dashboards.sustain_checks_due(user, today)[:10])
    audit_list_view(user, "family", len(rows) + len(overdue) + len(sustain))
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000


def _plan_summary(plan: str) -> str:
    """Plan nodes with the index each scan used, the top node's buffers and the total."""
    lines = plan.splitlines()
    kept = lines[:1]
    for line in lines[1:]:
        stripped = line.strip()
        top_buffers = stripped.startswith("Buffers") and len(kept) == 1
        if "->" in line or top_buffers or stripped.startswith("Execution Time"):
            kept.append(line.rstrip())
    return "\n".join(kept)


def explain(run: Callable[[], object], match: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Run a request, then EXPLAIN (ANALYZE, BUFFERS) each query it sent that ``match``es."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if match(sql):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def count_queries(run: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def _is_timeline_query(sql: str) -> bool:
    return any(
        t in sql for t in ('FROM "casework_timelineentry"', 'FROM "casework_timelineentryperson"')
    )


def _is_caseload_query(sql: str) -> bool:
    tables = ('FROM "casework_episode"', 'FROM "plans_familyplan"')
    return sql.startswith("SELECT") and any(t in sql for t in tables) and "LIMIT" in sql


def measure(staff: Staff, requests: int, seed: int) -> tuple[list[Shape], dict[str, Any]]:
    rng = random.Random(seed)
    browser = Browser()
    heavy, ordinary = sample_families(staff, requests + WARM_UP, seed)
    context: dict[str, Any] = {"heaviest": heavy[0].entries if heavy else 0}
    shapes: list[Shape] = []
    for key in ("family", "person", "kind", "later"):
        shape = Shape(key)
        plan = _requests_for(key, heavy, ordinary, requests + WARM_UP, rng)
        for index, (viewer, url, entries, is_heavy) in enumerate(plan):
            elapsed, cpu = browser.get(viewer, url)
            if index >= WARM_UP:
                shape.record(elapsed, cpu)
                shape.entries.append(entries)
                shape.heavy.append(is_heavy)
        worst = heavy[0]
        query = {
            "family": "",
            "person": f"person={worst.members[0]}",
            "kind": "kind=contact",
            "later": f"page={max(2, math.ceil(worst.entries / TIMELINE_PER_PAGE) // 2)}",
        }[key]
        request = functools.partial(browser.get, worst.viewer_id, family_url(worst, query))
        request()  # logs the viewer in first, so that the count is the page's alone
        shape.queries = count_queries(request)
        shape.plans = explain(request, _is_timeline_query)
        shapes.append(shape)
        _log_shape(shape)

    shape = Shape("caseload")
    via_http = _caseload_via_http()
    context["caseload_via_http"] = via_http
    practitioners = [pk for pk in staff.practitioner_ids if staff.caseloads.get(pk)]
    for index in range(requests + WARM_UP):
        user_id = rng.choice(practitioners)
        elapsed, cpu = (
            browser.get(user_id, "/caseload/") if via_http else _caseload_selectors(user_id)
        )
        if index >= WARM_UP:
            shape.record(elapsed, cpu)
            shape.entries.append(staff.caseloads[user_id])
    busiest = max(practitioners, key=lambda pk: staff.caseloads[pk])

    def caseload_once() -> object:
        if via_http:
            return browser.get(busiest, "/caseload/")
        return _caseload_selectors(busiest)

    caseload_once()
    shape.queries = count_queries(caseload_once)
    shape.plans = explain(caseload_once, _is_caseload_query)
    shapes.append(shape)
    _log_shape(shape)
    return shapes, context


def _log_shape(shape: Shape) -> None:
    log(
        f"  {shape.label}: p50 {shape.percentile(50):.1f} ms, p95 {shape.percentile(95):.1f} "
        f"ms, p99 {shape.percentile(99):.1f} ms, max {max(shape.timings_ms):.1f} ms; "
        f"CPU p50 {statistics.median(shape.cpu_ms):.1f} ms; "
        f"load average {statistics.median(shape.load):.1f}"
    )


# --- report -------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    from django.db import connection

    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in loaded_tables():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        for label, sql in [
            ("open episodes", "SELECT count(*) FROM casework_episode WHERE closed_at IS NULL"),
            (
                "open episodes with a lead practitioner",
                "SELECT count(*) FROM casework_episode "
                "WHERE closed_at IS NULL AND lead_practitioner_id IS NOT NULL",
            ),
            ("teams", "SELECT count(*) FROM accounts_team"),
            (
                "practitioners",
                "SELECT count(*) FROM accounts_membership WHERE role = 'practitioner'",
            ),
            (
                "team managers",
                "SELECT count(*) FROM accounts_membership WHERE role = 'team_manager'",
            ),
        ]:
            cursor.execute(sql)
            counts[label] = cursor.fetchone()[0]
    return counts


def note_distribution() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH per AS (SELECT family_id, count(*) AS n FROM casework_contact GROUP BY 1)
            SELECT count(*),
                   percentile_disc(ARRAY[0.1, 0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY n),
                   max(n), count(*) FILTER (WHERE n BETWEEN 10 AND 50),
                   count(*) FILTER (WHERE n >= 1000)
            FROM per
            """
        )
        families, percentiles, most, typical, heavy = cursor.fetchone()
        cursor.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "pg_size_pretty(pg_total_relation_size('casework_contact')), "
            "pg_size_pretty(pg_total_relation_size('casework_timelineentry'))"
        )
        database, contacts, timeline = cursor.fetchone()
    return {
        "families": families,
        "p10": percentiles[0],
        "p50": percentiles[1],
        "p90": percentiles[2],
        "p99": percentiles[3],
        "max": most,
        "typical": typical,
        "heavy": heavy,
        "database": database,
        "contacts_size": contacts,
        "timeline_size": timeline,
    }


def server_settings() -> tuple[str, str]:
    from django.db import connection

    names = [
        "shared_buffers",
        "effective_cache_size",
        "work_mem",
        "random_page_cost",
        "max_parallel_workers_per_gather",
        "jit",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        values = []
        for name in names:
            cursor.execute(f"SHOW {name}")
            values.append(f"{name} {cursor.fetchone()[0]}")
    return version, ", ".join(values)


def write_report(
    path: Path,
    shapes: list[Shape],
    counts: dict[str, int],
    load: LoadReport,
    context: dict[str, Any],
    requests: int,
) -> None:
    notes = note_distribution()
    note_text = (
        f"Note text {load.notes['shortest']:.0f}-{load.notes['longest']:.0f} characters (mean "
        f"{load.notes['mean']:.0f}) from a phrase bank, no real data."
        if load.notes
        else "Note text from a phrase bank, no real data."
    )
    version, settings = server_settings()
    rows = "\n".join(f"| {name} | {count:,} |" for name, count in counts.items())
    results = "\n".join(
        f"| {s.label} | {len(s.timings_ms)} | {s.percentile(50):.1f} | {s.percentile(95):.1f} "
        f"| {s.percentile(99):.1f} | {max(s.timings_ms):.1f} | ≤ {s.target:.0f} "
        f"| {'pass' if s.passed else 'FAIL'} | {s.queries} | {statistics.median(s.cpu_ms):.1f} "
        f"| {statistics.median(s.load):.1f} |"
        for s in shapes
    )
    split = "\n".join(
        f"| {s.label} | {s.heavy.count(True)} | {s.percentile(50, True):.1f} "
        f"| {s.percentile(95, True):.1f} | {s.heavy.count(False)} "
        f"| {s.percentile(50, False):.1f} | {s.percentile(95, False):.1f} |"
        for s in shapes
        if any(s.heavy) and not all(s.heavy)
    )
    plans = "\n\n".join(
        f"{s.label}:\n\n```\n{_plan_summary(plan)}\n```" for s in shapes for _sql, plan in s.plans
    )
    phases = "; ".join(f"{name} {seconds:.0f} s" for name, seconds in load.phases.items())
    loaded = (
        f"loaded with COPY in {load.seconds / 60:.0f} min ({phases})"
        if load.seconds
        else "loaded earlier with COPY (database reused)"
    )
    caseload_method = (
        "`GET /caseload/` (`dashboards:caseload`) as a practitioner drawn at random"
        if context["caseload_via_http"]
        else "the caseload view's reads called directly (`dashboards.caseload`, "
        "`overdue_reviews`, `sustain_checks_due` and the audited list view) as a practitioner "
        "drawn at random, because `/caseload/` was not routed yet when this ran: the page's "
        "template rendering and middleware are not in these figures"
    )
    family_shape = next(s for s in shapes if s.key == "family")
    notes_count = counts["casework_contact"]
    text = f"""## Family page, timeline and caseload, PostgreSQL, {notes_count:,} case notes

- Date: {date.today().isoformat()}
- Machine: {_machine()}; nothing else ran while measuring (the Load column shows the
  machine's load); the
  database had just been loaded or migrated, so the first requests met a cold cache
- PostgreSQL {version} ({settings}; otherwise the distribution's defaults)
- Data: synthetic (bench/generate.py, fixed seeds), {loaded}; database
  {notes["database"]} on disk (contacts {notes["contacts_size"]}, timeline
  {notes["timeline_size"]}, each with its indexes)
- Notes per family (the {notes["families"]:,} families with any): p10 {notes["p10"]}, median
  {notes["p50"]}, p90 {notes["p90"]}, p99 {notes["p99"]}, max {notes["max"]:,};
  {notes["typical"]:,} families have 10-50 and {notes["heavy"]:,} have 1,000 or more (long-running
  open episodes, the timeline's worst case). {note_text}
- Notes and timeline summaries are stored encrypted, as the application stores them
  (`core.encryption.encrypt` with the current field key, AES-256-GCM; equal summaries share
  one token): the pages decrypt the 25 summaries they show.
- Notes are written in the order they happened across all families, so one family's notes
  are scattered through the table as in a live service, not stored side by side.

| Table or count | Rows |
|---|---|
{rows}

### Method

Each request goes through Django's test client in-process, logged in (`force_login`) as the
practitioner who would open the page, and is timed with `time.perf_counter` around
`client.get`: URL routing, middleware, the session and user lookups, the permission check,
the audit write (hash-chained, with PostgreSQL's advisory lock), every query and the Jinja2
rendering are included; the network and a WSGI server are not. Each request opens its own
database connection, as the application does with the default `DATABASE_CONN_MAX_AGE=0`.
{WARM_UP} warm-up requests per shape are not counted; then {requests} timed requests per shape.

- **Family page**: `casework:family` for a family with an open episode, as its lead
  practitioner (a practitioner of the allocated team when none is allocated). {HEAVY_SAMPLE:.0%}
  of requests go to the 50 heaviest families (up to {context["heaviest"]:,} timeline lines)
  and the rest to families drawn at random; timeline lines behind the sampled requests:
  median {statistics.median(family_shape.entries):.0f}, max {max(family_shape.entries):,}.
- **Filtered to one person**: the same, with `?person=` a member of the family.
- **Filtered to contacts**: the same, with `?kind=contact`.
- **A later timeline page**: `?page=` drawn at random from the family's timeline pages
  (25 lines each; the deepest pages of the heaviest families are OFFSET scans).
- **Caseload page**: {caseload_method}. Practitioners lead {CASELOAD[0]}-{CASELOAD[1]} open
  families each ({UNALLOCATED_SHARE:.0%} of each team's open families wait unallocated).

"Queries" is the number of SQL queries for one request for the heaviest family (for the
caseload, the practitioner with the largest caseload). "CPU p50" is the median CPU time the
benchmark process itself spent per request (Python: Django, the view, Jinja2; not
PostgreSQL), which contention for the cores does not inflate. "Load" is the machine's median
1-minute load average while the shape ran: above the core count, requests queued for a core
and wall-clock times grew with it.

### Results (milliseconds, server time)

| Request | Requests | p50 | p95 | p99 | max | Target p95 | Result | Queries | CPU p50 | Load |
|---|---|---|---|---|---|---|---|---|---|---|
{results}

The same family-page requests split by family: the 50 heaviest families against families
drawn at random.

| Request | Heaviest: requests | p50 | p95 | Random: requests | p50 | p95 |
|---|---|---|---|---|---|---|
{split}

### Query plans (heaviest family or largest caseload, EXPLAIN (ANALYZE, BUFFERS), nodes only)

{plans}

### What the data leaves out

- Contacts have subjects, but no people present, voices, professionals' attachments or
  history rows (`casework_historicalcontact`): the pages measured here do not read them.
- No referrals, assessments, programmes or outcomes are loaded; their timeline lines would
  add to the same table and the same indexes. {load.plans_note}
- Times are in 2026 (episodes from generate.py), so "next contact" dates are in the past.

### Reproduce

```
make bench-casework                            # 1M people, 300k families, 10M notes
.venv/bin/python bench/casework.py --people 20000 --families 6000 --notes 200000 --keep
.venv/bin/python bench/casework.py --reuse --keep   # measure again without reloading
.venv/bin/python bench/casework.py --people 50000 --notes 500000 \\
    --database-name earlyhelp_bench_small --output /tmp/small.md   # beside a kept full load
```
"""
    report.write_section(path, "casework", text)


# --- entry point --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server URL; the benchmark creates its own database there",
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--families", type=int, help="default: 30%% of --people")
    parser.add_argument("--notes", type=int, default=10_000_000, help="case notes (contacts)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per shape")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a database kept with --keep (migrate it, skip the load)",
    )
    parser.add_argument(
        "--database-name",
        type=_database_name,
        default=BENCH_DB,
        help="the benchmark's own database (dropped and created; dropped at the end unless "
        "--keep): another name lets a smaller run sit beside a kept full-size one",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    families = args.families or max(1, args.people * 3 // 10)
    bench_url = _with_database(args.database_url, args.database_name)

    load = LoadReport()
    if not args.reuse:
        log(f"Creating database {args.database_name}")
        create_database(args.database_url, args.database_name)
    setup_django(bench_url)
    try:
        log("Migrating")
        migrate()
        if args.reuse:
            load = saved_load()
        else:
            log(
                f"Loading {args.people:,} people in {families:,} families, "
                f"{args.notes:,} case notes"
            )
            load = load_data(bench_url, people=args.people, families=families, notes=args.notes)
        counts = row_counts()
        log("Measuring")
        shapes, context = measure(staff_from_database(), args.requests, seed=42)
        write_report(args.output, shapes, counts, load, context, args.requests)
        log(f"Wrote {args.output}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url, args.database_name)
    return 0 if all(s.passed for s in shapes) else 1


if __name__ == "__main__":
    sys.exit(main())
