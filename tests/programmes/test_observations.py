"""record_observation and its rules per kind; the attendance bounds over generated values."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry, TimelineEntryPerson
from earlyhelp.core.datamap import Category, SpecialCategoryBasis, read_declaration
from earlyhelp.core.errors import InvalidInput, NotFound
from earlyhelp.programmes.models import (
    Attendance,
    Enrolment,
    Observation,
    Programme,
    ProgrammeSession,
)
from earlyhelp.programmes.observations import (
    ObservationInput,
    clean_observation,
    record_observation,
)
from tests.programmes.conftest import TODAY, member

ANYONE = uuid.UUID(int=1)
DAY = date(2026, 3, 31)


def _attendance(percent: object, **overrides: object) -> ObservationInput:
    values: dict[str, object] = {
        "person_id": ANYONE,
        "kind": "school_attendance",
        "observed_on": DAY,
        "attendance_percent": percent,
        "period_start": date(2026, 1, 5),
        "period_end": DAY,
    }
    values.update(overrides)
    return ObservationInput(**values)  # type: ignore[arg-type]


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_any_percentage_from_0_to_100_is_kept(percent):
    assert clean_observation(_attendance(percent), today=DAY).attendance_percent == percent


@given(
    st.one_of(
        st.decimals(max_value=Decimal("-0.01"), places=2, allow_nan=False, allow_infinity=True),
        st.decimals(min_value=Decimal("100.01"), places=2, allow_nan=False, allow_infinity=True),
        st.just(Decimal("NaN")),
        st.decimals(min_value=0, max_value=100, places=4, allow_nan=False).filter(
            lambda d: d != d.quantize(Decimal("0.01"))
        ),
    )
)
def test_anything_else_is_refused_on_the_percentage(percent):
    with pytest.raises(InvalidInput) as caught:
        clean_observation(_attendance(percent), today=DAY)
    assert caught.value.field == "attendance_percent"


def test_attendance_needs_its_period_ending_by_the_observation():
    for overrides, field in [
        ({"attendance_percent": None}, "attendance_percent"),
        ({"period_start": None}, "period_start"),
        ({"period_end": None}, "period_end"),
        ({"period_start": date(2026, 4, 1)}, "period_end"),
        ({"period_end": date(2026, 4, 1), "period_start": date(2026, 1, 5)}, "period_end"),
        ({"observed_on": DAY + timedelta(days=1)}, "observed_on"),
    ]:
        data = _attendance(Decimal("90"), **overrides)
        with pytest.raises(InvalidInput) as caught:
            clean_observation(data, today=DAY)
        assert caught.value.field == field, overrides


def test_each_kind_keeps_only_its_own_values():
    check = clean_observation(
        ObservationInput(
            person_id=ANYONE,
            kind="two_year_check",
            observed_on=DAY,
            outcome="needs_support",
            attendance_percent=Decimal(50),
            sen_status="ehc_plan",
        ),
        today=DAY,
    )
    assert (check.outcome, check.attendance_percent, check.sen_status) == (
        "needs_support",
        None,
        "",
    )
    permanent = clean_observation(
        ObservationInput(
            person_id=ANYONE,
            kind="exclusion",
            observed_on=DAY,
            exclusion_type="permanent",
            exclusion_days=Decimal(3),
        ),
        today=DAY,
    )
    assert permanent.exclusion_days is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "two_year_check"}, "outcome"),
        ({"kind": "school_readiness", "outcome": "great"}, "outcome"),
        ({"kind": "exclusion"}, "exclusion_type"),
        ({"kind": "exclusion", "exclusion_type": "suspension"}, "exclusion_days"),
        (
            {"kind": "exclusion", "exclusion_type": "suspension", "exclusion_days": 0},
            "exclusion_days",
        ),
        (
            {"kind": "exclusion", "exclusion_type": "suspension", "exclusion_days": 46},
            "exclusion_days",
        ),
        (
            {"kind": "exclusion", "exclusion_type": "suspension", "exclusion_days": Decimal("1.3")},
            "exclusion_days",
        ),
        ({"kind": "sen_status", "sen_status": "maybe"}, "sen_status"),
        ({"kind": "height"}, "kind"),
    ],
)
def test_each_kind_needs_its_values(values, field):
    data = ObservationInput(person_id=ANYONE, observed_on=DAY, **values)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as caught:
        clean_observation(data, today=DAY)
    assert caught.value.field == field


@pytest.mark.django_db
def test_an_observation_is_saved_audited_and_on_the_timeline(world, family):
    child = member(family, "child")
    observation = record_observation(
        actor=world.practitioner,
        family=family,
        data=ObservationInput(
            person_id=child.pk,
            kind="exclusion",
            observed_on=TODAY() - timedelta(days=2),
            exclusion_type="suspension",
            exclusion_days=Decimal("1.5"),
            note="After an incident at lunchtime",
        ),
    )
    assert observation.source == "manual" and observation.recorded_by == world.practitioner
    entry = TimelineEntry.objects.get(object_type="observation")
    assert (entry.kind, entry.title, entry.link_name) == (
        "observation",
        "Suspension: 1.5 days",
        "programmes:observation",
    )
    assert entry.summary == "After an incident at lunchtime"
    assert list(
        TimelineEntryPerson.objects.filter(entry=entry).values_list("person_id", flat=True)
    ) == [child.pk]
    event = AuditEvent.objects.get(object_type="observation", action="create")
    assert event.detail == {"kind": "exclusion", "source": "manual"}


@pytest.mark.django_db
def test_titles_read_well_for_each_kind(world, family):
    child = member(family, "child")
    day = TODAY() - timedelta(days=1)
    made = [
        {"kind": "two_year_check", "outcome": "on_track"},
        {
            "kind": "school_attendance",
            "attendance_percent": Decimal("100"),
            "period_start": day - timedelta(days=30),
            "period_end": day,
        },
        {"kind": "exclusion", "exclusion_type": "permanent"},
        {"kind": "exclusion", "exclusion_type": "suspension", "exclusion_days": Decimal(1)},
        {"kind": "sen_status", "sen_status": "sen_support"},
    ]
    for values in made:
        record_observation(
            actor=world.manager,
            family=family,
            data=ObservationInput(person_id=child.pk, observed_on=day, **values),  # type: ignore[arg-type]
        )
    titles = set(TimelineEntry.objects.filter(kind="observation").values_list("title", flat=True))
    assert titles == {
        "2-year check: On track",
        "School attendance: 100%",
        "Permanent exclusion",
        "Suspension: 1 day",
        "SEN status: SEN support",
    }


@pytest.mark.django_db
def test_only_the_familys_workers_record_and_only_on_its_members(world, family):
    data = ObservationInput(
        person_id=member(family, "child").pk,
        kind="sen_status",
        observed_on=TODAY(),
        sen_status="ehc_plan",
    )
    for role in ("practitioner_south", "duty", "dpo", "admin"):
        with pytest.raises(NotFound):
            record_observation(actor=getattr(world, role), family=family, data=data)
    other = world.open_family(last_name="Elsewhere")[0]
    with pytest.raises(InvalidInput) as caught:
        record_observation(actor=world.practitioner, family=other, data=data)
    assert caught.value.field == "person"
    assert not Observation.objects.exists()


def test_the_data_map_declares_health_and_pupil_records():
    declaration = read_declaration(Observation)
    assert set(declaration.categories) == {Category.HEALTH, Category.PUPIL_RECORDS}
    assert declaration.special_category_basis == SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
    for model in (Enrolment, Attendance):
        assert read_declaration(model).personal
    for model in (Programme, ProgrammeSession):
        assert not read_declaration(model).personal
