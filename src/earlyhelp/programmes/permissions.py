"""Who may see and run programmes, and see who is on them.

- Programmes themselves (name, dates, team, numbers enrolled) hold no family's data: any
  practitioner, team manager or duty worker may see them, to enrol or signpost families.
- The team running a programme (its practitioners and managers) adds sessions, keeps the
  registers and records completion: only they see the names on a register.
- Team managers set up programmes for the teams they manage.
- Enrolling a family member, and their enrolments and observations, belong to the family:
  whoever may see the family (``can_view_family``).
"""

from __future__ import annotations

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.casework.permissions import can_view_family
from earlyhelp.programmes.models import Enrolment, Programme


def can_view_programmes(user: AnyUser) -> bool:
    return has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER, Role.DUTY_WORKER)


def teams_that_can_set_up(user: AnyUser) -> set[int]:
    return team_ids_with_role(user, Role.TEAM_MANAGER)


def can_create_programme(user: AnyUser) -> bool:
    return bool(teams_that_can_set_up(user))


def can_run_programme(user: AnyUser, programme: Programme) -> bool:
    """Sessions and registers: the running team's practitioners and managers."""
    return programme.team_id in team_ids_with_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER)


def can_end_enrolment(user: AnyUser, enrolment: Enrolment) -> bool:
    """Completion or withdrawal: the running team, or the family's own workers."""
    return can_run_programme(user, enrolment.programme) or can_view_family(user, enrolment.family)
