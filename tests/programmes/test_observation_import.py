"""``earlyhelp observations import``: school inclusion figures matched by UPN, all or nothing."""

from __future__ import annotations

import string
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.identifiers import is_valid_upn
from earlyhelp.people.models import FamilyMembership, Person
from earlyhelp.programmes.models import Observation
from tests.programmes.conftest import TODAY, member

pytestmark = pytest.mark.django_db


def upn(body: str) -> str:
    """A valid UPN: the check letter for these 12 characters."""
    return next(c + body for c in string.ascii_uppercase if is_valid_upn(c + body))


KNOWN, OTHER, NOBODY = upn("801200005001"), upn("801200005002"), upn("801200005003")
DAY = (TODAY() - timedelta(days=1)).isoformat()
START = (TODAY() - timedelta(days=60)).isoformat()
HEADER = (
    "upn,observed_on,attendance_percent,period_start,period_end,"
    "exclusion_type,exclusion_days,sen_status\n"
)


@pytest.fixture
def pupil(world, family) -> Person:  # type: ignore[no-untyped-def]
    child = member(family, "child")
    Person.objects.filter(pk=child.pk).update(upn=KNOWN)
    return child


def _run(tmp_path, text: str) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "census.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("observations", "import", str(path), stdout=out, stderr=out)
    return out.getvalue()


def test_a_row_becomes_one_observation_per_figure(world, family, pupil, tmp_path):
    output = _run(
        tmp_path,
        HEADER
        + f"{KNOWN},{DAY},88.4,{START},{DAY},suspension,2,K\n"
        + f"{NOBODY},{DAY},95,{START},{DAY},,,\n",
    )
    assert "3 observation(s) recorded for 1 matched row(s)" in output
    assert "1 row(s) with an unknown UPN skipped" in output
    observations = {o.kind: o for o in pupil_observations(pupil)}
    assert observations["school_attendance"].attendance_percent == Decimal("88.40")
    assert observations["exclusion"].exclusion_days == Decimal("2.0")
    assert observations["sen_status"].sen_status == "sen_support"
    assert {o.source for o in observations.values()} == {"import"}
    assert {o.family_id for o in observations.values()} == {family.pk}
    titles = set(TimelineEntry.objects.filter(kind="observation").values_list("title", flat=True))
    assert titles == {"School attendance: 88.4%", "Suspension: 2 days", "SEN status: SEN support"}
    assert AuditEvent.objects.filter(object_type="observation", action="create").count() == 3


def pupil_observations(person: Person):  # type: ignore[no-untyped-def]
    return Observation.objects.filter(person=person)


def test_loading_the_same_file_twice_records_nothing_new(world, pupil, tmp_path):
    text = HEADER + f"{KNOWN},{DAY},,,,permanent,,E\n"
    _run(tmp_path, text)
    output = _run(tmp_path, text)
    assert "0 observation(s) recorded" in output and "2 already recorded" in output
    assert pupil_observations(pupil).count() == 2


def test_every_bad_row_is_reported_and_nothing_is_recorded(world, pupil, tmp_path):
    text = (
        HEADER
        + f"{KNOWN},{DAY},88,{START},{DAY},,,\n"  # fine
        + f"{KNOWN},{DAY},101,{START},{DAY},,,\n"
        + f"B801200005009,{DAY},,,,,,N\n"  # wrong check letter
        + f"{KNOWN},31/02/2026,,,,,,N\n"
        + f"{KNOWN},{DAY},,,,suspension,,\n"
        + f"{KNOWN},{DAY},,,,,,X\n"
        + f"{KNOWN},{DAY},,,,,,\n"
    )
    err = StringIO()
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(CommandError) as caught:
        call_command("observations", "import", str(path), stderr=err)
    assert "Nothing was recorded: 6 problem(s)" in str(caught.value)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Line 3: attendance_percent: Enter attendance as a percentage")
    assert lines[1].startswith("Line 4: upn:")
    assert lines[2].startswith("Line 5: observed_on:")
    assert lines[3].startswith("Line 6: exclusion_days:")
    assert lines[4].startswith("Line 7: sen_status:")
    assert lines[5].startswith("Line 8: nothing to record")
    assert KNOWN not in err.getvalue()  # no identifier is echoed
    assert not pupil_observations(pupil).exists()


def test_a_upn_held_by_two_records_is_skipped(world, pupil, tmp_path):
    twin = member(world.open_family(last_name="Twin")[0], "child")
    Person.objects.filter(pk=twin.pk).update(upn=KNOWN)
    output = _run(tmp_path, HEADER + f"{KNOWN},{DAY},,,,,,N\n")
    assert "1 row(s) whose UPN more than one record holds skipped" in output
    assert not pupil_observations(pupil).exists()


def test_the_family_with_an_open_episode_is_chosen(world, family, pupil, tmp_path):
    closed_family, _ = world.closed_family(last_name="Earlier")
    FamilyMembership.objects.create(family=closed_family, person=pupil, role="child")
    _run(tmp_path, HEADER + f"{KNOWN},{DAY},,,,,,N\n")
    assert pupil_observations(pupil).get().family_id == family.pk


def test_a_file_without_the_key_columns_is_refused(world, tmp_path):
    with pytest.raises(CommandError):
        _run(tmp_path, "pupil,date\nX,2026-01-01\n")
