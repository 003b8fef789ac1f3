"""Form pieces shared by every app: the GOV.UK date input, and mapping domain errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.core.date_bounds import out_of_range
from earlyhelp.core.errors import DomainError


class DateInputWidget(forms.Widget):
    """Reads the three boxes of the GOV.UK date input (``name-day``, ``-month``, ``-year``)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))

    def decompress(self, value: date | None) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with the Design System's error messages."""

    widget = DateInputWidget

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if not value or not any(value):
            return None
        day, month, year = value
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{self.label} must include a {' and '.join(missing)}")
        try:
            parsed = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date") from None
        if len(str(year)) != 4:
            raise ValidationError("Year must include 4 numbers")
        problem = out_of_range(parsed)
        if problem:
            raise ValidationError(f"{self.label}: {problem[0].lower()}{problem[1:]}")
        return parsed

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value and self.past_only and value > timezone.localdate():
            raise ValidationError(f"{self.label} must be today or in the past")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal against the field it names, keeping everything entered."""
    field = error.field.split(".")[-1] if error.field else None
    form.add_error(field if field in form.fields else None, error.message)


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    """Fill a choice field's options at request time (code lists, teams, staff)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
