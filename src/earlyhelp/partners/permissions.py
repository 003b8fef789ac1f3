"""Who may read and maintain the partner directory.

The directory names professionals (their work contact details), so it is for staff who work
with families or answer for the data: practitioners, managers, duty workers and the DPO.
Administrators and team managers keep it up to date; an editor must see what they edit.
"""

from __future__ import annotations

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role

VIEWER_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER, Role.DUTY_WORKER, Role.DPO, Role.ADMIN)
EDITOR_ROLES = (Role.ADMIN, Role.TEAM_MANAGER)


def can_view_directory(user: AnyUser) -> bool:
    return has_role(user, *VIEWER_ROLES)


def can_edit_directory(user: AnyUser) -> bool:
    return has_role(user, *EDITOR_ROLES)
