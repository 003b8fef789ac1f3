from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.accounts.models import Membership, Role, Team
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
        label="Closing summary",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="Required when the reason is 'Other'",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "reason", codelists.choices("closure_reasons"))
