"""Reads of the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from earlyhelp.accounts.models import Role, User
from earlyhelp.accounts.permissions import AnyUser, has_role
from earlyhelp.audit.models import Action, AuditEvent, DenialAlert
from earlyhelp.audit.object_types import OBJECT_TYPES
from earlyhelp.audit.services import record_event
from earlyhelp.casework.permissions import can_view_access_log
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family
from earlyhelp.records.walk import ids_about_family


def actors_by_id(events: Iterable[AuditEvent]) -> dict[int, User]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    return {u.pk: u for u in User.objects.filter(pk__in=ids)}


# --- "Who has accessed this family" -------------------------------------------------------

ACCESS_LOG_PAGE_SIZE = 50


def may_review_access(user: AnyUser) -> bool:
    """Who may open the access-log lookup at all (which families is can_view_access_log)."""
    return has_role(user, Role.DPO, Role.TEAM_MANAGER)


@dataclass(frozen=True)
class AccessLogRow:
    event: AuditEvent
    actor: User | None

    @property
    def action_label(self) -> str:
        try:
            return str(Action(self.event.action).label)
        except ValueError:
            return self.event.action


@dataclass(frozen=True)
class AccessLogPage:
    family: Family
    rows: list[AccessLogRow]
    page: Page[AuditEvent]


# Reviewers reading the log are not reading the family's record: their reads are audited
# (``access_log``) but not listed among the family's accesses.
_ABOUT_THE_RECORD = sorted(set(OBJECT_TYPES) - {"access_log", "denial_alert"})


def _events_about_family(family: Family) -> QuerySet[AuditEvent]:
    """Events naming the family, a member, or any row of their case record (the records
    walk: case notes, assessments, plan versions, sharing decisions and the rest), newest
    first. One query per kind of record to collect the ids, however many events there are."""
    return AuditEvent.objects.filter(
        object_type__in=_ABOUT_THE_RECORD, object_id__in=sorted(ids_about_family(family))
    ).order_by("-seq")


def _reviewable_family(user: AnyUser, family: Family | None) -> Family:
    if family is None or not can_view_access_log(user, family):
        # The same answer whether the family is missing or out of reach: no existence leak.
        raise NotFound()
    return family


def family_access_log(
    user: AnyUser, family_id: UUID | str, *, page_number: str | int | None = None
) -> AccessLogPage:
    """One page of events about a family and its members, newest first, for a reviewer.

    Team managers see families their team has held; the DPO any family; anyone else gets
    NotFound. Reading the log is itself recorded (object_type ``access_log``).
    """
    pk = parse_id(family_id)
    family = _reviewable_family(user, Family.objects.filter(pk=pk).first())
    page = Paginator(_events_about_family(family), ACCESS_LOG_PAGE_SIZE).get_page(page_number)
    events = list(page.object_list)
    actors = actors_by_id(events)
    rows = [
        AccessLogRow(event=e, actor=actors.get(e.actor_id) if e.actor_id else None) for e in events
    ]
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="access_log",
        object_id=family.pk,
        detail={"page": page.number, "count": len(rows)},
    )
    return AccessLogPage(family=family, rows=rows, page=page)


def family_for_access_review(user: AnyUser, reference: str) -> Family:
    """The family with this opaque reference (e.g. ``EH-7K2Q9``), if ``user`` may review it.

    NotFound both when there is no such family and when it is out of the user's reach. The
    lookup is recorded as a search with its result count, never the reference typed.
    """
    found = Family.objects.filter(reference=reference.strip().upper()).first()
    try:
        family = _reviewable_family(user, found)
    except NotFound:
        _record_lookup(user, 0)
        raise NotFound("No family with that reference that you can review") from None
    _record_lookup(user, 1)
    return family


def _record_lookup(user: AnyUser, count: int) -> None:
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.SEARCH,
        object_type="access_log",
        detail={"count": count, "by": "reference"},
    )


# --- Refused access: bursts for the DPO -----------------------------------------------------

DENIALS_SHOWN = 200
RECENTLY_REVIEWED = 20


def may_review_denials(user: AnyUser) -> bool:
    return has_role(user, Role.DPO)


def open_denial_alert_count(user: AnyUser) -> int:
    if not may_review_denials(user):
        return 0
    return DenialAlert.objects.filter(reviewed_at__isnull=True).count()


@dataclass(frozen=True)
class DenialAlerts:
    open: list[DenialAlert]
    reviewed: list[DenialAlert]


def denial_alerts(user: AnyUser) -> DenialAlerts:
    """The bursts still to review, and the latest reviewed; the DPO's only."""
    if not may_review_denials(user):
        raise NotFound()
    alerts = DenialAlert.objects.select_related("user", "reviewed_by")
    result = DenialAlerts(
        open=list(alerts.filter(reviewed_at__isnull=True).order_by("-last_at")),
        reviewed=list(
            alerts.filter(reviewed_at__isnull=False).order_by("-reviewed_at")[:RECENTLY_REVIEWED]
        ),
    )
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="denial_alert",
        detail={"count": len(result.open) + len(result.reviewed), "list": True},
    )
    return result


@dataclass(frozen=True)
class RefusedRecord:
    event: AuditEvent
    family: Family | None  # the family refused, for a link to its access log

    @property
    def kind_label(self) -> str:
        return self.event.object_type.replace("_", " ")


@dataclass(frozen=True)
class DenialBurst:
    alert: DenialAlert
    refused: list[RefusedRecord]  # the newest DENIALS_SHOWN
    by_kind: list[tuple[str, int]]  # every refusal in the burst, by kind of record


def denial_burst(user: AnyUser, alert_id: UUID | str) -> DenialBurst:
    """One burst: which records the user was refused, from the audit trail."""
    if not may_review_denials(user):
        raise NotFound()
    alert = (
        DenialAlert.objects.select_related("user", "reviewed_by")
        .filter(pk=parse_id(alert_id))
        .first()
    )
    if alert is None:
        raise NotFound()
    events = AuditEvent.objects.filter(
        actor_id=alert.user_id,
        action=Action.DENIED,
        at__gte=alert.first_at,
        at__lte=alert.last_at,
    )
    by_kind = list(
        events.values("object_type").annotate(n=Count("seq")).order_by("-n", "object_type")
    )
    shown = list(events.order_by("-seq")[:DENIALS_SHOWN])
    family_ids = {e.object_id for e in shown if e.object_type == "family"}
    families = {str(f.pk): f for f in Family.objects.filter(pk__in=family_ids)}
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="denial_alert",
        object_id=alert.pk,
    )
    return DenialBurst(
        alert=alert,
        refused=[RefusedRecord(event=e, family=families.get(e.object_id)) for e in shown],
        by_kind=[(row["object_type"].replace("_", " "), row["n"]) for row in by_kind],
    )
