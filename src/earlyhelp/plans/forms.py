"""Plan forms: a new plan, an outcome, an action, a TAF member, a review, an objection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.core.formatting import date_uk
from earlyhelp.core.forms import GovukDateField, set_choices
from earlyhelp.partners.selectors import contact_choices
from earlyhelp.people.models import FamilyMembership
from earlyhelp.plans import needs
from earlyhelp.plans.models import (
    ActionStatus,
    PlanAction,
    PlanOutcome,
    ProgressRating,
    default_review_weeks,
)
from earlyhelp.plans.needs import SuggestedOutcome
from earlyhelp.plans.services import (
    MAX_REVIEW_WEEKS,
    ActionInput,
    OutcomeInput,
    ProgressInput,
    ReviewInput,
)

TEXT_LIMIT = 5000


def _text(label: str, *, required: bool = True, help_text: str = "", **kw: Any) -> forms.Field:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        **kw,
    )


def _weeks_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Review the plan every (weeks)",
        min_value=1,
        max_value=MAX_REVIEW_WEEKS,
        help_text="Usually every 6 to 12 weeks",
        error_messages={
            "required": "Enter how many weeks between reviews",
            "invalid": "Enter the number of weeks as a whole number, like 6",
            "min_value": f"Enter a number of weeks between 1 and {MAX_REVIEW_WEEKS}",
            "max_value": f"Enter a number of weeks between 1 and {MAX_REVIEW_WEEKS}",
        },
    )


def member_choices(members: Sequence[FamilyMembership]) -> list[tuple[str, str]]:
    return [(str(m.person_id), m.person.full_name) for m in members]


# An owner or TAF member is either a family member or a partner professional; one choice
# list holds both, each value saying which.
PERSON, CONTACT = "person:", "contact:"


def owner_choices(members: Sequence[FamilyMembership]) -> list[tuple[str, str]]:
    family = [(PERSON + str(m.person_id), f"{m.person.full_name} (family)") for m in members]
    professionals = [(CONTACT + value, label) for value, label in contact_choices()]
    return [("", "Choose a family member or a professional"), *family, *professionals]


def parse_owner(value: str) -> tuple[UUID | None, UUID | None]:
    if value.startswith(PERSON):
        return UUID(value.removeprefix(PERSON)), None
    if value.startswith(CONTACT):
        return None, UUID(value.removeprefix(CONTACT))
    return None, None


class NewPlanForm(forms.Form):
    """The review interval, and one suggested outcome per assessed headline need."""

    review_interval_weeks = _weeks_field()

    def __init__(
        self, *args: Any, suggestions: Sequence[SuggestedOutcome], names: dict[UUID, str], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.suggestions = list(suggestions)
        self.fields["review_interval_weeks"].initial = default_review_weeks()
        for suggestion in self.suggestions:
            about = ", ".join(names[p] for p in suggestion.person_ids if p in names)
            self.fields[f"outcome_{suggestion.headline_code}"] = _text(
                f"{suggestion.headline_label}: the outcome the family wants",
                required=False,
                help_text=(f"Assessed need for {about}. " if about else "")
                + "Leave empty to leave this need out of the plan for now",
            )
            self.fields[f"measure_{suggestion.headline_code}"] = _text(
                "How will we know?", required=False
            )

    def outcome_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"outcome_{s.headline_code}"], self[f"measure_{s.headline_code}"])
            for s in self.suggestions
        ]

    def outcomes(self) -> list[OutcomeInput]:
        chosen = []
        for suggestion in self.suggestions:
            description = self.cleaned_data[f"outcome_{suggestion.headline_code}"].strip()
            if description:
                chosen.append(
                    OutcomeInput(
                        headline_code=suggestion.headline_code,
                        description=description,
                        measure=self.cleaned_data[f"measure_{suggestion.headline_code}"],
                        people=list(suggestion.person_ids),
                    )
                )
        return chosen


class OutcomeForm(forms.Form):
    headline_code = forms.ChoiceField(
        label="Headline need", error_messages={"required": "Choose the headline need"}
    )
    description = _text(
        "The outcome the family wants",
        help_text="In plain words, as the family would say it",
        error_messages={"required": "Describe the outcome the family wants"},
    )
    measure = _text("How will we know?", required=False)
    people = forms.MultipleChoiceField(
        label="Who is it about?",
        required=False,
        help_text="Leave empty if it is about the whole family",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, members: Sequence[FamilyMembership], editing: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        if editing:
            del self.fields["headline_code"]
        else:
            set_choices(
                self, "headline_code", [("", "Choose a headline need"), *needs.headline_choices()]
            )
        set_choices(self, "people", member_choices(members))

    @classmethod
    def initial_for(cls, outcome: PlanOutcome) -> dict[str, Any]:
        return {
            "description": outcome.description,
            "measure": outcome.measure,
            "people": [str(p.pk) for p in outcome.people.all()],
        }

    def people_ids(self) -> list[UUID]:
        return [UUID(p) for p in self.cleaned_data["people"]]

    def to_input(self) -> OutcomeInput:
        return OutcomeInput(
            headline_code=self.cleaned_data["headline_code"],
            description=self.cleaned_data["description"],
            measure=self.cleaned_data["measure"],
            people=self.people_ids(),
        )


class ActionForm(forms.Form):
    what = _text("What will be done?", error_messages={"required": "Say what will be done"})
    owner = forms.ChoiceField(
        label="Who will do it?",
        help_text="A family member, or a professional from the partner directory",
        error_messages={"required": "Choose who will do it"},
    )
    due_on = GovukDateField(
        label="By when?",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date it will be done by"},
    )
    outcome = forms.ChoiceField(label="Which outcome is it for?", required=False)

    def __init__(
        self,
        *args: Any,
        members: Sequence[FamilyMembership],
        outcomes: Sequence[PlanOutcome],
        labels: dict[str, str],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "owner", owner_choices(members))
        set_choices(
            self,
            "outcome",
            [("", "Not one outcome in particular")]
            + [(str(o.pk), outcome_label(o, labels)) for o in outcomes],
        )

    def to_input(self) -> ActionInput:
        person, contact = parse_owner(self.cleaned_data["owner"])
        outcome = self.cleaned_data["outcome"]
        return ActionInput(
            what=self.cleaned_data["what"],
            due_on=self.cleaned_data["due_on"],
            owner_person=person,
            owner_contact=contact,
            outcome=UUID(outcome) if outcome else None,
        )


def action_owner(action: PlanAction) -> str:
    if action.owner_person is not None:
        return action.owner_person.full_name
    return action.owner_contact.name if action.owner_contact is not None else ""


def outcome_label(outcome: PlanOutcome, labels: dict[str, str]) -> str:
    headline = labels.get(outcome.headline_code, outcome.headline_code)
    text = outcome.description if len(outcome.description) <= 60 else outcome.description[:59] + "…"
    return f"{headline}: {text}"


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where has this action got to?",
        choices=ActionStatus.choices,
        error_messages={"required": "Choose the action's status"},
    )


class MemberForm(forms.Form):
    member = forms.ChoiceField(
        label="Who is joining the Team Around the Family?",
        help_text="A professional from the partner directory, or a family member",
        error_messages={"required": "Choose who is joining"},
    )
    role_in_plan = forms.CharField(
        label="Their role in the plan",
        required=False,
        max_length=200,
        help_text="For example, attends TAF meetings and reports on attendance",
    )

    def __init__(self, *args: Any, members: Sequence[FamilyMembership], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = owner_choices(members)
        choices[0] = ("", "Choose a professional or a family member")
        set_choices(self, "member", choices)

    def member_ids(self) -> tuple[UUID | None, UUID | None]:
        return parse_owner(self.cleaned_data["member"])


class ReviewForm(forms.Form):
    """The review: when, what it found, progress per outcome, and the plan's changes."""

    held_on = GovukDateField(
        label="Date of the review",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the review"},
    )
    summary = _text(
        "What did the review find?",
        error_messages={"required": "Summarise what the review found"},
    )
    change_summary = _text(
        "What changes in the plan, and why?",
        help_text="This describes the new version of the plan",
        error_messages={"required": "Say what changes in the plan, and why"},
    )
    review_interval_weeks = _weeks_field()
    new_what = _text("New action: what will be done?", required=False)
    new_owner = forms.ChoiceField(label="Who will do it?", required=False)
    new_due_on = GovukDateField(
        label="By when?", required=False, help_text="For example, 27 3 2026"
    )
    new_outcome = forms.ChoiceField(label="Which outcome is it for?", required=False)

    def __init__(
        self,
        *args: Any,
        outcomes: Sequence[PlanOutcome],
        actions: Sequence[PlanAction],
        members: Sequence[FamilyMembership],
        labels: dict[str, str],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.plan_outcomes = list(outcomes)
        self.plan_actions = list(actions)
        self.labels = labels
        set_choices(self, "new_owner", owner_choices(members))
        set_choices(
            self,
            "new_outcome",
            [("", "Not one outcome in particular")]
            + [(str(o.pk), outcome_label(o, labels)) for o in outcomes],
        )
        for number, outcome in enumerate(self.plan_outcomes, start=1):
            key = outcome.pk.hex
            self.fields[f"rating_{key}"] = forms.ChoiceField(
                label=f"Outcome {number}: how is it going?",
                choices=ProgressRating.choices,
                error_messages={"required": f"Choose how outcome {number} is going"},
            )
            self.fields[f"note_{key}"] = _text(f"Outcome {number}: progress notes", required=False)
            self.fields[f"description_{key}"] = _text(
                f"Outcome {number}, as it will read in the next version",
                initial=outcome.description,
                error_messages={"required": f"Outcome {number} cannot be left empty"},
            )
        for number, action in enumerate(self.plan_actions, start=1):
            self.fields[f"status_{action.pk.hex}"] = forms.ChoiceField(
                label=f"Action {number}: status",
                choices=ActionStatus.choices,
                initial=action.status,
                help_text=f"{action.what} ({action_owner(action)}, by {date_uk(action.due_on)})",
            )

    def outcome_rows(
        self,
    ) -> list[tuple[PlanOutcome, str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                o,
                self.labels.get(o.headline_code, o.headline_code),
                self[f"rating_{o.pk.hex}"],
                self[f"note_{o.pk.hex}"],
                self[f"description_{o.pk.hex}"],
            )
            for o in self.plan_outcomes
        ]

    def action_rows(self) -> list[tuple[PlanAction, forms.BoundField]]:
        return [(a, self[f"status_{a.pk.hex}"]) for a in self.plan_actions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("new_what") or "").strip():
            if not data.get("new_owner"):
                self.add_error("new_owner", "Choose who will do the new action")
            if not data.get("new_due_on") and "new_due_on" not in self.errors:
                self.add_error("new_due_on", "Enter the date the new action will be done by")
        return data

    def to_input(self) -> ReviewInput:
        data = self.cleaned_data
        new_actions = []
        if data["new_what"].strip():
            person, contact = parse_owner(data["new_owner"])
            new_actions.append(
                ActionInput(
                    what=data["new_what"],
                    due_on=data["new_due_on"],
                    owner_person=person,
                    owner_contact=contact,
                    outcome=UUID(data["new_outcome"]) if data["new_outcome"] else None,
                )
            )
        return ReviewInput(
            held_on=data["held_on"],
            summary=data["summary"],
            change_summary=data["change_summary"],
            review_interval_weeks=data["review_interval_weeks"],
            progress=[
                ProgressInput(
                    outcome=o.pk,
                    rating=data[f"rating_{o.pk.hex}"],
                    note=data[f"note_{o.pk.hex}"],
                )
                for o in self.plan_outcomes
            ],
            outcome_descriptions={
                o.pk: data[f"description_{o.pk.hex}"]
                for o in self.plan_outcomes
                if data[f"description_{o.pk.hex}"].strip() != o.description
            },
            action_statuses={
                a.pk: data[f"status_{a.pk.hex}"]
                for a in self.plan_actions
                if data[f"status_{a.pk.hex}"] != a.status
            },
            new_actions=new_actions,
        )


class ObjectionForm(forms.Form):
    objected_by = forms.ChoiceField(
        label="Who objects to the plan being shared?",
        error_messages={"required": "Choose who objects"},
    )
    objected_on = GovukDateField(
        label="When did they object?",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date they objected"},
    )
    note = _text("Notes", required=False, help_text="How they objected, and anything they asked")

    def __init__(self, *args: Any, members: Sequence[FamilyMembership], **kw: Any) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "objected_by", member_choices(members))
        self.fields["objected_on"].initial = timezone.localdate()


class WithdrawObjectionForm(forms.Form):
    objection = forms.UUIDField(widget=forms.HiddenInput)


class ShareForm(forms.Form):
    """The recipients confirmed on the page, so exactly those receive the plan.

    Any contact id passes the form: the service, not the form, refuses anyone who is not a
    TAF member of the current version.
    """

    recipients = forms.Field(
        widget=forms.MultipleHiddenInput,
        error_messages={"required": "There is no one to send the plan to"},
    )
    # The e-mail addresses shown on the page: the service refuses if the directory has moved
    # any of them since (decision 0014).
    addresses = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def clean_addresses(self) -> list[str]:
        return [str(value) for value in self.cleaned_data.get("addresses") or []]

    def clean_recipients(self) -> list[UUID]:
        try:
            return [UUID(str(value)) for value in self.cleaned_data["recipients"]]
        except ValueError:
            raise ValidationError("The list of recipients was not recognised") from None
