"""The demo's information sharing: agreements, sharing decisions, plans sent to the TAF and the
partner login.

Everything goes through the sharing services (``sharing.agreements``, ``sharing.decisions``)
and ``plans.services.share_plan_with_taf``, so the audit trail, the timeline and the
disclosure log are the real ones. What the demo shows:

- Each open family's agreement to receive Early Help, given by a parent a day or two after
  the episode opened; for most open families with a plan, everyone the plan names agrees to
  share it with the child's school (plan, education) and with health visiting (plan,
  health). Adults give their own agreement, so does a young person of 14 or more judged
  competent; a parent gives it for a younger child. One agreement comes with a signed form.
- One family later withdrew its agreement with the school.
- A handful of plans e-mailed to the TAF, so the disclosure log has lines in it.
- Sharing decisions: a decision not to share (the school asked for the whole file), one to
  share in part with agreement, one under a gateway waiting for a North manager's
  authorisation, an emergency release whose 24 hours have passed, and one authorised.
- The demo ``partner`` login linked to a school's lead professional who sits in the TAF of
  families that agreed to share with the school.

Services stamp ``timezone.now()`` where a real user records things as they happen; only
those stamps are moved back to the story's days afterwards (``demo.history``: demo history
only).
"""

from __future__ import annotations

import io
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from uuid import UUID

from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.core.errors import Conflict
from earlyhelp.demo.case import Case, age_on
from earlyhelp.demo.history import moment, set_fields, timeline_at
from earlyhelp.demo.partners import Directory
from earlyhelp.partners.models import Organisation, OrganisationKind, PartnerContact
from earlyhelp.partners.services import link_partner_user
from earlyhelp.people.models import Person
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.plans.printing import plan_people_ids
from earlyhelp.plans.services import current_version, share_plan_with_taf
from earlyhelp.sharing.agreements import AgreementInput, record_agreement, withdraw_agreement
from earlyhelp.sharing.decisions import (
    DecisionInput,
    authorise_decision,
    emergency_window,
    record_decision,
)
from earlyhelp.sharing.models import (
    Agreement,
    AgreementKind,
    ConsentMethod,
    ConsentStatus,
    DecisionOutcome,
    DisclosureLogEntry,
    Gateway,
    Scope,
    SharingDecision,
    TransferMethod,
)
from earlyhelp.sharing.policy import OutputPath, decide

# Its own random stream, so adding sharing leaves the rest of the demo as it was.
SEED = 20260405
# A young person of this age or more gives their own agreement (judged competent).
COMPETENT_AGE = 14
# Open families with a plan that have not been asked yet (the last ones in the list).
NOT_YET_ASKED = 2
# How many families' plans were e-mailed to the TAF.
PLANS_SENT = 3

SCHOOL_SCOPES = [Scope.PLAN.value, Scope.EDUCATION.value]
HEALTH_SCOPES = [Scope.PLAN.value, Scope.HEALTH.value]
SCHOOL_PURPOSE = (
    "So the school can support the child's attendance and learning as the family plan sets "
    "out, and take part in the Team Around the Family."
)
HEALTH_PURPOSE = (
    "So the health visiting team can support the family's health needs as the family plan "
    "sets out, and take part in the Team Around the Family."
)
WITHDRAWAL_NOTE = (
    "Mum phoned to say she no longer wants the school to receive anything from Early Help "
    "after a disagreement with the head of year. Talked through what this means; she is "
    "happy for the school to stay in the TAF meetings she attends."
)

# The emergency release was this long before the demo was loaded.
EMERGENCY_HOURS_AGO = 40


@contextmanager
def mail_kept_in_memory() -> Iterator[None]:
    """E-mail sent while loading the demo (the plans sent to the TAF) goes nowhere.

    ``share_plan_with_taf`` hands its messages to the configured backend once the
    transaction commits; for the demo that backend is Django's in-memory one, whatever the
    settings say, so no mail server ever sees the demo's synthetic plans.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield


def _pdf_text(value: str) -> bytes:
    encoded = value.encode("cp1252", errors="replace")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def signed_form_pdf(lines: list[str]) -> bytes:
    """A one-page PDF of a signed agreement form, written by hand (no PDF library needed).

    Helvetica text, one line each, and a pen stroke for the signature: a few hundred bytes.
    """
    content = [b"BT", b"/F1 11 Tf", b"16 TL", b"56 780 Td"]
    for line in lines:
        content.append(b"(" + _pdf_text(line) + b") Tj T*")
    content.append(b"ET")
    # The signature: a scribble of Bezier curves above the signature line.
    content += [
        b"0.1 0.1 0.4 RG 1.2 w",
        b"80 470 m 95 500 110 440 125 478 c 140 510 150 450 170 470 c 185 485 200 460 230 476 c S",
        b"0 0 0 RG 0.5 w 56 460 m 300 460 l S",
    ]
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class SharingBuilder:
    def __init__(
        self,
        *,
        today: date,
        users: dict[str, User],
        directory: Directory,
        counts: Counter[str],
    ) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.users = users
        self.directory = directory
        self.counts = counts
        self.signed_form_done = False

    # --- agreements --------------------------------------------------------------------

    def _agree(
        self,
        case: Case,
        person: Person,
        given_on: date,
        *,
        kind: str = AgreementKind.SHARE,
        organisation: Organisation | None = None,
        recipient_kind: str = "",
        scopes: list[str] | None = None,
        purpose: str = "",
    ) -> Agreement:
        own = person == case.parent or age_on(person, given_on) >= COMPETENT_AGE
        adult = age_on(person, given_on) >= 18
        giver = person if own else case.parent
        method = self.rng.choice([ConsentMethod.VERBAL, ConsentMethod.WRITTEN])
        form = None
        form_name = ""
        if (
            kind == AgreementKind.SHARE
            and organisation is not None
            and person == case.parent
            and not self.signed_form_done
        ):
            method = ConsentMethod.SIGNED_FORM
            form = io.BytesIO(self._form(case, person, organisation, given_on))
            form_name = "signed-agreement-to-share.pdf"
            self.signed_form_done = True
        agreement = record_agreement(
            actor=case.lead,
            family=case.family,
            data=AgreementInput(
                person=person.pk,
                given_by=giver.pk,
                kind=kind,
                recipient_organisation=organisation.pk if organisation else None,
                recipient_kind=recipient_kind,
                scopes=scopes or [],
                purpose=purpose,
                method=method,
                given_on=given_on,
                child_competent=own and not adult,
            ),
            signed_form=form,
            signed_form_name=form_name,
        )
        self.counts["agreements"] += 1
        if own and not adult and person != case.parent:
            self.counts["agreements_competent_child"] += 1
        return agreement

    def _form(self, case: Case, person: Person, organisation: Organisation, on: date) -> bytes:
        return signed_form_pdf(
            [
                "Exampleshire Council Early Help (synthetic demo form)",
                "",
                "Agreement to share information",
                "",
                f"Family reference: {case.family.reference}",
                f"Name: {person.first_name} {person.last_name}",
                f"I agree that Early Help may share with: {organisation.name}",
                "What: the family plan; education information",
                f"Why: {SCHOOL_PURPOSE[:80]}",
                f"{SCHOOL_PURPOSE[80:]}",
                "I know I can withdraw this agreement at any time.",
                "",
                f"Date: {on.strftime('%d/%m/%Y')}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "Signed",
            ]
        )

    def _given_on(self, case: Case) -> date:
        """A few days after the episode opened, before the plan started, never in the future."""
        given = case.dates.opened + timedelta(days=self.rng.randint(2, 5))
        if case.dates.plan_started is not None:
            given = min(given, case.dates.plan_started - timedelta(days=1))
        return max(min(given, self.today), case.dates.opened)

    @contextmanager
    def _on_the_day(self, case: Case, given_on: date) -> Iterator[None]:
        """The agreements recorded in the block were recorded on the day they were given,
        and so were their timeline lines (demo history only)."""
        when = moment(given_on, 11)
        before = set(Agreement.objects.filter(family=case.family).values_list("pk", flat=True))
        with timeline_at(case.family, when):
            yield
        Agreement.objects.filter(family=case.family).exclude(pk__in=before).update(recorded_at=when)

    def receive_support(self, case: Case) -> None:
        given_on = min(case.dates.opened + timedelta(days=self.rng.randint(0, 2)), self.today)
        with self._on_the_day(case, given_on):
            self._agree(case, case.parent, given_on, kind=AgreementKind.RECEIVE_SUPPORT)

    def share_agreements(self, case: Case, plan: FamilyPlan) -> None:
        """Everyone the plan names agrees to share it with the school and health visiting."""
        given_on = self._given_on(case)
        ids = set(plan_people_ids(current_version(plan)))
        named = [p for p in case.members if p.pk in ids and not p.unborn]
        with self._on_the_day(case, given_on):
            for person in named:
                self._agree(
                    case,
                    person,
                    given_on,
                    organisation=case.school,
                    scopes=SCHOOL_SCOPES,
                    purpose=SCHOOL_PURPOSE,
                )
                self._agree(
                    case,
                    person,
                    given_on,
                    recipient_kind=OrganisationKind.HEALTH_VISITING,
                    scopes=HEALTH_SCOPES,
                    purpose=HEALTH_PURPOSE,
                )

    def withdraw_school(self, case: Case, after: date) -> None:
        """The family withdraws its agreement with the school (for every person it covered)."""
        withdrawn_on = min(after + timedelta(days=self.rng.randint(3, 6)), self.today)
        agreements = list(
            Agreement.objects.filter(
                family=case.family, recipient_organisation=case.school, withdrawn_on__isnull=True
            ).order_by("given_on", "recorded_at")
        )
        with timeline_at(case.family, moment(withdrawn_on, 15)):
            for agreement in agreements:
                withdraw_agreement(
                    actor=case.lead,
                    agreement=agreement,
                    withdrawn_on=withdrawn_on,
                    withdrawn_by=agreement.given_by_id,
                    note=WITHDRAWAL_NOTE,
                )
                self.counts["agreements_withdrawn"] += 1

    # --- the plan sent to the TAF ------------------------------------------------------

    def send_plan(self, case: Case, plan: FamilyPlan) -> date | None:
        """E-mail the current version to the TAF members the family agreed may have it."""
        version = current_version(plan)
        before = set(
            DisclosureLogEntry.objects.filter(family=case.family).values_list("pk", flat=True)
        )
        try:
            result = share_plan_with_taf(actor=case.lead, plan=plan)
        except Conflict:
            return None
        # Sent the afternoon after the meeting that agreed this version (demo history only).
        sent_at = min(
            version.created_at + timedelta(days=1, hours=2),
            timezone.now() - timedelta(minutes=1),
        )
        DisclosureLogEntry.objects.filter(family=case.family).exclude(pk__in=before).update(
            disclosed_at=sent_at
        )
        self.counts["plans_sent_to_taf"] += 1
        self.counts["plan_emails"] += len(result.sent_to)
        return timezone.localdate(sent_at)

    # --- sharing decisions -------------------------------------------------------------

    def _decide(
        self,
        case: Case,
        actor: User,
        data: DecisionInput,
        when: datetime,
    ) -> SharingDecision:
        with timeline_at(case.family, when):
            decision = record_decision(actor=actor, family=case.family, data=data)
        set_fields(decision, recorded_at=when)  # decided that day (demo history only)
        self.counts[f"sharing_decision:{decision.outcome}"] += 1
        return decision

    def _organisation(self, kind: str) -> Organisation:
        return next(o for o in self.directory.organisations.values() if o.kind == kind)

    def _contact_id(self, organisation: Organisation) -> UUID | None:
        """The organisation's first active professional in the directory."""
        return next(
            (
                c.pk
                for c in self.directory.by_kind[organisation.kind]
                if c.organisation_id == organisation.pk and c.active
            ),
            None,
        )

    def not_to_share(self, case: Case) -> SharingDecision:
        """The school asked for the whole file; the plan already gives it what it needs."""
        day = self.today - timedelta(days=self.rng.randint(8, 14))
        return self._decide(
            case,
            case.lead,
            DecisionInput(
                outcome=DecisionOutcome.NOT_SHARE,
                decided_on=day,
                people=[p.pk for p in case.members if not p.unborn],
                recipient_organisation=case.school.pk,
                recipient_contact=case.school_lead.pk,
                purpose=(
                    "The school asked for a copy of the whole Early Help file, case notes "
                    "included, for its attendance panel."
                ),
                consent_status=ConsentStatus.REFUSED,
                family_told=True,
                necessity=(
                    "The attendance panel needs the plan and the attendance actions, which the "
                    "school already has with the family's agreement. The case notes hold the "
                    "parents' health and money worries, which the panel does not need: sharing "
                    "them would not be necessary or proportionate, and the family said no."
                ),
                identities_protected="",
                onward_restrictions="",
            ),
            moment(day, 15),
        )

    def in_part_with_agreement(self, case: Case) -> SharingDecision | None:
        """Shared with the school in part, relying on the family's agreements."""
        agreements = list(
            Agreement.objects.filter(
                family=case.family,
                recipient_organisation=case.school,
                kind=AgreementKind.SHARE,
                withdrawn_on__isnull=True,
            )
        )
        if not agreements:
            return None
        day = self.today - timedelta(days=self.rng.randint(3, 7))
        return self._decide(
            case,
            case.lead,
            DecisionInput(
                outcome=DecisionOutcome.SHARE_IN_PART,
                decided_on=day,
                people=list(dict.fromkeys(a.person_id for a in agreements)),
                recipient_organisation=case.school.pk,
                recipient_contact=case.school_lead.pk,
                purpose="The school's review of the child's additional support.",
                scopes=[Scope.PLAN.value, Scope.EDUCATION.value],
                consent_status=ConsentStatus.GIVEN,
                agreements=[a.pk for a in agreements],
                family_told=True,
                necessity=(
                    "The review needs the plan's education outcomes and the attendance "
                    "actions; nothing about the parents' health is needed, so it stays out."
                ),
                items_shared="The current family plan and the attendance figures from the TAF.",
                identities_protected="The parents' health needs are left out.",
                onward_restrictions="Not to be shared beyond the school's review meeting.",
                transfer_method=TransferMethod.PORTAL,
            ),
            moment(day, 12),
        )

    def gateway_pending(self, case: Case) -> SharingDecision:
        """Safeguarding: waiting for a team manager (made by a practitioner of the team)."""
        gp = self._organisation(OrganisationKind.GP_PRACTICE)
        day = self.today - timedelta(days=1)
        child = case.children[-1] if case.children else case.parent
        return self._decide(
            case,
            self.users["north.practitioner"],
            DecisionInput(
                outcome=DecisionOutcome.SHARE,
                decided_on=day,
                people=[child.pk],
                recipient_organisation=gp.pk,
                recipient_contact=self._contact_id(gp),
                purpose=(
                    "Ask the GP to review the youngest child's weight loss and missed health "
                    "appointments."
                ),
                scopes=[Scope.HEALTH.value, Scope.CASE_NOTES.value],
                gateway=Gateway.SAFEGUARDING,
                consent_status=ConsentStatus.REFUSED,
                family_told=True,
                necessity=(
                    "Three missed appointments and the weight the health visitor recorded "
                    "point to a risk of significant harm from neglected health needs. The "
                    "parent does not agree; the GP cannot act without knowing."
                ),
                items_shared=(
                    "The case notes of the last two home visits about the child's eating and "
                    "the dates of the missed appointments."
                ),
                identities_protected="Nothing about the other children or the parents' health.",
                onward_restrictions="For the GP's clinical review only.",
                transfer_method=TransferMethod.SECURE_EMAIL,
            ),
            moment(day, 16),
        )

    def emergency_overdue(self, case: Case, person: Person) -> SharingDecision:
        """Vital interests, released at once; the manager's 24 hours have passed."""
        service = self._organisation(OrganisationKind.OTHER_HEALTH)
        released = timezone.now() - timedelta(hours=EMERGENCY_HOURS_AGO)
        day = timezone.localdate(released)
        decision = self._decide(
            case,
            case.author,  # the practitioner working with the family, not the manager
            DecisionInput(
                outcome=DecisionOutcome.SHARE,
                decided_on=day,
                people=[person.pk],
                recipient_organisation=service.pk,
                recipient_contact=self._contact_id(service),
                purpose=("An urgent assessment by the mental health crisis team the same evening."),
                scopes=[Scope.HEALTH.value, Scope.CASE_NOTES.value],
                gateway=Gateway.VITAL_INTERESTS,
                consent_status=ConsentStatus.NOT_SOUGHT,
                consent_not_sought_reason=(
                    "The young person's parent could not be reached that evening and the risk "
                    "to the young person's safety was immediate."
                ),
                family_told=True,
                necessity=(
                    "What the young person said on the visit showed a serious and immediate "
                    "risk to their safety; the crisis team needed it to see them that night."
                ),
                items_shared=(
                    "What the young person said during the visit and the safety plan agreed "
                    "with them."
                ),
                identities_protected="No other family member's information.",
                onward_restrictions="For the crisis assessment only.",
                transfer_method=TransferMethod.VERBAL,
                emergency=True,
            ),
            released,
        )
        # Demo time travel: ``record_decision`` starts the 24 hours at the moment it runs;
        # the release happened EMERGENCY_HOURS_AGO, so the authorisation is now overdue.
        SharingDecision.objects.filter(pk=decision.pk).update(
            released_at=released, authorisation_due_at=released + emergency_window()
        )
        decision.refresh_from_db()
        self.counts["sharing_emergency_overdue"] += 1
        return decision

    def authorised(self, case: Case, person: Person) -> SharingDecision:
        """Crime prevention, decided by a practitioner and authorised by their manager."""
        police = self._organisation(OrganisationKind.POLICE)
        day = self.today - timedelta(days=self.rng.randint(15, 20))
        decision = self._decide(
            case,
            case.author,  # a practitioner; the team manager authorises
            DecisionInput(
                outcome=DecisionOutcome.SHARE,
                decided_on=day,
                people=[person.pk],
                recipient_organisation=police.pk,
                recipient_contact=self._contact_id(police),
                purpose=(
                    "Help the early intervention team protect the young person from adults "
                    "thought to be drawing them into crime."
                ),
                scopes=[Scope.CASE_NOTES.value],
                gateway=Gateway.CRIME,
                consent_status=ConsentStatus.NOT_SOUGHT,
                consent_not_sought_reason=(
                    "Asking could alert the adults involved and put the young person at "
                    "greater risk."
                ),
                family_told=False,
                family_not_told_reason=(
                    "Telling the family now could reach the adults involved; to be "
                    "reviewed at the next TAF meeting."
                ),
                necessity=(
                    "The young person has been seen with older adults known to the police "
                    "and has come home with money and a new phone. Only the places and times "
                    "are needed for the police to act; nothing else is shared."
                ),
                items_shared="Places and times from two case notes; no other content.",
                identities_protected="The names of the young person's friends are left out.",
                onward_restrictions="Police use only, for the prevention of crime.",
                transfer_method=TransferMethod.SECURE_EMAIL,
            ),
            moment(day, 11),
        )
        authorised_at = moment(day + timedelta(days=1), 9, 30)
        with timeline_at(case.family, authorised_at):
            decision = authorise_decision(
                actor=case.manager,
                decision=decision,
                authorise=True,
                note="Proportionate: places and times only. Review telling the family at the TAF.",
            )
        set_fields(decision, authorised_at=authorised_at)  # demo history only
        self.counts["sharing_authorised"] += 1
        return decision

    # --- the partner login -------------------------------------------------------------

    def link_partner(self, contact: PartnerContact) -> None:
        """The demo ``partner`` login signs in as this professional (an admin links them)."""
        link_partner_user(actor=self.users["admin"], contact=contact, user=self.users["partner"])

    # --- the whole step ----------------------------------------------------------------

    def _partner_can_read(self, case: Case, plan: FamilyPlan) -> bool:
        people = plan_people_ids(current_version(plan))
        return decide(
            family=case.family,
            recipient=case.school,
            people=people,
            scopes=[Scope.PLAN],
            path=OutputPath.PARTNER_READ,
        ).allowed

    def build(self, cases: list[Case]) -> None:
        open_cases = [c for c in cases if not c.story.closed and c.parents]
        for case in open_cases:
            self.receive_support(case)
        with_plan = [(c, c.plan) for c in open_cases if c.plan is not None]
        asked = with_plan[: len(with_plan) - NOT_YET_ASKED]
        for case, plan in asked:
            self.share_agreements(case, plan)
        self.counts["families_with_agreements"] = len(asked)

        # Plans under an objection are not shared; the partner's family comes first: one
        # whose school lead may read the plan.
        sendable = [(c, p) for c, p in asked if c.story.objection != "active"]
        sendable.sort(key=lambda pair: not self._partner_can_read(*pair))
        sent: list[tuple[Case, date]] = []
        for case, plan in sendable:
            if len(sent) == PLANS_SENT:
                break
            day = self.send_plan(case, plan)
            if day is not None:
                sent.append((case, day))
        partner_case = sent[0][0] if sent else sendable[0][0]
        self.link_partner(partner_case.school_lead)
        self.in_part_with_agreement(partner_case)

        # The last family sent the plan later withdrew its agreement with the school.
        if len(sent) > 1:
            withdrawn_case, sent_on = sent[-1]
        else:
            withdrawn_case = sendable[-1][0]
            sent_on = self._given_on(withdrawn_case)
        self.withdraw_school(withdrawn_case, sent_on)

        used = {partner_case.family.pk, withdrawn_case.family.pk}
        used |= {c.family.pk for c, _day in sent}
        others = [c for c, _plan in sendable if c.family.pk not in used]
        # Another school than the partner's, so the partner login's families stay as they are.
        not_share_case = next(
            (c for c in others if c.school.pk != partner_case.school.pk), others[0]
        )
        self.not_to_share(not_share_case)

        # Decisions without agreement: North's waiting for its manager, and the overdue
        # emergency; South's authorised. The showcase family has the one waiting.
        north = [c for c in open_cases if c.episode.team.slug == "north"]
        showcase = next((c for c in north if c.story.flagship), north[0])
        self.gateway_pending(showcase)
        emergency_case, young = self._with_young_person(
            [c for c in north if c.family.pk != showcase.family.pk]
        )
        self.emergency_overdue(emergency_case, young)
        south = [c for c in open_cases if c.episode.team.slug == "south"]
        authorised_case, young = self._with_young_person(south)
        self.authorised(authorised_case, young)
        self.counts["disclosures"] = DisclosureLogEntry.objects.count()

    def _with_young_person(self, cases: list[Case]) -> tuple[Case, Person]:
        """The first family with a child of 11 or more (else the first family's oldest)."""
        for case in cases:
            for child in case.children:
                if age_on(child, self.today) >= 11:
                    return case, child
        case = next(c for c in cases if c.children)
        return case, case.children[0]


def partner_login_contact() -> PartnerContact | None:
    """The professional the demo ``partner`` login is linked to."""
    return (
        PartnerContact.objects.select_related("organisation")
        .filter(user__username="partner")
        .first()
    )
