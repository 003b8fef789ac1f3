"""Writes for referrals: recording one from any channel, and the triage decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.accounts.services import get_user_by_username, team_by_slug
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Episode, TimelineKind
from earlyhelp.casework.services import open_episode
from earlyhelp.core import codelists, files
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.core.identifiers import IdentifierError, normalise_nhs_number, normalise_postcode
from earlyhelp.datamap.models import PrivacyNotice
from earlyhelp.people.models import Family, FamilyRole, Person, Sex
from earlyhelp.people.permissions import searchable_people
from earlyhelp.people.services import add_to_family, create_family, create_person
from earlyhelp.referrals.models import (
    Channel,
    Outcome,
    Referral,
    ReferralAttachment,
    ReferralPerson,
    Status,
)
from earlyhelp.referrals.permissions import can_record_referral, can_triage


@dataclass
class PersonInput:
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    sex: str = Sex.UNKNOWN
    role: str = FamilyRole.CHILD
    nhs_number: str = ""


@dataclass
class ReferralInput:
    channel: str
    source: str
    received_at: datetime
    referrer_name: str
    referrer_organisation: str = ""
    referrer_role: str = ""
    referrer_phone: str = ""
    referrer_email: str = ""
    family_aware: bool | None = None
    family_consents: bool | None = None
    address_line1: str = ""
    address_town: str = ""
    address_postcode: str = ""
    people: list[PersonInput] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    summary: str = ""


def _clean(data: ReferralInput) -> ReferralInput:
    """Business-rule validation shared by the staff form, the public form and the API.

    Forms and the API schema check field formats first; this is the backstop every channel
    passes through, naming the field path of the first problem.
    """
    if data.channel not in Channel.values:
        raise InvalidInput("Choose how the referral was received.", field="channel")
    codelists.validate_code("referral_sources", data.source, field="source")
    if not data.referrer_name.strip():
        raise InvalidInput("Enter the referrer's name.", field="referrer.name")
    if data.received_at > timezone.now():
        raise InvalidInput("The date received cannot be in the future.", field="received_at")
    if not data.people:
        raise InvalidInput("Name at least one person the referral is about.", field="people")
    if data.address_postcode:
        try:
            data.address_postcode = normalise_postcode(data.address_postcode)
        except IdentifierError as exc:
            raise InvalidInput(str(exc), field="address.postcode") from None
    for index, person in enumerate(data.people):
        if not (person.first_name.strip() or person.last_name.strip()):
            raise InvalidInput("Enter the person's name.", field=f"people.{index}.first_name")
        if person.role not in FamilyRole.values:
            raise InvalidInput("Choose the person's role.", field=f"people.{index}.role")
        if person.sex not in Sex.values:
            raise InvalidInput("Choose the person's sex.", field=f"people.{index}.sex")
        if person.date_of_birth and person.date_of_birth > timezone.localdate():
            raise InvalidInput(
                "Date of birth must be in the past.", field=f"people.{index}.date_of_birth"
            )
        if person.nhs_number:
            try:
                person.nhs_number = normalise_nhs_number(person.nhs_number)
            except IdentifierError as exc:
                raise InvalidInput(str(exc), field=f"people.{index}.nhs_number") from None
    codelists.validate_codes("referral_reasons", data.reasons, field="reasons")
    return data


@transaction.atomic
def create_referral(
    *,
    actor: User | None,
    data: ReferralInput,
    privacy_notice: PrivacyNotice | None = None,
    attachments: list[IO[bytes]] | None = None,
    attachment_names: list[str] | None = None,
) -> Referral:
    """Record a referral. ``actor`` is None only for the public online form."""
    if actor is not None and not can_record_referral(actor):
        raise PermissionDenied("Your role does not include recording referrals.")
    if actor is None and data.channel != Channel.ONLINE_FORM:
        raise PermissionDenied("Only online-form referrals can be made without signing in.")
    data = _clean(data)
    stored: list[files.StoredFile] = []
    try:
        for upload in attachments or []:
            stored.append(files.store(upload))
        referral = Referral.objects.create(
            channel=data.channel,
            source=data.source,
            received_at=data.received_at,
            recorded_by=actor,
            referrer_name=data.referrer_name.strip(),
            referrer_organisation=data.referrer_organisation.strip(),
            referrer_role=data.referrer_role.strip(),
            referrer_phone=data.referrer_phone.strip(),
            referrer_email=data.referrer_email.strip(),
            family_aware=data.family_aware,
            family_consents=data.family_consents,
            address_line1=data.address_line1.strip(),
            address_town=data.address_town.strip(),
            address_postcode=data.address_postcode,
            reasons=data.reasons,
            summary=data.summary.strip(),
            privacy_notice=privacy_notice,
        )
        ReferralPerson.objects.bulk_create(
            ReferralPerson(
                referral=referral,
                first_name=p.first_name.strip(),
                last_name=p.last_name.strip(),
                date_of_birth=p.date_of_birth,
                sex=p.sex,
                role=p.role,
                nhs_number=p.nhs_number,
            )
            for p in data.people
        )
        names = attachment_names or []
        for index, item in enumerate(stored):
            ReferralAttachment.objects.create(
                referral=referral,
                original_name=(names[index] if index < len(names) else "attachment")[:255],
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                stored_name=item.stored_name,
            )
    except Exception:
        # The transaction rolls back the rows; the files are ours to remove.
        for item in stored:
            files.delete(item.stored_name)
        raise
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="referral",
        object_id=referral.pk,
        detail={"channel": data.channel, "people": len(data.people), "files": len(stored)},
    )
    return referral


@dataclass
class Decision:
    outcome: str
    team_slug: str | None = None
    lead_practitioner: str | None = None  # username
    signposted_to: str = ""
    # ReferralPerson id -> existing Person id to link to; unlisted people are created new.
    links: dict[int, UUID] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionResult:
    referral: Referral
    family_id: UUID | None
    episode_id: UUID | None


def _linked_people(actor: User, referral: Referral, links: dict[int, UUID]) -> dict[int, Person]:
    named = {p.pk: p for p in referral.people.all()}
    unknown = set(links) - set(named)
    if unknown:
        raise InvalidInput("A link names someone not in this referral.", field="links")
    people = {p.pk: p for p in searchable_people(actor).filter(pk__in=list(links.values()))}
    resolved: dict[int, Person] = {}
    for referral_person_id, person_id in links.items():
        if person_id not in people:
            raise NotFound("A person to link to was not found.")
        resolved[referral_person_id] = people[person_id]
    return resolved


def _existing_family_ids(people: list[Person]) -> list[UUID]:
    ids: list[UUID] = []
    for person in people:
        for membership in person.memberships.all():
            if membership.family_id not in ids:
                ids.append(membership.family_id)
    return ids


# What a declined referral keeps (decision 0003): who referred, when, through which channel,
# the kind of source, and the decision with who made it and when. Every other field of the
# referral is emptied, so a field added to the model later is minimised unless it is named
# here on purpose.
MINIMAL_RECORD_FIELDS: frozenset[str] = frozenset(
    {
        "id",
        "reference",
        "channel",
        "source",
        "received_at",
        "recorded_at",
        "recorded_by",
        "privacy_notice",
        "referrer_name",
        "referrer_organisation",
        "referrer_role",
        "status",
        "outcome",
        "decided_at",
        "decided_by",
        "minimised_at",
    }
)
# A referral the family made themselves: the referrer *is* a family member (a parent, a young
# person), so their name would keep the family's identity in the minimal record. The kind of
# source ("The family (self-referral)") says who referred instead.
SELF_REFERRAL_SOURCE = "self_or_family"
REFERRER_IDENTITY_FIELDS: frozenset[str] = frozenset(
    {"referrer_name", "referrer_organisation", "referrer_role"}
)


def kept_when_declined(referral: Referral) -> frozenset[str]:
    """The fields of ``referral`` its minimal record keeps once the family declines."""
    if referral.source == SELF_REFERRAL_SOURCE:
        return MINIMAL_RECORD_FIELDS - REFERRER_IDENTITY_FIELDS
    return MINIMAL_RECORD_FIELDS


def _empty_value(field: models.Field[Any, Any]) -> Any:
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.CharField | models.TextField):
        return ""
    # A new field with no empty value: the minimal record cannot be made without a decision
    # about it, so the decline fails loudly rather than keeping it.
    raise TypeError(f"Referral.{field.name} has no empty value to minimise it to.")


def _minimise(referral: Referral) -> None:
    """Keep only the fact of the referral and of the decline (privacy notice promise).

    The people, address, reasons, summary, contact details and documents are deleted now,
    and every field not in the minimal record is emptied (``kept_when_declined``).
    """
    for attachment in referral.attachments.all():
        files.delete(attachment.stored_name)
    referral.attachments.all().delete()
    referral.people.all().delete()
    kept = kept_when_declined(referral)
    for model_field in Referral._meta.concrete_fields:
        if model_field.name not in kept:
            setattr(referral, model_field.attname, _empty_value(model_field))
    referral.minimised_at = timezone.now()


@transaction.atomic
def record_decision(*, actor: User, referral: Referral, decision: Decision) -> DecisionResult:
    """The duty desk's triage decision: exactly one per referral."""
    if not can_triage(actor):
        raise PermissionDenied("Your role does not include triaging referrals.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Status.AWAITING_TRIAGE:
        raise Conflict("A decision has already been recorded for this referral.")
    if decision.outcome not in Outcome.values:
        raise InvalidInput("Choose an outcome.", field="outcome")
    outcome = Outcome(decision.outcome)
    family_id: UUID | None = None
    episode: Episode | None = None

    if outcome is Outcome.SIGNPOSTED:
        if not decision.signposted_to.strip():
            raise InvalidInput(
                "Name the services the family was signposted to.", field="signposted_to"
            )
        referral.signposted_to = decision.signposted_to.strip()
    elif outcome is Outcome.DECLINED:
        _minimise(referral)
    elif outcome in (Outcome.ACCEPTED, Outcome.LINKED):
        linked = _linked_people(actor, referral, decision.links)
        existing_families = _existing_family_ids(list(linked.values()))
        if outcome is Outcome.LINKED:
            episode = Episode.objects.filter(
                family_id__in=existing_families, closed_at__isnull=True
            ).first()
            if episode is None:
                raise Conflict(
                    "None of the linked people's families has an open episode.",
                )
            family_id = episode.family_id
        else:
            if not decision.team_slug:
                raise InvalidInput("Choose the team to allocate the family to.", field="team")
            team = team_by_slug(decision.team_slug)
            lead = (
                get_user_by_username(decision.lead_practitioner)
                if decision.lead_practitioner
                else None
            )
            # People already known to a family join that family; otherwise a new one.
            family = (
                Family.objects.get(pk=existing_families[0])
                if existing_families
                else create_family(actor=actor)
            )
            for named in referral.people.all():
                person = linked.get(named.pk) or create_person(
                    actor=actor,
                    first_name=named.first_name,
                    last_name=named.last_name,
                    date_of_birth=named.date_of_birth,
                    sex=named.sex,
                    nhs_number=named.nhs_number,
                    address_line1=referral.address_line1,
                    address_town=referral.address_town,
                    address_postcode=referral.address_postcode,
                )
                named.person = person
                named.save(update_fields=["person"])
                add_to_family(actor=actor, family=family, person=person, role=named.role)
            episode = open_episode(actor=actor, family=family, team=team, lead=lead)
            family_id = family.pk
        referral.family_id = family_id
        referral.episode = episode

    if family_id is not None:
        timeline.record_entry(
            family=Family.objects.get(pk=family_id),
            kind=TimelineKind.REFERRAL,
            occurred_at=referral.received_at,
            object_type="referral",
            object_id=referral.pk,
            title=f"Referral {referral.reference} ({referral.get_channel_display()}): "
            f"{outcome.label}",
            summary=referral.summary,
            people=[named.person_id for named in referral.people.all() if named.person_id],
            link_name="referrals:detail",
            recorded_by=actor,
        )
    referral.status = Status.DECIDED
    referral.outcome = outcome
    referral.decided_at = timezone.now()
    referral.decided_by = actor
    referral.save()
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="referral",
        object_id=referral.pk,
        detail={"outcome": outcome.value},
    )
    return DecisionResult(
        referral=referral, family_id=family_id, episode_id=episode.pk if episode else None
    )
