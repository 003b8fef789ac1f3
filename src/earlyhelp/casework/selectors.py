"""Reads of families and episodes: the gatekeepers every view and endpoint goes through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.denials import record_denial
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Episode, TimelineEntry
from earlyhelp.casework.permissions import can_view_family, visible_families
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Address, Family, FamilyMembership
from earlyhelp.restricted.scope import active_person_restrictions


def get_family_for_user(user: AnyUser, family_id: UUID | str, *, purpose: str = "") -> Family:
    """The family, if ``user`` may see it; NotFound otherwise (never revealing it exists).

    Every successful read is audited in the same transaction as the caller's work.
    """
    family = Family.objects.filter(pk=parse_id(family_id)).first()
    if family is None:
        raise NotFound()
    if not can_view_family(user, family):
        # The same 404 as for no such family, but audited: a burst alerts the DPO.
        record_denial(actor=user, object_type="family", object_id=family.pk)
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="family",
        object_id=family.pk,
        purpose=purpose,
    )
    return family


@dataclass(frozen=True)
class FamilyRecord:
    family: Family
    memberships: Sequence[FamilyMembership]
    open_episode: Episode | None
    episodes: list[Episode]

    @property
    def restricted_members(self) -> list[FamilyMembership]:
        return [m for m in self.memberships if getattr(m, "person_restricted", False)]

    @property
    def has_confidential_address(self) -> bool:
        return any(
            address.confidential
            for membership in self.memberships
            for address in membership.person.current_addresses  # type: ignore[attr-defined]
        )


def family_record(user: AnyUser, family_id: UUID | str) -> FamilyRecord:
    family = get_family_for_user(user, family_id)
    current_addresses = Address.objects.filter(current=True).order_by("created_at")
    memberships = list(
        family.memberships.select_related("person")
        # Marked on each member (no extra query): a restricted member closes the family, and
        # the users allowed to open it should know why (docs/decisions/0007).
        .annotate(
            person_restricted=Exists(
                active_person_restrictions().filter(person_id=OuterRef("person_id"))
            )
        )
        .prefetch_related(
            Prefetch("person__addresses", queryset=current_addresses, to_attr="current_addresses")
        )
        .order_by("role", "person__date_of_birth")
    )
    episodes = list(
        family.episodes.select_related("team", "lead_practitioner").order_by("-opened_at")
    )
    open_episode = next((e for e in episodes if e.is_open), None)
    return FamilyRecord(
        family=family, memberships=memberships, open_episode=open_episode, episodes=episodes
    )


def my_families(user: AnyUser) -> QuerySet[Family]:
    """Families the user can see, with their open episode's team and lead prefetched.

    A list of families is itself personal data: the caller audits the page view.
    """
    open_episodes = Episode.objects.filter(closed_at__isnull=True).select_related(
        "team", "lead_practitioner"
    )
    return (
        visible_families(user)
        .prefetch_related(
            Prefetch("episodes", queryset=open_episodes, to_attr="open_episodes"),
            Prefetch("memberships", queryset=FamilyMembership.objects.select_related("person")),
        )
        .order_by("-created_at")
    )


def family_timeline(
    record: FamilyRecord, *, kind: str | None = None, person_id: UUID | None = None
) -> QuerySet[TimelineEntry]:
    """The timeline of a family already read through the gatekeeper (``family_record``).

    Taking the record rather than an id means the permission check and the audited read
    cannot be skipped: there is no way to get a FamilyRecord without them.
    """
    member_ids = {membership.person_id for membership in record.memberships}
    if person_id is not None and person_id not in member_ids:
        person_id = None
    return timeline.entries_for(record.family, kind=kind, person_id=person_id)
