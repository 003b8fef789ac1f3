"""Forms of the partner pages: an action's status, and a contribution note."""

from __future__ import annotations

from django import forms

from earlyhelp.plans.models import ActionStatus
from earlyhelp.sharing.partner.services import MAX_CONTRIBUTION


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where has this action got to?",
        choices=ActionStatus.choices,
        error_messages={
            "required": "Choose where the action has got to",
            "invalid_choice": "Choose where the action has got to",
        },
    )


class ContributionForm(forms.Form):
    text = forms.CharField(
        label="Your contribution",
        help_text=(
            "What you have done, progress you have seen, or anything the team around the "
            "family should know. The family's lead practitioner will see it."
        ),
        max_length=MAX_CONTRIBUTION,
        strip=True,
        error_messages={
            "required": "Enter your contribution",
            "max_length": f"Your contribution must be {MAX_CONTRIBUTION} characters or fewer",
        },
    )
