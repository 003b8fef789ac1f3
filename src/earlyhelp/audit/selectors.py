"""Reads of the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from earlyhelp.audit.chain import Break, find_first_break
from earlyhelp.audit.models import AuditEvent

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User


def events_about(objects: Iterable[tuple[str, str]]) -> QuerySet[AuditEvent]:
    """Events naming any of the given (object_type, object_id) pairs, newest first."""
    condition = Q(pk__in=[])
    for object_type, object_id in objects:
        condition |= Q(object_type=object_type, object_id=object_id)
    return AuditEvent.objects.filter(condition).order_by("-seq")


def actors_by_id(events: Iterable[AuditEvent]) -> dict[int, User]:
    from earlyhelp.accounts.models import User

    ids = {e.actor_id for e in events if e.actor_id is not None}
    return {u.pk: u for u in User.objects.filter(pk__in=ids)}


def verify_chain() -> tuple[int, Break | None]:
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)
    return find_first_break(events)
