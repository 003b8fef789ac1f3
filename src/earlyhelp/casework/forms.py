from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms

from earlyhelp.accounts.models import Membership, Role, Team
from earlyhelp.casework.models import TimelineKind
from earlyhelp.core import codelists
from earlyhelp.core.forms import set_choices

_CASE_ROLES = [Role.PRACTITIONER, Role.TEAM_MANAGER]


def team_choices() -> list[tuple[str, str]]:
    """Teams that hold cases (they have practitioners or managers)."""
    teams = Team.objects.filter(memberships__role__in=_CASE_ROLES).distinct()
    return [(t.slug, t.name) for t in teams]


def lead_practitioner_choices() -> list[tuple[str, str]]:
    memberships = (
        Membership.objects.filter(role__in=_CASE_ROLES, team__isnull=False)
        .select_related("user", "team")
        .order_by("team__name", "user__last_name", "user__username")
    )
    return [("", "Not yet allocated")] + [
        (m.user.username, f"{m.user.display_name} ({m.team.name if m.team else ''})")
        for m in memberships
    ]


class ReallocateForm(forms.Form):
    team = forms.ChoiceField(label="Team")
    lead_practitioner = forms.ChoiceField(label="Lead practitioner", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices())
        set_choices(self, "lead_practitioner", lead_practitioner_choices())


class CloseEpisodeForm(forms.Form):
    reason = forms.ChoiceField(label="Why is the episode closing?")
    note = forms.CharField(
        label="Describe the reason",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text="Required when the reason is 'Other'",
    )
    summary = forms.CharField(
        label="Closing summary",
        widget=forms.Textarea,
        max_length=10000,
        help_text="What changed for the family, what support continues, and what happens next",
        error_messages={"required": "Write a closing summary"},
    )
    destination = forms.CharField(
        label="Service the family is referred to",
        required=False,
        max_length=200,
        help_text="Only for a step-up to children's social care or a step-down to universal "
        "services: this records the onward referral",
    )
    onward_reason = forms.CharField(
        label="Reason for the onward referral",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="Why, and what the receiving service needs to know",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "reason", codelists.choices("closure_reasons"))


class TimelineFilterForm(forms.Form):
    """Filter the family timeline by type of record and by family member (GET: ids only)."""

    kind = forms.ChoiceField(label="Type of record", required=False)
    person = forms.ChoiceField(label="Family member", required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", [("", "All records"), *TimelineKind.choices])
        set_choices(self, "person", [("", "Everyone"), *members])

    def selection(self) -> tuple[str | None, UUID | None]:
        if not self.is_valid():
            return None, None
        person = self.cleaned_data["person"]
        return self.cleaned_data["kind"] or None, UUID(person) if person else None
