"""The demo's case work: contacts and case notes, assessments and closure.

Every record goes through its app's service as the member of staff who would make it, so
the rules, the audit trail and the family timeline are exactly what real use produces. Rows
the services date "now" are moved to the story's day afterwards (``history``).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import IO

from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import Assessment, Severity
from earlyhelp.assessments.services import (
    AssessmentChanges,
    add_need,
    authorise_assessment,
    return_assessment,
    start_assessment,
    submit_assessment,
    update_assessment,
)
from earlyhelp.casework.contacts.services import (
    ContactInput,
    ProfessionalInput,
    VoiceInput,
    correct_contact,
    delete_contact,
    record_contact,
)
from earlyhelp.casework.models import (
    Contact,
    ContactType,
    OnwardReferral,
    RecordedAs,
    VoiceKind,
)
from earlyhelp.casework.services import close_episode
from earlyhelp.demo import texts
from earlyhelp.demo.case import Case
from earlyhelp.demo.history import moment, set_fields, timeline_at
from earlyhelp.demo.image import routine_chart_png
from earlyhelp.demo.stories import Stage
from earlyhelp.people.models import Person
from earlyhelp.plans.services import close_plans_for_episode

HEADLINES = [
    texts.EDUCATION,
    texts.EARLY_YEARS,
    texts.HEALTH,
    texts.SUBSTANCE,
    texts.RELATIONSHIPS,
    texts.EXPLOITATION,
    texts.CRIME,
    texts.DOMESTIC_ABUSE,
    texts.HOUSING,
    texts.FINANCE,
]
_REGULAR_TYPES: list[tuple[str, int]] = [
    (ContactType.HOME_VISIT, 8),
    (ContactType.PHONE_CALL, 5),
    (ContactType.SCHOOL_VISIT, 2),
    (ContactType.UNSUCCESSFUL_VISIT, 2),
    (ContactType.OFFICE_VISIT, 1),
    (ContactType.VIDEO_CALL, 1),
    (ContactType.EMAIL_OR_LETTER, 1),
    (ContactType.MULTI_AGENCY_MEETING, 1),
]
# How many of the family's professionals take part in each kind of contact.
_PROFESSIONALS_AT: dict[str, int] = {
    ContactType.SCHOOL_VISIT: 1,
    ContactType.TAF_MEETING: 3,
    ContactType.MULTI_AGENCY_MEETING: 2,
}
_SEVERITIES = [Severity.LOW, Severity.MEDIUM, Severity.MEDIUM, Severity.HIGH]

CLOSING_SUMMARIES = {
    "needs_met": "Attendance back above 95% for a full term; routines at home are settled and "
    "the family know how to reach the children's centre if things slip.",
    "family_disengaged": "Three visits missed and calls unanswered over six weeks; a closure "
    "letter was sent with the front door's number.",
    "stepped_up_to_social_care": "Concerns escalated after the last TAF meeting; the threshold "
    "for a social care assessment is met.",
    "stepped_down_to_universal": "Plan outcomes achieved; the family will keep attending the "
    "stay-and-play group at the children's centre.",
}
DEFAULT_CLOSING_SUMMARY = (
    "The family asked for the case to close; they have the front door's number and know they "
    "can come back at any time."
)
OTHER_CLOSURE_NOTE = "Family moved in with relatives and asked for the case to close."
ONWARD = {
    "stepped_up_to_social_care": (
        "Children's social care: Exampleshire MASH",
        "Escalating concerns recorded in the last two TAF reviews; see the closing summary.",
    ),
    "stepped_down_to_universal": (
        "Exampleton Children's Centre",
        "Continue the stay-and-play sessions; no further targeted support needed.",
    ),
}


@dataclass(frozen=True)
class _Visit:
    day: date
    contact_type: str
    first: bool = False


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class CaseworkBuilder:
    def __init__(self, *, rng: random.Random, today: date, counts: Counter[str]) -> None:
        self.rng = rng
        self.today = today
        self.counts = counts

    # --- contacts ----------------------------------------------------------------------

    def _schedule(self, case: Case) -> list[_Visit]:
        dates = case.dates
        last_day = min(dates.end, self.today) - timedelta(days=1)
        visits = {dates.opened + timedelta(days=2): _Visit(dates.opened + timedelta(days=2), "")}
        for day in [d for d in (dates.plan_started, *dates.reviews) if d is not None]:
            visits[day] = _Visit(day, ContactType.TAF_MEETING)
        span = (last_day - dates.opened).days
        day = dates.opened + timedelta(days=2)
        while True:
            day += timedelta(days=max(self.rng.randint(10, 18), span // 7))
            if day > last_day:
                break
            visits.setdefault(day, _Visit(day, _weighted(self.rng, _REGULAR_TYPES)))
        first_day = min(visits)
        visits[first_day] = _Visit(first_day, ContactType.HOME_VISIT, first=True)
        return [visits[d] for d in sorted(visits) if d <= max(last_day, first_day)]

    def _professionals(self, case: Case, how_many: int) -> list[ProfessionalInput]:
        people = [case.school_lead, *[c for c in case.taf if c != case.school_lead]]
        return [
            ProfessionalInput(name=c.name, organisation=c.organisation.name, role=c.job_title)
            for c in people[:how_many]
        ]

    def _voices(
        self, case: Case, visit: _Visit, words: dict[str, str]
    ) -> tuple[list[VoiceInput], list[VoiceInput]]:
        rng = self.rng
        child = case.talking_child
        child_words: list[VoiceInput] = []
        parent_views: list[VoiceInput] = []
        speaks = visit.first or (
            visit.contact_type == ContactType.HOME_VISIT and rng.random() < 0.4
        )
        if not speaks:
            return child_words, parent_views
        if child is not None:
            if visit.first or rng.random() < 0.7:
                text, how = rng.choice(texts.CHILD_WORDS_VERBATIM), RecordedAs.VERBATIM
            else:
                text, how = rng.choice(texts.CHILD_WORDS_SUMMARY), RecordedAs.SUMMARISED
            child_words.append(VoiceInput(child.pk, text.format(**words), how))
        if visit.first or rng.random() < 0.5:
            if rng.random() < 0.5:
                text, how = rng.choice(texts.PARENT_VIEWS_VERBATIM), RecordedAs.VERBATIM
            else:
                text, how = rng.choice(texts.PARENT_VIEWS_SUMMARY), RecordedAs.SUMMARISED
            parent_views.append(VoiceInput(case.parent.pk, text.format(**words), how))
        return child_words, parent_views

    def _present(self, case: Case, contact_type: str) -> list[Person]:
        if contact_type in (ContactType.HOME_VISIT, ContactType.TAF_MEETING):
            return [*case.parents, *case.children]
        if contact_type == ContactType.SCHOOL_VISIT:
            return case.children[:1]
        if contact_type in (ContactType.OFFICE_VISIT, ContactType.VIDEO_CALL):
            return case.parents[:1]
        return []

    def _input(
        self,
        case: Case,
        *,
        contact_type: str,
        when: datetime,
        note: str,
        next_on: date | None = None,
        voices: tuple[list[VoiceInput], list[VoiceInput]] = ([], []),
        professionals: list[ProfessionalInput] | None = None,
    ) -> ContactInput:
        return ContactInput(
            contact_type=contact_type,
            occurred_at=when,
            note=note,
            subjects=[p.pk for p in case.members if not p.unborn],
            present_members=[p.pk for p in self._present(case, contact_type)],
            professionals=professionals or [],
            child_words=voices[0],
            parent_views=voices[1],
            next_contact_on=next_on,
        )

    def _record(
        self,
        case: Case,
        actor: User,
        data: ContactInput,
        *,
        attachment: tuple[bytes, str] | None = None,
    ) -> Contact:
        files: list[IO[bytes]] | None = [BytesIO(attachment[0])] if attachment else None
        names = [attachment[1]] if attachment else None
        contact = record_contact(
            actor=actor,
            family=case.family,
            data=data,
            attachments=files,
            attachment_names=names,
        )
        # Typed up a couple of hours after the visit (demo history only).
        recorded = min(data.occurred_at + timedelta(hours=2), timezone.now())
        set_fields(contact, recorded_at=recorded)
        Contact.history.filter(id=contact.pk).update(history_date=recorded)
        self.counts["contacts"] += 1
        self.counts["child_words"] += len(data.child_words)
        self.counts["parent_views"] += len(data.parent_views)
        return contact

    def contacts(self, case: Case) -> list[Contact]:
        rng = self.rng
        words = case.words(rng)
        visits = self._schedule(case)
        recorded = []
        for index, visit in enumerate(visits):
            notes = (texts.FIRST_VISIT,) if visit.first else texts.NOTES[visit.contact_type]
            note = rng.choice(notes)
            if index + 1 < len(visits):
                next_on: date | None = visits[index + 1].day
            elif case.story.closed:
                next_on = None
            else:
                next_on = visit.day + timedelta(days=rng.randint(7, 21))
            professionals = _PROFESSIONALS_AT.get(visit.contact_type, 0)
            data = self._input(
                case,
                contact_type=visit.contact_type,
                when=moment(visit.day, rng.randint(9, 16), rng.choice([0, 15, 30, 45])),
                note=note.format(**words),
                next_on=next_on,
                voices=self._voices(case, visit, words),
                professionals=self._professionals(case, professionals),
            )
            recorded.append(self._record(case, case.lead, data))
        return recorded

    def showcase_notes(self, case: Case) -> None:
        """A photo attachment, a corrected note with its history and a deleted note's tombstone."""
        words = case.words(self.rng)
        day = case.dates.end - timedelta(days=12)
        self._record(
            case,
            case.lead,
            self._input(
                case,
                contact_type=ContactType.HOME_VISIT,
                when=moment(day, 16),
                note=texts.ATTACHMENT_NOTE.format(**words),
            ),
            attachment=(routine_chart_png(case.index), "routine-chart-photo.png"),
        )
        self.counts["attachments"] += 1
        wrong_school = (
            "Larkspur Academy"
            if case.school.name != "Larkspur Academy"
            else ("Brookfield Primary School")
        )
        visit_day = case.dates.end - timedelta(days=30)
        school_note = texts.NOTES["school_visit"][0]
        original = self._input(
            case,
            contact_type=ContactType.SCHOOL_VISIT,
            when=moment(visit_day, 12, 30),
            note=school_note.format(**{**words, "school": wrong_school}),
            professionals=self._professionals(case, 1),
        )
        note = self._record(case, case.lead, original)
        self.correct(
            case,
            note,
            actor=case.lead,
            data=replace(original, note=school_note.format(**words)),
            reason=texts.CORRECTION_REASON.format(**words),
            when=moment(visit_day + timedelta(days=2), 9, 5),
        )
        mistaken = self._record(
            case,
            case.lead,
            self._input(
                case,
                contact_type=ContactType.PHONE_CALL,
                when=moment(case.dates.end - timedelta(days=20), 11),
                note="Phone call about the housing application and the bidding number.",
            ),
        )
        self.delete(mistaken, actor=case.manager, when=moment(case.dates.end - timedelta(days=19)))

    def correct(
        self,
        case: Case,
        contact: Contact,
        *,
        actor: User,
        data: ContactInput,
        reason: str,
        when: datetime,
    ) -> Contact:
        contact = correct_contact(actor=actor, contact=contact, data=data, reason=reason)
        # Corrected a couple of days after it was written (demo history only).
        set_fields(contact, corrected_at=when)
        Contact.history.filter(id=contact.pk, history_type="~").update(history_date=when)
        self.counts["corrected_contacts"] += 1
        return contact

    def delete(self, contact: Contact, *, actor: User, when: datetime) -> None:
        contact = delete_contact(actor=actor, contact=contact, reason=texts.DELETION_REASON)
        # Deleted the day after (demo history only).
        set_fields(contact, deleted_at=when)
        Contact.history.filter(id=contact.pk, history_type="~").update(history_date=when)
        self.counts["deleted_contacts"] += 1

    def manager_correction(self, case: Case, contact: Contact) -> None:
        """A manager adds what was missing from a practitioner's note."""
        data = ContactInput(
            contact_type=contact.contact_type,
            occurred_at=contact.occurred_at,
            note=f"{contact.note} Next TAF meeting booked; the school will send the invitation.",
            subjects=[p.pk for p in case.members if not p.unborn],
            present_members=[p.pk for p in self._present(case, contact.contact_type)],
            professionals=[ProfessionalInput(**p) for p in contact.professionals],
            child_words=[
                VoiceInput(v.person_id, v.text, v.recorded_as)
                for v in contact.voices.filter(kind=VoiceKind.CHILD)
            ],
            parent_views=[
                VoiceInput(v.person_id, v.text, v.recorded_as)
                for v in contact.voices.filter(kind=VoiceKind.PARENT_CARER)
            ],
            next_contact_on=contact.next_contact_on,
        )
        self.correct(
            case,
            contact,
            actor=case.manager,
            data=data,
            reason="Added the date of the next TAF meeting, agreed after the note was written.",
            when=contact.occurred_at + timedelta(days=1),
        )

    # --- assessments -------------------------------------------------------------------

    def _person_for(self, case: Case, code: str) -> list[Person]:
        on = case.dates.opened
        if code == texts.EDUCATION:
            return case.children_aged(5, 17, on)[:2]
        if code == texts.EARLY_YEARS:
            young = case.children_aged(0, 5, on)
            unborn = [p for p in case.members if p.unborn]
            return (young or unborn)[:1]
        if code in (texts.EXPLOITATION, texts.CRIME):
            return case.children_aged(10, 18, on)[:1]
        if code == texts.RELATIONSHIPS:
            return [case.parent, *case.children_aged(8, 18, on)[:1]]
        return [case.parent]

    def choose_needs(self, case: Case) -> dict[str, list[Person]]:
        """The headlines the assessment finds: the referral's reasons first, then others."""
        reasons = [r for r in case.referral.reasons if r in HEADLINES]
        others = [h for h in HEADLINES if h not in reasons]
        self.rng.shuffle(others)
        needs: dict[str, list[Person]] = {}
        for code in [*reasons, *others]:
            people = self._person_for(case, code)
            if people:
                needs[code] = people
            if len(needs) == case.story.headlines:
                break
        return needs

    def _needs(self, case: Case, assessment: Assessment, needs: dict[str, list[Person]]) -> None:
        for code, people in needs.items():
            for person in people:
                add_need(
                    actor=case.author,
                    assessment=assessment,
                    person_id=person.pk,
                    headline_code=code,
                    evidence=texts.EVIDENCE[code].format(person=person.first_name),
                    severity=self.rng.choice(_SEVERITIES),
                )
                self.counts["assessment_needs"] += 1

    def assessment(self, case: Case) -> Assessment | None:
        story, dates = case.story, case.dates
        if dates.assessment_started is None:
            return None
        words = case.words(self.rng)
        family = case.family
        with timeline_at(family, moment(dates.assessment_started, 11)):
            assessment = start_assessment(
                actor=case.author, family=family, started_on=dates.assessment_started
            )
        set_fields(assessment, created_at=moment(dates.assessment_started, 11))
        complete = story.stage is not Stage.DRAFT
        changes = AssessmentChanges(
            strengths=texts.STRENGTHS.format(**words),
            child_views=texts.CHILD_VIEWS.format(**words),
            parent_views=texts.PARENT_VIEWS.format(**words) if complete else None,
            analysis=texts.ANALYSIS.format(**words) if complete else None,
            conclusion=texts.CONCLUSION if complete else None,
        )
        update_assessment(actor=case.author, assessment=assessment, changes=changes)
        needs = self.choose_needs(case)
        if not complete:
            needs = dict(list(needs.items())[:2])
        case.needs = needs
        self._needs(case, assessment, needs)
        self.counts[f"assessment:{story.stage.value}"] += 1
        if dates.submitted is None:
            return assessment
        submitted = moment(dates.submitted, 15)
        with timeline_at(family, submitted):
            submit_assessment(
                actor=case.author, assessment=assessment, completed_on=dates.submitted
            )
        set_fields(assessment, submitted_at=submitted)
        if dates.decided is None:
            return assessment
        decided = moment(dates.decided, 10, 30)
        if story.stage is Stage.RETURNED:
            with timeline_at(family, decided):
                return_assessment(
                    actor=case.manager,
                    assessment=assessment,
                    comment=texts.RETURN_COMMENT.format(**words),
                )
            set_fields(assessment, returned_at=decided)
            return assessment
        with timeline_at(family, decided):
            authorise_assessment(actor=case.manager, assessment=assessment)
        set_fields(assessment, authorised_at=decided)
        return assessment

    # --- closure -----------------------------------------------------------------------

    def close(self, case: Case) -> None:
        reason = case.story.closure_reason
        destination, onward_reason = ONWARD.get(reason, ("", ""))
        when = moment(case.dates.end, 15)
        with timeline_at(case.family, when):
            close_episode(
                actor=case.lead,
                episode=case.episode,
                reason=reason,
                note=OTHER_CLOSURE_NOTE if reason == "other" else "",
                summary=CLOSING_SUMMARIES.get(reason, DEFAULT_CLOSING_SUMMARY),
                onward_destination=destination,
                onward_reason=onward_reason,
            )
            # A closed episode's plan is closed with it, and stays readable.
            close_plans_for_episode(actor=case.lead, episode=case.episode)
        set_fields(case.episode, closed_at=when)
        OnwardReferral.objects.filter(episode=case.episode).update(made_at=when)
        self.counts[f"closed:{reason}"] += 1
        if destination:
            self.counts["onward_referrals"] += 1
