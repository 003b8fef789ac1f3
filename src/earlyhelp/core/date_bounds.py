"""The widest range of dates the service accepts anywhere, on a page or through the API.

Nothing the service records about a family (a birth, a referral, a contact, a plan review) is
before 1900, and nothing is planned more than ten years ahead; outside this a date is a typing
slip or a probe (year 1 stored on PostgreSQL cannot be read back: "timestamp too small", and
every list showing the record then fails). Fields with a narrower meaning (a date of birth, when
a referral arrived, a contact in the past) add their own bound in their form or service.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

EARLIEST_DATE = date(1900, 1, 1)
YEARS_AHEAD = 10


def latest_date() -> date:
    today = timezone.localdate()
    # 29 February ten years on may not exist; the 28th is near enough for a sanity bound.
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def out_of_range(day: date) -> str | None:
    """The message for a date outside the range, or None."""
    latest = latest_date()
    if EARLIEST_DATE <= day <= latest:
        return None
    return f"Must be a date between {_long(EARLIEST_DATE)} and {_long(latest)}."


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
