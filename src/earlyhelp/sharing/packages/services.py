"""Disclosure packages: build, submit, approve (four eyes), release, expire.

The life of a package: DRAFT -> AWAITING_APPROVAL -> APPROVED -> RELEASED -> EXPIRED, or
REJECTED (the manager said no) or REFUSED (the sharing check said no).

Both approval and release call ``sharing.policy.check_sharing`` (recorded in the audit
trail) with the package's people, the scopes of its items and its gateway decision, if any:

- at approval, *needs authorisation* (a gateway decision still waiting for a manager) is
  refused as a 409 and the package stays waiting, so the manager can authorise the decision
  and then approve; *refused* makes the package REFUSED;
- at release, anything but *allowed* (an agreement withdrawn since approval, say) makes the
  package REFUSED and nothing is built, stored or logged.

Release builds the PDF and the AES-256 zip, stores the zip until
``EARLYHELP_DISCLOSURE_PACKAGE_DAYS`` have passed, writes one disclosure log line per
included person, and returns the passphrase to the caller: it is never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Contact, ContactAttachment, TimelineKind
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.plans.models import PlanVersion
from earlyhelp.sharing.decisions import mark_released
from earlyhelp.sharing.disclosure_log import log_disclosure
from earlyhelp.sharing.models import (
    DisclosureChannel,
    DisclosurePackage,
    PackageStatus,
    SharingDecision,
)
from earlyhelp.sharing.packages import archive, rules
from earlyhelp.sharing.packages.items import (
    ItemRef,
    ItemType,
    current_plan_versions,
    refs_of,
    scopes_for,
)
from earlyhelp.sharing.packages.render import build_content, render_pdf
from earlyhelp.sharing.permissions import can_record_sharing
from earlyhelp.sharing.policy import OutputPath, SharingCheck, Verdict, check_sharing, decide
from earlyhelp.sharing.recipients import resolve_recipient

MAX_PURPOSE = 2000
MAX_NOTE = 5000
MAX_ITEMS = 200
LINK_NAME = "packages:detail"


@dataclass
class PackageInput:
    recipient_organisation: UUID | None = None
    recipient_contact: UUID | None = None
    purpose: str = ""
    items: list[dict[str, str]] = field(default_factory=list)
    people: list[UUID] = field(default_factory=list)
    decision: UUID | None = None


def _recipient(data: PackageInput) -> tuple[Organisation, PartnerContact | None]:
    return resolve_recipient(data.recipient_organisation, data.recipient_contact)


def _parse_items(raw: list[dict[str, str]]) -> list[ItemRef]:
    if not raw:
        raise InvalidInput("Choose what goes in the package.", field="items")
    if len(raw) > MAX_ITEMS:
        raise InvalidInput(f"A package holds at most {MAX_ITEMS} items.", field="items")
    refs: list[ItemRef] = []
    for index, item in enumerate(raw):
        try:
            ref = ItemRef(ItemType(str(item.get("type"))), UUID(str(item.get("id"))))
        except ValueError:
            raise InvalidInput(
                "Each item needs a type (plan_version, assessment, contact or attachment) "
                "and an id.",
                field=f"items.{index}",
            ) from None
        if ref in refs:
            raise InvalidInput("This item is already in the package.", field=f"items.{index}")
        refs.append(ref)
    return refs


def _check_items_belong(family: Family, refs: list[ItemRef]) -> None:
    """Every item is this family's (a plan's current version, a note not deleted), and an
    attachment goes only with its case note."""
    ids = {t: {r.id for r in refs if r.type is t} for t in ItemType}
    found: dict[ItemType, set[UUID]] = {
        ItemType.PLAN_VERSION: {
            v.pk for v in current_plan_versions(family) if v.pk in ids[ItemType.PLAN_VERSION]
        },
        ItemType.ASSESSMENT: set(
            family.assessments.filter(pk__in=ids[ItemType.ASSESSMENT]).values_list("id", flat=True)
        ),
        ItemType.CONTACT: set(
            Contact.objects.filter(
                family=family, deleted_at__isnull=True, pk__in=ids[ItemType.CONTACT]
            ).values_list("id", flat=True)
        ),
    }
    attachment_notes = dict(
        ContactAttachment.objects.filter(
            pk__in=ids[ItemType.ATTACHMENT],
            contact__family=family,
            contact__deleted_at__isnull=True,
        ).values_list("id", "contact_id")
    )
    for index, ref in enumerate(refs):
        if ref.type is ItemType.ATTACHMENT:
            if ref.id not in attachment_notes:
                raise InvalidInput(
                    "Choose attachments of this family's case notes.", field=f"items.{index}"
                )
            if attachment_notes[ref.id] not in ids[ItemType.CONTACT]:
                raise InvalidInput(
                    "An attachment goes only with its case note: select the note too.",
                    field=f"items.{index}",
                )
        elif ref.id not in found[ref.type]:
            message = {
                ItemType.PLAN_VERSION: "Choose the current version of one of this family's plans.",
                ItemType.ASSESSMENT: "Choose one of this family's assessments.",
                ItemType.CONTACT: "Choose one of this family's case notes.",
            }[ref.type]
            raise InvalidInput(message, field=f"items.{index}")


def _people(family: Family, ids: list[UUID]) -> list[UUID]:
    chosen = list(dict.fromkeys(ids))
    if not chosen:
        raise InvalidInput(
            "Choose the people whose information goes. Everyone else is shown by their role.",
            field="people",
        )
    members = set(
        FamilyMembership.objects.filter(family=family, person_id__in=chosen).values_list(
            "person_id", flat=True
        )
    )
    for index, person_id in enumerate(chosen):
        if person_id not in members:
            raise InvalidInput("Choose members of this family.", field=f"people.{index}")
    return chosen


def _decision(
    family: Family, organisation: Organisation, decision_id: UUID | None
) -> SharingDecision | None:
    if decision_id is None:
        return None
    decision = SharingDecision.objects.filter(
        pk=decision_id, family=family, recipient_organisation=organisation
    ).first()
    if decision is None or not decision.gateway:
        raise InvalidInput(
            "Choose a sharing decision under a gateway for this family and recipient, or "
            "leave it empty to share with agreement.",
            field="decision",
        )
    return decision


@transaction.atomic
def create_package(*, actor: User, family: Family, data: PackageInput) -> DisclosurePackage:
    """A draft package of this family's items for one recipient."""
    if not can_record_sharing(actor, family):
        raise PermissionDenied(
            "Only the lead practitioner, or a practitioner or manager of the allocated team, "
            "can prepare a disclosure package while the case is open."
        )
    organisation, contact = _recipient(data)
    purpose = data.purpose.strip()
    if not purpose:
        raise InvalidInput("Enter the purpose the information is shared for.", field="purpose")
    if len(purpose) > MAX_PURPOSE:
        raise InvalidInput(
            f"The purpose must be {MAX_PURPOSE} characters or fewer.", field="purpose"
        )
    refs = _parse_items(data.items)
    _check_items_belong(family, refs)
    people = _people(family, data.people)
    decision = _decision(family, organisation, data.decision)
    package = DisclosurePackage.objects.create(
        family=family,
        recipient_organisation=organisation,
        recipient_contact=contact,
        purpose=purpose,
        items=[ref.as_json() for ref in refs],
        decision=decision,
        created_by=actor,
    )
    package.included_people.set(people)  # type: ignore[arg-type]  # ids are accepted
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="disclosure_package",
        object_id=package.pk,
        detail={
            "items": len(refs),
            "people": len(people),
            "scopes": scopes_for(refs),
            "gateway": decision is not None,
        },
    )
    return package


def people_of(package: DisclosurePackage) -> list[UUID]:
    """The included people's ids (uses a ``prefetch_related("included_people")``)."""
    return sorted((person.pk for person in package.included_people.all()), key=str)


def scopes_of(package: DisclosurePackage) -> list[str]:
    return scopes_for(refs_of(package.items))


def preview_check(package: DisclosurePackage) -> SharingCheck:
    """What the sharing check would say now (not recorded): shown on the preview."""
    return decide(
        family=package.family,
        recipient=package.recipient_organisation,
        people=people_of(package),
        scopes=scopes_of(package),
        path=OutputPath.DISCLOSURE_PACKAGE,
        decision=package.decision,
    )


def _check(actor: User, package: DisclosurePackage) -> SharingCheck:
    return check_sharing(
        actor=actor,
        family=package.family,
        recipient=package.recipient_organisation,
        people=people_of(package),
        scopes=scopes_of(package),
        path=OutputPath.DISCLOSURE_PACKAGE,
        decision=package.decision,
    )


def _locked(package: DisclosurePackage) -> DisclosurePackage:
    return (
        DisclosurePackage.objects.select_for_update(of=("self",))
        .select_related("family", "recipient_organisation", "recipient_contact", "decision")
        .get(pk=package.pk)
    )


def _event(actor: User, action: Action, package: DisclosurePackage, **detail: object) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="disclosure_package",
        object_id=package.pk,
        detail={"status": package.status, **detail},
    )


@transaction.atomic
def submit_package(*, actor: User, package: DisclosurePackage) -> DisclosurePackage:
    """The creator asks a team manager to approve the package."""
    package = _locked(package)
    if package.status != PackageStatus.DRAFT:
        raise Conflict("Only a draft package can be sent for approval.")
    if not rules.can_submit(actor, package):
        raise PermissionDenied("Only the person who prepared the package can send it for approval.")
    package.status = PackageStatus.AWAITING_APPROVAL
    package.submitted_at = timezone.now()
    package.save(update_fields=["status", "submitted_at"])
    _event(actor, Action.UPDATE, package)
    return package


@dataclass(frozen=True)
class Outcome:
    """The result of approving or releasing: what the sharing check said, and whether it
    went ahead. ``passphrase`` is set once, by a release, and must only be shown."""

    package: DisclosurePackage
    check: SharingCheck
    done: bool
    passphrase: str = field(default="", repr=False)


def _note(note: str, *, required: str | None = None) -> str:
    note = note.strip()
    if required and not note:
        raise InvalidInput(required, field="note")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"The note must be {MAX_NOTE} characters or fewer.", field="note")
    return note


def _require_decider(actor: User, package: DisclosurePackage) -> None:
    if package.status != PackageStatus.AWAITING_APPROVAL:
        raise Conflict("This package is not waiting for approval.")
    if not rules.can_decide(actor, package):
        raise PermissionDenied(
            "A team manager of the family's team, other than the person who prepared the "
            "package, approves it."
        )


def _refuse(actor: User, package: DisclosurePackage, check: SharingCheck) -> None:
    package.status = PackageStatus.REFUSED
    package.save(update_fields=["status"])
    _event(actor, Action.DECISION, package, verdict=check.verdict.value)


@transaction.atomic
def approve_package(*, actor: User, package: DisclosurePackage, note: str = "") -> Outcome:
    """A team manager (not the creator) approves, if the sharing check allows the release.

    Refused by the check: the package becomes REFUSED. Waiting for a gateway decision's
    authorisation: Conflict, and the package keeps waiting.
    """
    package = _locked(package)
    _require_decider(actor, package)
    note = _note(note)
    check = _check(actor, package)
    if check.verdict is Verdict.NEEDS_AUTHORISATION:
        raise Conflict(
            f"{check.reason} Authorise the sharing decision first, then approve the package."
        )
    if not check.allowed:
        package.approval_note = note
        _refuse(actor, package, check)
        return Outcome(package, check, done=False)
    package.status = PackageStatus.APPROVED
    package.approved_by = actor
    package.approved_at = timezone.now()
    package.approval_note = note
    package.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
    _event(actor, Action.DECISION, package, verdict=check.verdict.value)
    return Outcome(package, check, done=True)


@transaction.atomic
def reject_package(*, actor: User, package: DisclosurePackage, note: str) -> DisclosurePackage:
    """A team manager (not the creator) does not approve; the note says why."""
    package = _locked(package)
    _require_decider(actor, package)
    package.approval_note = _note(note, required="Say why you are not approving the package.")
    package.status = PackageStatus.REJECTED
    package.approved_by = actor
    package.approved_at = timezone.now()
    package.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
    _event(actor, Action.DECISION, package)
    return package


def _what(package: DisclosurePackage) -> str:
    refs = refs_of(package.items)
    counts = {t: sum(1 for r in refs if r.type is t) for t in ItemType}
    parts = []
    if counts[ItemType.PLAN_VERSION]:
        numbers = PlanVersion.objects.filter(
            pk__in=[r.id for r in refs if r.type is ItemType.PLAN_VERSION]
        ).values_list("number", flat=True)
        parts.append("family plan (version " + ", ".join(str(n) for n in numbers) + ")")
    for kind, one, many in (
        (ItemType.ASSESSMENT, "assessment", "assessments"),
        (ItemType.CONTACT, "case note", "case notes"),
        (ItemType.ATTACHMENT, "attachment", "attachments"),
    ):
        if counts[kind]:
            parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
    return "Disclosure package: " + ", ".join(parts)


def expiry_days() -> int:
    return int(getattr(settings, "EARLYHELP_DISCLOSURE_PACKAGE_DAYS", 14))


@transaction.atomic
def release_package(*, actor: User, package: DisclosurePackage) -> Outcome:
    """Build and keep the encrypted package; the returned passphrase is shown once only.

    Nothing is built, stored or logged unless the sharing check allows it now.
    """
    package = _locked(package)
    if package.status != PackageStatus.APPROVED:
        raise Conflict("Only an approved package can be released.")
    if not rules.can_release(actor, package):
        raise PermissionDenied("Only the person who prepared the package can release it.")
    check = _check(actor, package)
    if not check.allowed:
        _refuse(actor, package, check)
        return Outcome(package, check, done=False)

    content = build_content(package)
    pdf = render_pdf(content)
    passphrase = archive.new_passphrase()
    data = archive.build_zip(
        passphrase=passphrase,
        pdf=pdf,
        attachments=[
            (f.archive_name, archive.attachment_bytes(f.stored_name)) for f in content.files
        ],
    )
    stored = archive.store(data)
    now = timezone.now()
    package.status = PackageStatus.RELEASED
    package.released_by = actor
    package.released_at = now
    package.stored_file = stored
    package.file_size = len(data)
    package.expires_at = now + timedelta(days=expiry_days())
    try:
        package.save(
            update_fields=[
                "status",
                "released_by",
                "released_at",
                "stored_file",
                "file_size",
                "expires_at",
            ]
        )
        people = people_of(package)
        scopes = scopes_of(package)
        log_disclosure(
            actor=actor,
            family=package.family,
            people=people,
            check=check,
            channel=DisclosureChannel.PACKAGE,
            what=_what(package),
            scopes=scopes,
            recipient=package.recipient_organisation,
            contact=package.recipient_contact,
            package=package,
            approved_by=package.approved_by,
        )
        if package.decision is not None:
            mark_released(package.decision)
        _event(
            actor,
            Action.SHARE,
            package,
            organisation=package.recipient_organisation_id,
            basis=check.basis.value,
            people=len(people),
            files=len(content.files),
        )
        timeline.record_entry(
            family=package.family,
            kind=TimelineKind.SHARING,
            occurred_at=now,
            object_type="disclosure_package",
            object_id=package.pk,
            title="Disclosure package released",
            summary=package.recipient_organisation.name,
            people=people,
            link_name=LINK_NAME,
            recorded_by=actor,
        )
    except BaseException:
        archive.delete(stored)
        raise
    return Outcome(package, check, done=True, passphrase=passphrase)


@dataclass(frozen=True)
class PurgeResult:
    expired: int
    files_deleted: int


def purge_expired_packages(*, now: datetime | None = None) -> PurgeResult:
    """Delete the zips of packages past their expiry; mark them EXPIRED. Idempotent."""
    now = now or timezone.now()
    due = DisclosurePackage.objects.filter(
        status=PackageStatus.RELEASED, expires_at__lte=now
    ).values_list("id", flat=True)
    expired = files_deleted = 0
    for package_id in list(due):
        with transaction.atomic():
            package = (
                DisclosurePackage.objects.select_for_update()
                .filter(pk=package_id, status=PackageStatus.RELEASED)
                .first()
            )
            if package is None:
                continue
            if package.stored_file:
                archive.delete(package.stored_file)
                files_deleted += 1
            package.status = PackageStatus.EXPIRED
            package.file_deleted_at = now
            package.save(update_fields=["status", "file_deleted_at"])
            record_event(
                actor=None,
                action=Action.DELETE,
                object_type="disclosure_package",
                object_id=package.pk,
                detail={"status": package.status, "purge": True},
            )
            expired += 1
    return PurgeResult(expired=expired, files_deleted=files_deleted)
