"""Intake search benchmark: the real selector against a million synthetic people.

    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates a throwaway database (``earlyhelp_bench``) on that server, migrates it, loads
synthetic people with COPY (bench/generate.py), then times
``earlyhelp.people.selectors.search_people`` as a duty worker (what the intake search page
calls, audit event included) for three query shapes, and writes its section of
docs/benchmarks.md (bench/report.py keeps the other benchmarks' sections).
Not part of ``make test``: tests never assert timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `bench.generate` imports when run as a script

BENCH_DB = "earlyhelp_bench"
LOADED_TABLES = [
    "people_family",
    "people_person",
    "people_familymembership",
    "people_address",
    "casework_episode",
]
# Targets from the issue: p95 in milliseconds.
TARGETS_MS = {"name_dob": 50.0, "name_only": 250.0, "nhs_number": 50.0}
SHAPE_LABELS = {
    "name_dob": "Name + date of birth",
    "name_only": "Name only (surname prefix + first name)",
    "nhs_number": "NHS number",
}
WARM_UP = 20


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def log(message: str) -> None:
    print(message, flush=True)


# --- database setup -----------------------------------------------------------------------


def create_database(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def drop_database(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def setup_django(bench_url: str) -> None:
    # Test settings (fast password hashing, no external services) pointed at the bench
    # database; migrate runs directly against it, not through the test runner.
    os.environ["DJANGO_SETTINGS_MODULE"] = "earlyhelp.settings.test"
    os.environ["DATABASE_URL"] = bench_url
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create_staff() -> tuple[Any, list[int]]:
    from earlyhelp.accounts.services import create_team, create_user

    teams = [
        create_team(actor=None, slug=slug, name=name)
        for slug, name in [
            ("north", "North Family Support"),
            ("south", "South Family Support"),
            ("east", "East Family Support"),
            ("west", "West Family Support"),
            ("front-door", "Front Door"),
        ]
    ]
    duty = create_user(
        actor=None,
        username="bench.duty",
        role="duty_worker",
        team_slug="front-door",
        password="bench-only-password-0001",
    ).user
    return duty, [t.pk for t in teams[:4]]


def _secondary_indexes(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Indexes on the loaded tables that no constraint owns: dropped for the load."""
    rows = conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = x.indexrelid AND c.conrelid = t.oid
          )
        """,
        [LOADED_TABLES],
    ).fetchall()
    return [(name, definition) for name, definition in rows]


def _foreign_keys(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        """
        SELECT c.conname, t.relname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND t.relname = ANY(%s)
        """,
        [LOADED_TABLES],
    ).fetchall()
    return [(name, table, definition) for name, table, definition in rows]


def load_data(bench_url: str, *, people: int, families: int, team_ids: list[int]) -> None:
    from bench import generate

    with psycopg.connect(bench_url) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        # Building indexes and checking foreign keys once after the load is much faster
        # than maintaining them row by row.
        indexes = _secondary_indexes(conn)
        fks = _foreign_keys(conn)
        for name, table, _definition in fks:
            conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        generate.load(conn, people=people, families=families, team_ids=team_ids, progress=log)
        log(f"  rows written in {time.perf_counter() - started:.0f} s; rebuilding indexes")
        started = time.perf_counter()
        for _name, definition in indexes:
            conn.execute(definition)
        for name, table, definition in fks:
            conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        conn.commit()
        log(f"  indexes and foreign keys in {time.perf_counter() - started:.0f} s")
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --- measurement --------------------------------------------------------------------------


@dataclass
class Shape:
    key: str
    criteria: list[Any]
    timings_ms: list[float]
    matches: list[int] = field(default_factory=list)
    hits: int = 0
    plan: str = ""

    def percentile(self, p: float) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def passed(self) -> bool:
        return self.p95 <= TARGETS_MS[self.key]


def sample_criteria(queries: int, seed: int) -> dict[str, list[Any]]:
    """Randomised, really existing values for each shape."""
    from django.db import connection

    from earlyhelp.core.encryption import decrypt
    from earlyhelp.people.models import Person
    from earlyhelp.people.selectors import SearchCriteria

    rng = random.Random(seed)

    def rows(where: str) -> list[tuple[str, str, date, str]]:
        start = f"{rng.getrandbits(128):032x}"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT first_name, last_name, date_of_birth, nhs_number FROM people_person "
                f"WHERE id > %s::uuid AND NOT unborn AND {where} ORDER BY id LIMIT %s",
                [start, queries + WARM_UP],
            )
            return list(cursor.fetchall())

    name_dob = [
        SearchCriteria(name=f"{first} {last}", date_of_birth=dob)
        for first, last, dob, _nhs in rows("first_name <> ''")
    ]
    name_only = []
    for first, last, _dob, _nhs in rows("first_name <> '' AND length(last_name) >= 4"):
        prefix = last[: rng.randint(4, len(last))]
        name_only.append(SearchCriteria(name=f"{prefix} {first}"))
    # Stored encrypted (generate.load): searched for as a user types it, in plain text.
    purpose = Person._meta.get_field("nhs_number").purpose  # type: ignore[union-attr]
    nhs = [
        SearchCriteria(nhs_number=decrypt(n, purpose)) for _f, _l, _d, n in rows("nhs_number <> ''")
    ]
    return {"name_dob": name_dob, "name_only": name_only, "nhs_number": nhs}


def _explain(run: Callable[[], object]) -> str:
    """EXPLAIN ANALYZE the main people query the selector sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and 'FROM "people_person"' in sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                return "\n".join(row[0] for row in cursor.fetchall())
    return ""


def measure(duty: Any, criteria: dict[str, list[Any]]) -> list[Shape]:
    from earlyhelp.accounts.permissions import forget_grants
    from earlyhelp.people.selectors import search_people

    shapes = []
    for key, items in criteria.items():
        shape = Shape(key=key, criteria=items, timings_ms=[])
        for index, item in enumerate(items):
            # Each page view loads the user afresh, so include the role lookup.
            forget_grants(duty)
            started = time.perf_counter()
            results = search_people(duty, item)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= WARM_UP:
                shape.timings_ms.append(elapsed)
                shape.hits += bool(results)
                shape.matches.append(len(results))
        shape.plan = _explain(lambda item=items[0]: search_people(duty, item))
        shapes.append(shape)
        log(
            f"  {SHAPE_LABELS[key]}: p50 {shape.percentile(50):.1f} ms, p95 {shape.p95:.1f} ms, "
            f"max {max(shape.timings_ms):.1f} ms ({len(shape.timings_ms)} queries)"
        )
    return shapes


def worst_case(duty: Any, runs: int = 20) -> tuple[int, float, float]:
    """The commonest surname's first 4 letters with the commonest first name: the
    name-only search with the most matches to sort. Returns (matching rows, p50, max)."""
    from django.db import connection

    from earlyhelp.accounts.permissions import forget_grants
    from earlyhelp.core.text import fold
    from earlyhelp.people.selectors import SearchCriteria, search_people

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT last_name FROM people_person GROUP BY 1 ORDER BY count(*) DESC "
            "LIMIT 1), (SELECT first_name FROM people_person WHERE first_name <> '' "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)"
        )
        last, first = cursor.fetchone()  # type: ignore[misc]
        tokens = [fold(last[:4]), fold(first)]
        cursor.execute(
            "SELECT count(*) FROM people_person WHERE search_name LIKE %s AND search_name LIKE %s",
            [f"%{tokens[0]}%", f"%{tokens[1]}%"],
        )
        matching = cursor.fetchone()[0]  # type: ignore[index]
    criteria = SearchCriteria(name=f"{last[:4]} {first}")
    timings = []
    for _ in range(runs):
        forget_grants(duty)
        started = time.perf_counter()
        search_people(duty, criteria)
        timings.append((time.perf_counter() - started) * 1000)
    return matching, statistics.median(timings), max(timings)


# --- report -------------------------------------------------------------------------------


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def _server() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SHOW shared_buffers")
        shared = cursor.fetchone()[0]  # type: ignore[index]
    return version, shared


def row_counts() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in LOADED_TABLES:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT count(*) FROM people_person WHERE nhs_number <> ''")
        counts["people with an NHS number"] = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT count(*) FROM casework_episode WHERE closed_at IS NULL")
        counts["open episodes"] = cursor.fetchone()[0]  # type: ignore[index]
    return counts


def name_skew() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT last_name), "
            "(SELECT count(*) FROM people_person GROUP BY last_name ORDER BY 1 DESC LIMIT 1), "
            "(SELECT count(*) FROM people_person WHERE first_name <> '' "
            " GROUP BY first_name ORDER BY 1 DESC LIMIT 1), "
            "count(*) FROM people_person"
        )
        surnames, top_surname, top_first, total = cursor.fetchone()  # type: ignore[misc]
    return (
        f"{surnames:,} distinct invented surnames; the commonest is held by "
        f"{100 * top_surname / total:.1f}% of people and the commonest first name by "
        f"{100 * top_first / total:.1f}% (far more skewed than real British names, where the "
        "commonest surname is held by about 1%), so name searches here match more people "
        "than they would in a real county"
    )


def _plan_nodes(plan: str) -> str:
    """The plan's nodes and total time, without the per-node detail lines."""
    lines = plan.splitlines()
    nodes = lines[:1] + [line for line in lines[1:] if "->" in line or "Execution Time" in line]
    return "\n".join(line.rstrip() for line in nodes)


def write_report(
    path: Path,
    shapes: list[Shape],
    counts: dict[str, int],
    load_s: float,
    worst: tuple[int, float, float],
) -> None:
    people = counts["people_person"]
    version, shared = _server()
    table = "\n".join(
        f"| {SHAPE_LABELS[s.key]} | {len(s.timings_ms)} | {s.percentile(50):.1f} | "
        f"{s.p95:.1f} | {max(s.timings_ms):.1f} | ≤ {TARGETS_MS[s.key]:.0f} | "
        f"{statistics.median(s.matches):.0f} / {max(s.matches)} | "
        f"{'pass' if s.passed else 'FAIL'} |"
        for s in shapes
    )
    rows = "\n".join(f"| {name} | {count:,} |" for name, count in counts.items())
    plans = "\n\n".join(
        f"{SHAPE_LABELS[s.key]}:\n\n```\n{_plan_nodes(s.plan)}\n```" for s in shapes
    )
    hit_rates = ", ".join(f"{s.key} {s.hits}/{len(s.timings_ms)}" for s in shapes)
    loaded = (
        f"loaded with COPY in {load_s:.0f} s including index builds"
        if load_s
        else "loaded earlier with COPY (database reused)"
    )
    text = f"""## Intake search (people), PostgreSQL, {people:,} people

- Date: {date.today().isoformat()}
- Machine: {_machine()}; shared with other work while measuring, so the
  figures are conservative
- PostgreSQL {version} (shared_buffers {shared}, otherwise the distribution's defaults)
- Data: synthetic (bench/generate.py, fixed seed), {loaded}
- Names: {name_skew()}

| Table | Rows |
|---|---|
{rows}

### Method

The benchmark calls `earlyhelp.people.selectors.search_people` (what the intake search page
calls) as a duty worker, so each timing includes the permission lookup, the people query,
the prefetch of memberships, families and open episodes for up to 50 matches, and the
append to the hash-chained audit log. Query values are drawn at random (fixed seed) from
people who exist in the database:

- **Name + date of birth**: the person's first name and surname in full, plus their date of
  birth.
- **Name only**: a surname prefix of 4 or more letters and the first name in full (for
  example `quil zoe`), both matched as folded substrings (accent- and case-insensitive).
- **NHS number**: an NHS number held by someone in the database.

{WARM_UP} warm-up queries per shape are run first and not counted (a live service has warm
caches). Every query returned at least one match: {hit_rates}. The selector returns at most
50 matches (sorted by name), so "Matches" is capped at 50.

### Results (milliseconds)

| Query shape | Queries | p50 | p95 | max | Target p95 | Matches (median / max) | Result |
|---|---|---|---|---|---|---|---|
{table}

Worst case for name-only search (not a target, for context): the commonest surname's first
four letters with the commonest first name match {worst[0]:,} people, all of which are
sorted before the first 50 are returned: p50 {worst[1]:.1f} ms, max {worst[2]:.1f} ms over
20 runs.

### Query plans (one query of each shape, EXPLAIN ANALYZE, scan nodes only)

{plans}

### Reproduce

```
make bench                                     # 1,000,000 people, drops the database after
.venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/postgres \\
    --people 100000 --keep                     # smaller, keep earlyhelp_bench to inspect
```
"""
    from bench import report

    report.write_section(path, "search", text)


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
    parser.add_argument("--queries", type=int, default=300, help="timed queries per shape")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a database kept with --keep (migrate it, skip the load)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    families = args.families or max(1, args.people * 3 // 10)
    bench_url = _with_database(args.database_url, BENCH_DB)

    load_s = 0.0
    if not args.reuse:
        log(f"Creating database {BENCH_DB}")
        create_database(args.database_url)
    setup_django(bench_url)
    try:
        log("Migrating")
        migrate()
        if args.reuse:
            from earlyhelp.accounts.models import User

            duty = User.objects.get(username="bench.duty")
        else:
            duty, team_ids = create_staff()
            log(f"Loading {args.people:,} people in {families:,} families")
            started = time.perf_counter()
            load_data(bench_url, people=args.people, families=families, team_ids=team_ids)
            load_s = time.perf_counter() - started
        counts = row_counts()
        log("Measuring intake search")
        shapes = measure(duty, sample_criteria(args.queries, seed=42))
        worst = worst_case(duty)
        log(f"  worst name-only case: {worst[0]:,} matching, p50 {worst[1]:.1f} ms")
        write_report(args.output, shapes, counts, load_s, worst)
        log(f"Wrote {args.output}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
    return 0 if all(s.passed for s in shapes) else 1


if __name__ == "__main__":
    sys.exit(main())
