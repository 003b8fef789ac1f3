"""Calendar arithmetic for sustain checks."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, clamped to the end of a shorter month.

    31 August plus 6 months is the last day of February (28th, or 29th in a leap year):
    the outcome has held for the whole of the sixth month, never spilling into March.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def sustain_due_on(achieved_on: date) -> date:
    return add_months(achieved_on, int(settings.EARLYHELP_SUSTAIN_MONTHS))
