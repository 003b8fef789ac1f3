"""Assessment forms: start, the main draft form, one need, submit, return, a headline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from earlyhelp.assessments.models import Headline, Severity
from earlyhelp.assessments.services import AssessmentChanges
from earlyhelp.core.forms import GovukDateField, set_choices
from earlyhelp.people.models import FamilyMembership

TEXT_LIMIT = 20_000


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        required=False,
        max_length=TEXT_LIMIT,
        help_text=help_text,
    )


class StartForm(forms.Form):
    started_on = GovukDateField(
        label="Date the assessment started",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the assessment started"},
    )
    organisation = forms.CharField(
        label="Organisation completing the assessment",
        max_length=200,
        error_messages={"required": "Enter the organisation completing the assessment"},
    )


class AssessmentForm(forms.Form):
    started_on = GovukDateField(
        label="Date the assessment started",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the assessment started"},
    )
    organisation = forms.CharField(
        label="Organisation completing the assessment",
        max_length=200,
        error_messages={"required": "Enter the organisation completing the assessment"},
    )
    strengths = _text("The family's strengths", "What is going well, and who helps them")
    child_views = _text("The child's or children's views", "In their own words, as they said them")
    parent_views = _text("The parents' or carers' views", "In their own words")
    analysis = _text("Analysis", "How the needs affect each other and the family")
    conclusion = _text("Conclusion", "The practitioner's conclusion and what should happen next")
    no_needs_identified = forms.BooleanField(
        label="No needs were identified under any headline", required=False
    )

    def to_changes(self) -> AssessmentChanges:
        d = self.cleaned_data
        return AssessmentChanges(
            started_on=d["started_on"],
            organisation=d["organisation"],
            strengths=d["strengths"],
            child_views=d["child_views"],
            parent_views=d["parent_views"],
            analysis=d["analysis"],
            conclusion=d["conclusion"],
            no_needs_identified=d["no_needs_identified"],
        )


class NeedForm(forms.Form):
    person = forms.ChoiceField(
        label="Who is the need about?",
        error_messages={"required": "Choose who the need is about"},
    )
    headline = forms.ChoiceField(
        label="Headline need", error_messages={"required": "Choose a headline need"}
    )
    severity = forms.ChoiceField(
        label="How severe is the need?",
        choices=Severity.choices,
        error_messages={"required": "Choose how severe the need is"},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        help_text="What you saw or were told, and by whom",
        error_messages={"required": "Enter the evidence for this need"},
    )

    def __init__(
        self,
        *args: Any,
        members: list[FamilyMembership],
        headlines: list[Headline],
        fixed_person: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "person",
            [(str(m.person_id), f"{m.person.full_name} ({m.get_role_display()})") for m in members],
        )
        set_choices(self, "headline", [(h.code, h.label) for h in headlines])
        # Changing a need keeps its person: a need about someone else is a new need.
        self.fixed_person = fixed_person
        if fixed_person:
            self.fields["person"].required = False
        self.descriptors = {h.code: h.descriptor for h in headlines}


class SubmitForm(forms.Form):
    completed_on = GovukDateField(
        label="Date the assessment was completed",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the assessment was completed"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        help_text="The practitioner sees this on the assessment",
        error_messages={"required": "Say what needs to change before it can be authorised"},
    )


class HeadlineForm(forms.Form):
    label = forms.CharField(
        label="Headline", max_length=200, error_messages={"required": "Enter the headline's name"}
    )
    descriptor = forms.CharField(
        label="Descriptor",
        widget=forms.Textarea,
        required=False,
        max_length=5_000,
        help_text="From your local outcome plan: when a family member has a need under it",
    )
    active = forms.BooleanField(label="Offer this headline for new needs", required=False)
