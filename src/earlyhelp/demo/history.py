"""Putting the demo's records at the dates their story happened (demo history only).

The demo shows a service that has been running for a year, but it is loaded in seconds.
Where a service takes a date (a contact's ``occurred_at``, a review's ``held_on``, an
assessment's start and completion) the demo passes it. Several services stamp
``timezone.now()`` on a row or on the family's timeline line they write, with no parameter
to say otherwise, because a real user records things as they happen. Only for those does the
demo move the row afterwards, with the targeted updates in this module, so that the
timeline, the caseload and the dashboards read like a real year. Nothing here runs outside
``loaddemo``; the audit trail is never touched (it records when the demo was loaded).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db.models import Model
from django.utils import timezone

from earlyhelp.casework.models import TimelineEntry
from earlyhelp.people.models import Family


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``day`` at a local time of day, never later than now (a demo cannot record the future)."""
    when = datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())
    return min(when, timezone.now() - timedelta(minutes=1))


@contextmanager
def timeline_at(family: Family, when: datetime) -> Iterator[None]:
    """Every line the enclosed service call adds to ``family``'s timeline happened at ``when``.

    For services that date their timeline line ``timezone.now()`` (assessments, plans,
    reviews, objections, outcome ratings, sustain checks, closure): demo history only.
    """
    before = set(TimelineEntry.objects.filter(family=family).values_list("pk", flat=True))
    yield
    TimelineEntry.objects.filter(family=family).exclude(pk__in=before).update(occurred_at=when)


def set_fields(instance: Model, **fields: object) -> None:
    """Move a row's own timestamps to its story's date (demo history only).

    For fields a service stamps with ``timezone.now()`` and takes no parameter for. The
    instance in memory is updated too, so later service calls see the same values.
    """
    type(instance)._default_manager.filter(pk=instance.pk).update(**fields)
    for name, value in fields.items():
        setattr(instance, name, value)
