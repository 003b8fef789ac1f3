"""Programme forms: set-up, sessions, the register, enrolment, completion, observations."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from earlyhelp.accounts.models import Team
from earlyhelp.core.formatting import date_uk
from earlyhelp.core.forms import GovukDateField, set_choices
from earlyhelp.people.models import FamilyMembership
from earlyhelp.programmes.models import (
    MILESTONE_KINDS,
    AttendanceStatus,
    Enrolment,
    ExclusionType,
    MilestoneOutcome,
    ObservationKind,
    Programme,
    ProgrammeKind,
    SenStatus,
)
from earlyhelp.programmes.selectors import RegisterLine

_TIME = re.compile(r"^\s*([01]?[0-9]|2[0-3])[:.]([0-5][0-9])\s*$")


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="Name of the programme", max_length=200)
    kind = forms.ChoiceField(label="Kind of programme", choices=ProgrammeKind.choices)
    team = forms.ChoiceField(label="Team running it")
    provider = forms.ChoiceField(
        label="Delivered by (optional)",
        required=False,
        help_text="A partner organisation from the directory, if the team does not deliver it",
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 14 9 2026")
    ends_on = GovukDateField(label="End date (optional)", required=False)
    capacity = forms.IntegerField(
        label="Number of places (optional)",
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": "Enter the number of places as a whole number, like 12",
            "min_value": "The number of places must be 1 or more",
            "max_value": "The number of places must be 10,000 or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text="Who it is for and what it covers",
    )

    def __init__(
        self,
        *args: Any,
        teams: list[Team],
        providers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [(t.slug, t.name) for t in teams])
        set_choices(self, "provider", [("", "The team itself"), *providers])
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].slug


class SessionForm(forms.Form):
    date = GovukDateField(label="Date of the session", help_text="For example, 21 9 2026")
    start_time = forms.CharField(
        label="Start time (optional)",
        required=False,
        max_length=5,
        help_text="Use the 24-hour clock, for example 09:30 or 14:00",
    )
    location = forms.CharField(label="Where (optional)", required=False, max_length=200)

    def clean_start_time(self) -> time | None:
        value: str = self.cleaned_data["start_time"]
        if not value.strip():
            return None
        match = _TIME.match(value)
        if match is None:
            raise forms.ValidationError(
                "Enter a start time on the 24-hour clock, like 09:30 or 14:00"
            )
        return time(int(match.group(1)), int(match.group(2)))


def mark_field_name(enrolment: Enrolment) -> str:
    return f"mark_{enrolment.pk.hex}"


class RegisterForm(forms.Form):
    """One set of radios per person on the register."""

    def __init__(self, *args: Any, lines: list[RegisterLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            name = mark_field_name(line.enrolment)
            self.fields[name] = forms.ChoiceField(
                label=line.enrolment.person.full_name,
                choices=AttendanceStatus.choices,
                required=False,
                initial=line.status,
            )

    def rows(self) -> list[tuple[RegisterLine, forms.BoundField]]:
        return [(line, self[mark_field_name(line.enrolment)]) for line in self.lines]

    def marks(self) -> dict[Any, str | None]:
        return {
            line.enrolment.pk: self.cleaned_data.get(mark_field_name(line.enrolment)) or None
            for line in self.lines
        }


class EndEnrolmentForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did their time on the programme end?",
        choices=[("completed", "They completed it"), ("withdrawn", "They withdrew")],
    )
    on = GovukDateField(label="Date", past_only=True, help_text="For example, 30 11 2026")
    reason = forms.CharField(
        label="Why did they withdraw?",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text="Needed if they withdrew",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "withdrawn" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why they withdrew")
        return data


def _member_label(membership: FamilyMembership) -> str:
    return f"{membership.person.full_name} ({membership.get_role_display().lower()})"


def programme_label(programme: Programme) -> str:
    taken = getattr(programme, "places_taken", 0)
    places = (
        f", {max(programme.capacity - taken, 0)} place(s) left"
        if programme.capacity is not None
        else ""
    )
    return (
        f"{programme.name} ({programme.team.name}), starts {date_uk(programme.starts_on)}{places}"
    )


class EnrolForm(forms.Form):
    programme = forms.ChoiceField(label="Programme")
    people = forms.MultipleChoiceField(label="Who is joining?", widget=forms.CheckboxSelectMultiple)
    enrolled_on = GovukDateField(
        label="Date of enrolment", past_only=True, help_text="For example, 14 9 2026"
    )

    def __init__(
        self,
        *args: Any,
        programmes: list[Programme],
        memberships: list[FamilyMembership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "programme",
            [("", "Choose a programme"), *[(str(p.pk), programme_label(p)) for p in programmes]],
        )
        set_choices(self, "people", [(str(m.person_id), _member_label(m)) for m in memberships])
        self.fields["people"].error_messages["required"] = "Choose who is joining"
        self.fields["programme"].error_messages["required"] = "Choose a programme"
        self.fields["enrolled_on"].initial = timezone.localdate()


class ObservationKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=ObservationKind.choices,
        error_messages={"required": "Choose what you are recording"},
    )


def _decimal(value: str, message: str) -> Decimal | None:
    value = value.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise forms.ValidationError(message) from None
    if not number.is_finite():
        raise forms.ValidationError(message)
    return number


class ObservationForm(forms.Form):
    """The fields of one kind of observation; the kind was chosen on the step before."""

    person = forms.ChoiceField(label="Who is it about?")
    observed_on = GovukDateField(label="Date", past_only=True, help_text="For example, 3 11 2026")
    outcome = forms.ChoiceField(label="Outcome of the check", choices=MilestoneOutcome.choices)
    attendance_percent = forms.CharField(
        label="Attendance (%)", max_length=10, help_text="For example, 92.5"
    )
    period_start = GovukDateField(label="First day of the period")
    period_end = GovukDateField(label="Last day of the period")
    exclusion_type = forms.ChoiceField(label="Type", choices=ExclusionType.choices)
    exclusion_days = forms.CharField(
        label="Length of the suspension in days",
        max_length=6,
        required=False,
        help_text="In half days, for example 1.5; leave blank for a permanent exclusion",
    )
    sen_status = forms.ChoiceField(label="SEN status", choices=SenStatus.choices)
    note = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea, max_length=5000
    )

    FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
        ObservationKind.SCHOOL_ATTENDANCE: ("attendance_percent", "period_start", "period_end"),
        ObservationKind.EXCLUSION: ("exclusion_type", "exclusion_days"),
        ObservationKind.SEN_STATUS: ("sen_status",),
        **{kind: ("outcome",) for kind in MILESTONE_KINDS},
    }
    KIND_FIELDS = {
        "outcome",
        "attendance_percent",
        "period_start",
        "period_end",
        "exclusion_type",
        "exclusion_days",
        "sen_status",
    }

    def __init__(
        self, *args: Any, kind: str, memberships: list[FamilyMembership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = ObservationKind(kind)
        keep = set(self.FIELDS_BY_KIND[self.kind])
        for name in self.KIND_FIELDS - keep:
            del self.fields[name]
        set_choices(
            self,
            "person",
            [("", "Choose a person"), *[(str(m.person_id), _member_label(m)) for m in memberships]],
        )
        self.fields["person"].error_messages["required"] = "Choose who it is about"
        if self.kind == ObservationKind.SCHOOL_ATTENDANCE:
            self.fields["observed_on"].label = "Date the figure was reported"
            self.fields["observed_on"].help_text = "On or after the last day of the period"
        elif self.kind == ObservationKind.EXCLUSION:
            self.fields["observed_on"].label = "Date of the suspension or exclusion"
        elif self.kind in MILESTONE_KINDS:
            self.fields["observed_on"].label = "Date of the check"

    def clean_attendance_percent(self) -> Decimal | None:
        return _decimal(
            self.cleaned_data["attendance_percent"],
            "Enter attendance as a percentage from 0 to 100, like 92.5",
        )

    def clean_exclusion_days(self) -> Decimal | None:
        return _decimal(
            self.cleaned_data["exclusion_days"],
            "Enter the length of the suspension in days, like 2 or 1.5",
        )


class ObservationFilterForm(forms.Form):
    person = forms.ChoiceField(label="Show observations about", required=False)

    def __init__(self, *args: Any, memberships: list[FamilyMembership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "person",
            [
                ("", "Everyone in the family"),
                *[(str(m.person_id), m.person.full_name) for m in memberships],
            ],
        )
