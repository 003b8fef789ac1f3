"""What a ``partner`` user (a Team Around the Family member outside the council) may see.

A partner user is linked to one professional in the partner directory
(``PartnerContact.user``, set by ``partners.services.link_partner_user``). Everything they
see follows from two things: the plans that name that professional, and the agreements
the family gave their organisation. The rules (issue 5 section 4, domain.md section 5):

- **Which families.** Those whose *active* plan's *current* version names the contact as a
  TAF member (:func:`partner_families`). A contact who is deactivated, or whose
  organisation is, sees nothing; so does a partner user linked to no contact.
- **The plan decides whether the family exists for them.** Every read and every write
  first calls ``sharing.policy.check_sharing`` for the PLAN scope, path PARTNER_READ,
  recipient the contact's organisation, for the people the plan names (everyone in the
  family when it names no one). Unless it allows -- no agreement, an agreement withdrawn or
  for another recipient or scope, a recorded decision not to share, or a family member's
  objection to sharing the plan -- the family is invisible: it is not listed and every page
  and API operation about it answers 404, as for a family that does not exist. That covers
  the partner's own actions and contributions too: "members see only what they contribute"
  (domain.md section 5) is met by showing nothing rather than a partial plan, and while
  the plan is hidden the practitioner records the partner's updates on the staff side.
- **Other scopes.** Authorised assessments only if the ASSESSMENTS scope is allowed; case
  notes only if CASE_NOTES is allowed, and then only notes whose subjects are all people
  the plan names (not deleted, not naming another family's member). Health and education
  scopes have no partner page of their own.
- **Never addresses, never people the plan does not name.** No address field is ever read
  into partner output, and in the text that is shown (outcomes, actions, assessments,
  notes) the names of household members the plan does not name are replaced by their role
  (``[other household member]``) and any family member's address lines and postcodes by
  ``[address removed]``. Needs and voices of people the plan does not name are left out.
- **Every read is recorded.** A partner's read of a family is audited (``view``, purpose
  ``partner``), each sharing check is recorded by the policy, and what was shown is written
  to the disclosure log (channel PARTNER_READ), one line per person per scope shown. The
  list of families shows references, plan versions and dates only -- no one's name -- and
  is audited as a list view; opening a family is the disclosure.
- The list applies the same rule as ``check_sharing`` for the PLAN scope, evaluated for all
  of the partner's families in a fixed number of queries (:func:`_plan_allowed`); the
  tests hold it to ``sharing.policy.decide`` case by case. The family page and every write
  still go through ``check_sharing`` itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role
from earlyhelp.assessments.models import Assessment, AssessmentNeed
from earlyhelp.audit.denials import record_denial
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import Contact, ContactSubject, ContactVoice
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.partners.models import PartnerContact
from earlyhelp.people.models import Address, Family, FamilyMembership, FamilyRole
from earlyhelp.plans.models import (
    ActionStatus,
    FamilyPlan,
    PlanAction,
    PlanObjection,
    PlanOutcome,
    PlanStatus,
    PlanVersion,
    TafMember,
)
from earlyhelp.plans.printing import PrintablePlan, plan_people_ids, printable_plan
from earlyhelp.restricted.scope import restricted_family_ids
from earlyhelp.sharing.disclosure_log import log_disclosure
from earlyhelp.sharing.models import (
    Agreement,
    AgreementKind,
    DecisionOutcome,
    DisclosureChannel,
    PartnerContribution,
    Scope,
    SharingDecision,
)
from earlyhelp.sharing.policy import OutputPath, SharingCheck, check_sharing

PURPOSE = "partner"
MAX_NOTES = 20
OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
ADDRESS_REMOVED = "[address removed]"


# --- Who the partner is -----------------------------------------------------------------------


def partner_contact(user: AnyUser) -> PartnerContact | None:
    """The active directory contact a partner user signs in as, or None."""
    if not user.is_authenticated or not has_role(user, Role.PARTNER):
        return None
    return (
        PartnerContact.objects.select_related("organisation")
        .filter(user_id=user.pk, active=True, organisation__active=True)
        .first()
    )


def is_partner(user: AnyUser) -> bool:
    return has_role(user, Role.PARTNER)


# --- Which families name them -----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A family whose active plan's current version names the contact."""

    family_id: UUID
    reference: str
    plan_id: UUID
    version_id: UUID
    version_number: int
    next_review_due: date


def _naming_members(contact: PartnerContact) -> QuerySet[TafMember]:
    latest = (
        PlanVersion.objects.filter(plan_id=OuterRef("version__plan_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    # A restricted family is hidden from every partner (no partner is on an access list, and
    # break-glass is for council staff): not listed, not opened.
    return (
        TafMember.objects.filter(contact=contact, version__plan__status=PlanStatus.ACTIVE)
        .exclude(version__plan__family_id__in=restricted_family_ids())
        .annotate(latest=Subquery(latest))
        .filter(version__number=F("latest"))
    )


def _candidates(contact: PartnerContact, family_id: UUID | None = None) -> list[Candidate]:
    members = _naming_members(contact)
    if family_id is not None:
        members = members.filter(version__plan__family_id=family_id)
    rows = members.order_by("version__plan__family__reference", "-version__plan__created_at")
    found: dict[UUID, Candidate] = {}
    for row in rows.values_list(
        "version__plan__family_id",
        "version__plan__family__reference",
        "version__plan_id",
        "version_id",
        "version__number",
        "version__plan__next_review_due",
    ):
        # One plan per family (the newest active one, should there ever be two).
        found.setdefault(row[0], Candidate(*row))
    return list(found.values())


def partner_families(user: AnyUser) -> QuerySet[Family]:
    """Families whose active plan's current version names the user's contact.

    Whether each may be shown is the sharing check's decision (:func:`listed_families`,
    :func:`open_family`); this is only the first condition.
    """
    contact = partner_contact(user)
    if contact is None:
        return Family.objects.none()
    return Family.objects.filter(pk__in=_naming_members(contact).values("version__plan__family_id"))


# --- The PLAN check for many families at once (the list page) ----------------------------------


def _people_by_version(candidates: list[Candidate]) -> dict[UUID, set[UUID]]:
    """``plan_people_ids`` for each candidate's version, or everyone in the family when the
    plan names no one (the subjects ``check_sharing`` is asked about)."""
    version_ids = [c.version_id for c in candidates]
    people: dict[UUID, set[UUID]] = defaultdict(set)
    through = PlanOutcome.people.through
    for version_id, person_id in through._default_manager.filter(
        planoutcome__version_id__in=version_ids
    ).values_list("planoutcome__version_id", "person_id"):
        people[version_id].add(person_id)
    for version_id, person_id in PlanAction.objects.filter(
        version_id__in=version_ids, owner_person__isnull=False
    ).values_list("version_id", "owner_person_id"):
        people[version_id].add(person_id)
    for version_id, person_id in TafMember.objects.filter(
        version_id__in=version_ids, person__isnull=False
    ).values_list("version_id", "person_id"):
        people[version_id].add(person_id)
    members: dict[UUID, set[UUID]] = defaultdict(set)
    for family_id, person_id in FamilyMembership.objects.filter(
        family_id__in=[c.family_id for c in candidates]
    ).values_list("family_id", "person_id"):
        members[family_id].add(person_id)
    return {c.version_id: people[c.version_id] or members[c.family_id] for c in candidates}


def _plan_allowed(contact: PartnerContact, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates ``check_sharing`` would allow the PLAN scope for, in fixed queries.

    The same rules as ``sharing.policy.decide`` for an agreement-based PARTNER_READ of the
    plan: an objection standing on the family's active plan refuses; so does a latest
    recorded decision not to share with the organisation; otherwise every person must have
    an active agreement to share with the organisation (named, or its kind) covering the
    plan, given on or before today.
    """
    organisation = contact.organisation
    if not candidates or not organisation.active:
        return []
    family_ids = [c.family_id for c in candidates]
    people = _people_by_version(candidates)
    objected = set(
        PlanObjection.objects.filter(
            plan__family_id__in=family_ids,
            plan__status=PlanStatus.ACTIVE,
            withdrawn_on__isnull=True,
        ).values_list("plan__family_id", flat=True)
    )
    latest_outcome: dict[UUID, str] = {}
    for family_id, outcome in (
        SharingDecision.objects.filter(
            family_id__in=family_ids, recipient_organisation=organisation
        )
        .order_by("family_id", "-decided_on", "-recorded_at")
        .values_list("family_id", "outcome")
    ):
        latest_outcome.setdefault(family_id, outcome)
    covered: dict[UUID, set[UUID]] = defaultdict(set)  # family -> people with a PLAN agreement
    for family_id, person_id, scopes in Agreement.objects.filter(
        Q(recipient_organisation=organisation)
        | Q(recipient_organisation__isnull=True, recipient_kind=organisation.kind),
        family_id__in=family_ids,
        kind=AgreementKind.SHARE,
        withdrawn_on__isnull=True,
        given_on__lte=timezone.localdate(),
    ).values_list("family_id", "person_id", "scopes"):
        if Scope.PLAN in (scopes or []):
            covered[family_id].add(person_id)
    return [
        c
        for c in candidates
        if c.family_id not in objected
        and latest_outcome.get(c.family_id) != DecisionOutcome.NOT_SHARE
        and people[c.version_id]
        and people[c.version_id] <= covered[c.family_id]
    ]


@dataclass(frozen=True)
class FamilyRow:
    family_id: UUID
    reference: str
    version_number: int
    next_review_due: date
    my_open_actions: int


@dataclass(frozen=True)
class FamilyList:
    contact: PartnerContact | None
    rows: list[FamilyRow]


def listed_families(user: AnyUser) -> FamilyList:
    """The partner's families whose plan they may see, by reference, with their own open
    actions counted. No one's name is read. The caller audits the page it shows
    (:func:`audit_list`)."""
    contact = partner_contact(user)
    if contact is None:
        return FamilyList(contact=None, rows=[])
    allowed = _plan_allowed(contact, _candidates(contact))
    open_counts: dict[UUID, int] = defaultdict(int)
    for version_id in PlanAction.objects.filter(
        version_id__in=[c.version_id for c in allowed],
        owner_contact=contact,
        status__in=OPEN_ACTION_STATUSES,
    ).values_list("version_id", flat=True):
        open_counts[version_id] += 1
    rows = [
        FamilyRow(
            family_id=c.family_id,
            reference=c.reference,
            version_number=c.version_number,
            next_review_due=c.next_review_due,
            my_open_actions=open_counts[c.version_id],
        )
        for c in allowed
    ]
    return FamilyList(contact=contact, rows=rows)


def audit_list(user: AnyUser, count: int) -> None:
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="family",
        purpose=PURPOSE,
        detail={"count": count, "list": True},
    )


# --- The gatekeeper for one family -------------------------------------------------------------


@dataclass(frozen=True)
class PartnerAccess:
    """A family the partner may see: their contact, the plan and the allowing PLAN check."""

    contact: PartnerContact
    family: Family
    plan: FamilyPlan
    version: PlanVersion
    plan_people: list[UUID]  # the people the plan names (whose names may be shown)
    subjects: list[UUID]  # whose agreement the check needed (everyone if it names no one)
    plan_check: SharingCheck


def open_family(user: AnyUser, family_id: UUID | str) -> PartnerAccess:
    """The family for a partner, or NotFound: not a partner, not named in the family's
    current plan, or the PLAN sharing check (recorded) refuses."""
    contact = partner_contact(user)
    pk = parse_id(family_id)
    found = _candidates(contact, pk) if contact is not None else []
    if contact is None or not found:
        if Family.objects.filter(pk=pk).exists():
            # The same 404 as for no such family, but audited: a burst alerts the DPO.
            record_denial(actor=user, object_type="family", object_id=pk)
        raise NotFound()
    candidate = found[0]
    version = PlanVersion.objects.select_related("plan__family").get(pk=candidate.version_id)
    plan = version.plan
    people = list(plan_people_ids(version))
    subjects = people or list(
        plan.family.memberships.order_by("pk").values_list("person_id", flat=True)
    )
    check = check_sharing(
        actor=user,  # type: ignore[arg-type]
        family=plan.family,
        recipient=contact.organisation,
        people=subjects,
        scopes=[Scope.PLAN],
        path=OutputPath.PARTNER_READ,
    )
    if not check.allowed:
        raise NotFound()
    return PartnerAccess(
        contact=contact,
        family=plan.family,
        plan=plan,
        version=version,
        plan_people=people,
        subjects=subjects,
        plan_check=check,
    )


# --- Keeping other people's details out of text ---------------------------------------------


_ROLE_LABELS = {
    FamilyRole.CHILD: "[a child in the family]",
    FamilyRole.PARENT_OR_CARER: "[a parent or carer]",
    FamilyRole.SIBLING: "[a sibling]",
    FamilyRole.OTHER_HOUSEHOLD_MEMBER: "[other household member]",
    FamilyRole.SIGNIFICANT_OTHER: "[significant other]",
}


def _pattern(text: str) -> str:
    # Whole words, any run of spaces between them.
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in text.split()) + r"(?!\w)"


@dataclass
class Redactor:
    """Replaces the names of family members the plan does not name with their role, and any
    family member's address lines and postcodes with ``[address removed]``."""

    replacements: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    @classmethod
    def for_family(cls, family: Family, shown: Iterable[UUID]) -> Redactor:
        shown_ids = set(shown)
        memberships = list(family.memberships.select_related("person"))
        shown_surnames = {
            m.person.last_name.casefold() for m in memberships if m.person_id in shown_ids
        }
        terms: list[tuple[str, str]] = []
        for membership in memberships:
            person = membership.person
            if person.pk in shown_ids:
                continue
            label = _ROLE_LABELS.get(FamilyRole(membership.role), "[someone else]")
            full = f"{person.first_name} {person.last_name}".strip()
            names = [full, person.first_name, person.known_as]
            names += re.split(r"[,;]", person.previous_names)
            if person.last_name.casefold() not in shown_surnames:
                names.append(person.last_name)
            terms += [(name.strip(), label) for name in names if len(name.strip()) >= 2]
        addresses = Address.objects.filter(
            person_id__in=[m.person_id for m in memberships]
        ).values_list("line1", "line2", "postcode")
        for line1, line2, postcode in addresses:
            for part in (line1, line2):
                if len(part.strip()) >= 4:
                    terms.append((part.strip(), ADDRESS_REMOVED))
            compact = postcode.replace(" ", "")
            if len(compact) >= 5:
                # With or without the space, in any case.
                terms.append((f"{compact[:-3]} {compact[-3:]}", ADDRESS_REMOVED))
                terms.append((compact, ADDRESS_REMOVED))
        # Longest first, so a full name goes before the first name inside it.
        terms.sort(key=lambda term: len(term[0]), reverse=True)
        seen: set[str] = set()
        redactor = cls()
        for text, label in terms:
            key = text.casefold()
            if key in seen:
                continue
            seen.add(key)
            redactor.replacements.append((re.compile(_pattern(text), re.IGNORECASE), label))
        return redactor

    def __call__(self, text: str) -> str:
        for pattern, label in self.replacements:
            text = pattern.sub(label, text)
        return text


# --- What the family page shows ------------------------------------------------------------------


@dataclass(frozen=True)
class ShownNeed:
    headline: str
    person: str
    severity: str
    evidence: str


@dataclass(frozen=True)
class ShownAssessment:
    id: UUID
    started_on: date
    completed_on: date | None
    strengths: str
    child_views: str
    parent_views: str
    analysis: str
    conclusion: str
    needs: list[ShownNeed]


@dataclass(frozen=True)
class ShownVoice:
    kind: str
    person: str
    text: str


@dataclass(frozen=True)
class ShownNote:
    id: UUID
    contact_type: str
    occurred_at: datetime
    about: list[str]
    note: str
    voices: list[ShownVoice]


@dataclass(frozen=True)
class MyAction:
    """An action the partner's own contact owns on the current version."""

    id: UUID
    what: str
    due_on: date
    status: str

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


def shown_action(action: PlanAction, redact: Redactor) -> MyAction:
    return MyAction(
        id=action.pk, what=redact(action.what), due_on=action.due_on, status=action.status
    )


@dataclass(frozen=True)
class PartnerFamily:
    access: PartnerAccess
    plan: PrintablePlan
    my_actions: list[MyAction]
    contributions: list[PartnerContribution]
    scopes: list[str]  # the scopes shown
    assessments: list[ShownAssessment] | None  # None: the agreement does not cover them
    notes: list[ShownNote] | None

    @property
    def family(self) -> Family:
        return self.access.family

    @property
    def contact(self) -> PartnerContact:
        return self.access.contact

    @property
    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes]


def _redacted_plan(printable: PrintablePlan, redact: Redactor) -> PrintablePlan:
    return replace(
        printable,
        outcomes=tuple(
            replace(o, description=redact(o.description), measure=redact(o.measure))
            for o in printable.outcomes
        ),
        actions=tuple(replace(a, what=redact(a.what)) for a in printable.actions),
        members=tuple(replace(m, role_in_plan=redact(m.role_in_plan)) for m in printable.members),
    )


def _assessments(access: PartnerAccess, redact: Redactor) -> list[ShownAssessment]:
    shown = set(access.plan_people)
    needs = AssessmentNeed.objects.filter(person_id__in=shown).select_related("headline", "person")
    assessments = (
        Assessment.objects.filter(family=access.family, status=Assessment.Status.AUTHORISED)
        .prefetch_related(Prefetch("needs", queryset=needs.order_by("headline__position", "pk")))
        .order_by("-completed_on", "-started_on")
    )
    return [
        ShownAssessment(
            id=a.pk,
            started_on=a.started_on,
            completed_on=a.completed_on,
            strengths=redact(a.strengths),
            child_views=redact(a.child_views),
            parent_views=redact(a.parent_views),
            analysis=redact(a.analysis),
            conclusion=redact(a.conclusion),
            needs=[
                ShownNeed(
                    headline=n.headline.label,
                    person=n.person.full_name,
                    severity=n.get_severity_display(),
                    evidence=redact(n.evidence),
                )
                for n in a.needs.all()
            ],
        )
        for a in assessments
    ]


def _notes(access: PartnerAccess, redact: Redactor) -> tuple[list[ShownNote], set[UUID]]:
    """The latest notes about the plan's people only, and whose information they hold."""
    shown = set(access.plan_people)
    about_someone_else = ContactSubject.objects.filter(contact_id=OuterRef("pk")).exclude(
        person_id__in=shown
    )
    has_subject = ContactSubject.objects.filter(contact_id=OuterRef("pk"))
    voices = ContactVoice.objects.filter(person_id__in=shown).select_related("person")
    contacts = (
        Contact.objects.filter(
            family=access.family, deleted_at__isnull=True, names_other_family=False
        )
        .filter(Exists(has_subject))
        .exclude(Exists(about_someone_else))
        .prefetch_related("subjects", Prefetch("voices", queryset=voices.order_by("kind", "pk")))
        .order_by("-occurred_at", "-pk")[:MAX_NOTES]
    )
    notes = []
    people: set[UUID] = set()
    for contact in contacts:
        subjects = list(contact.subjects.all())
        people.update(s.pk for s in subjects)
        notes.append(
            ShownNote(
                id=contact.pk,
                contact_type=contact.get_contact_type_display(),
                occurred_at=contact.occurred_at,
                about=[s.full_name for s in subjects],
                note=redact(contact.note),
                voices=[
                    ShownVoice(
                        kind=v.get_kind_display(), person=v.person.full_name, text=redact(v.text)
                    )
                    for v in contact.voices.all()
                ],
            )
        )
    return notes, people


def _check(user: AnyUser, access: PartnerAccess, scope: Scope) -> SharingCheck:
    return check_sharing(
        actor=user,  # type: ignore[arg-type]
        family=access.family,
        recipient=access.contact.organisation,
        people=access.subjects,
        scopes=[scope],
        path=OutputPath.PARTNER_READ,
    )


def _log(
    user: AnyUser,
    access: PartnerAccess,
    check: SharingCheck,
    people: Iterable[UUID],
    scope: Scope,
    what: str,
) -> None:
    log_disclosure(
        actor=user,  # type: ignore[arg-type]
        family=access.family,
        people=people,
        check=check,
        channel=DisclosureChannel.PARTNER_READ,
        what=what,
        scopes=[scope],
        recipient=access.contact.organisation,
        contact=access.contact,
    )


def partner_family(user: AnyUser, family_id: UUID | str) -> PartnerFamily:
    """Everything a partner may see of one family, checked, audited and logged.

    NotFound unless the PLAN check allows. Assessments and case notes are each checked for
    their own scope; what is shown is written to the disclosure log per person per scope.
    """
    access = open_family(user, family_id)
    redact = Redactor.for_family(access.family, access.plan_people)
    plan = _redacted_plan(printable_plan(access.version, objection_active=False), redact)
    my_actions = [
        shown_action(action, redact)
        for action in access.version.actions.filter(owner_contact=access.contact).order_by(
            "due_on", "pk"
        )
    ]
    contributions = list(
        PartnerContribution.objects.filter(plan=access.plan, contact=access.contact).order_by(
            "-written_at"
        )
    )
    scopes = [Scope.PLAN.value]
    assessments: list[ShownAssessment] | None = None
    assessments_check = _check(user, access, Scope.ASSESSMENTS)
    if assessments_check.allowed:
        scopes.append(Scope.ASSESSMENTS.value)
        assessments = _assessments(access, redact)
    notes: list[ShownNote] | None = None
    notes_people: set[UUID] = set()
    notes_check = _check(user, access, Scope.CASE_NOTES)
    if notes_check.allowed:
        scopes.append(Scope.CASE_NOTES.value)
        notes, notes_people = _notes(access, redact)

    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="family",
        object_id=access.family.pk,
        purpose=PURPOSE,
        detail={
            "plan_version": access.version.pk,
            "scopes": scopes,
            "assessments": len(assessments or []),
            "case_notes": len(notes or []),
        },
    )
    _log(
        user,
        access,
        access.plan_check,
        access.subjects,
        Scope.PLAN,
        f"Family plan, version {access.version.number} (partner access)",
    )
    if assessments:
        _log(
            user,
            access,
            assessments_check,
            access.subjects,
            Scope.ASSESSMENTS,
            f"{len(assessments)} authorised assessment(s) (partner access)",
        )
    if notes:
        _log(
            user,
            access,
            notes_check,
            [p for p in access.subjects if p in notes_people],
            Scope.CASE_NOTES,
            f"{len(notes)} case note(s) (partner access)",
        )
    return PartnerFamily(
        access=access,
        plan=plan,
        my_actions=my_actions,
        contributions=contributions,
        scopes=scopes,
        assessments=assessments,
        notes=notes,
    )


def own_action(access: PartnerAccess, action_id: UUID | str) -> PlanAction:
    """One of the contact's own actions on the current version, or NotFound."""
    action = access.version.actions.filter(
        pk=parse_id(action_id), owner_contact=access.contact
    ).first()
    if action is None:
        raise NotFound()
    return action


def my_action(
    user: AnyUser, family_id: UUID | str, action_id: UUID | str
) -> tuple[PartnerAccess, MyAction]:
    """One of the partner's own actions on the current version, or NotFound. Audited."""
    access = open_family(user, family_id)
    action = own_action(access, action_id)
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="plan_action",
        object_id=action.pk,
        purpose=PURPOSE,
    )
    return access, shown_action(action, Redactor.for_family(access.family, access.plan_people))
