"""Display formats from the GOV.UK style guide (dates as "5 January 2026")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def date_uk(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.day} {value:%B %Y}"


def datetime_uk(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{date_uk(local)} at {hour}:{local:%M}{suffix}"


def nhs_number(value: str | None) -> str:
    if not value or len(value) != 10:
        return value or ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not known"}[value]
