"""``earlyhelp datamap export``: the register as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.core.external_datamap import all_declarations
from earlyhelp.datamap.selectors import REGISTER_COLUMNS

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("datamap", "export", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _expected_pairs() -> set[tuple[str, str]]:
    return {(d.label, c.value) for d in all_declarations() if d.personal for c in d.categories}


def test_export_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(_run("--format", "csv"))))
    assert rows and tuple(rows[0].keys()) == REGISTER_COLUMNS
    assert {(r["model"], r["category"]) for r in rows} == _expected_pairs()
    nhs = [r for r in rows if r["model"] == "people.Person" and r["category"] == "nhs_number"]
    assert len(nhs) == 1
    assert nhs[0]["category_label"] == "NHS number"
    assert nhs[0]["lawful_basis"] == "6(1)(e)"
    assert nhs[0]["special_category"] == "no"
    assert nhs[0]["retention_description"]


def test_export_csv_is_the_default() -> None:
    assert _run() == _run("--format", "csv")


def test_export_json() -> None:
    rows = json.loads(_run("--format", "json"))
    assert {(r["model"], r["category"]) for r in rows} == _expected_pairs()
    person = [r for r in rows if r["model"] == "people.Person"]
    assert person
    assert all(set(r) == set(REGISTER_COLUMNS) for r in rows)
    health = [r for r in rows if r["category"] == "health"]
    assert all(r["special_category"] is True and r["special_category_basis"] for r in health)


def test_export_to_file(tmp_path: Path) -> None:
    target = tmp_path / "register.json"
    assert _run("--format", "json", "--output", str(target)) == ""
    rows = json.loads(target.read_text("utf-8"))
    assert any(r["model"] == "people.Person" for r in rows)


def test_bad_format_is_an_error() -> None:
    with pytest.raises(CommandError):
        _run("--format", "xml")
