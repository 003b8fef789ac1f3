"""docs/benchmarks.md holds one section per benchmark; each run rewrites only its own.

A section sits between ``<!-- bench:KEY -->`` and ``<!-- /bench:KEY -->``; text outside the
markers (the header, other benchmarks' sections) is kept as it is.
"""

from __future__ import annotations

from pathlib import Path

HEADER = """# Benchmarks

Figures written by `make bench` (intake search, bench/search.py) and `make bench-casework`
(family page, timeline and caseload, bench/casework.py). Tests never assert timings; this
file is the record. Re-run a benchmark after any change to the pages, selectors or indexes
it measures. Each run replaces only its own section.
"""


def write_section(path: Path, key: str, body: str) -> None:
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    before, found, rest = text.partition(start)
    if found and end in rest:
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
