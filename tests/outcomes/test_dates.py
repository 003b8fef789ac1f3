"""Sustain checks fall due whole calendar months after the outcome was achieved."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.outcomes.dates import add_months, sustain_due_on


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 9, 30), 6, date(2027, 3, 30)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2026, 5, 15), 6, date(2026, 11, 15)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
    ],
)
def test_known_dates(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)), st.integers(0, 120))
def test_whole_calendar_months_clamped_to_the_month_end(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)
    assert result >= start


def test_the_sustain_period_is_configuration(settings):
    assert sustain_due_on(date(2026, 8, 31)) == date(2027, 2, 28)
    settings.EARLYHELP_SUSTAIN_MONTHS = 3
    assert sustain_due_on(date(2026, 8, 31)) == date(2026, 11, 30)
