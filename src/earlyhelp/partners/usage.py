"""Which families' sharing uses an organisation: the apps above the directory say so here.

The directory sits below sharing and plans, so it cannot ask them directly; each registers,
when Django starts (its ``AppConfig.ready``), a function naming the families for which an
organisation is in use: named in a standing agreement to share (sharing), or with a
professional in a Team Around the Family (plans). A change to where shared information goes
for an organisation in use needs a second person (``partners.services``, decision 0014).
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from earlyhelp.partners.models import Organisation

FamiliesUsing = Callable[[Organisation], set[UUID]]

_USES: dict[str, FamiliesUsing] = {}


def register_use(name: str, families: FamiliesUsing) -> None:
    """Declare a use of the directory (by name, so a second registration replaces it)."""
    _USES[name] = families


def families_using(organisation: Organisation) -> set[UUID]:
    """The ids of the families whose agreements or TAFs use ``organisation``."""
    found: set[UUID] = set()
    for families in _USES.values():
        found |= families(organisation)
    return found


def registered_uses() -> list[str]:
    return sorted(_USES)
