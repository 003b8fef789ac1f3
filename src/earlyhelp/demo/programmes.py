"""The demo's programmes (a parenting course, an early-years group, a group about to start)
with sessions, enrolments, registers and completions; and observations about the children."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, time, timedelta
from decimal import Decimal

from earlyhelp.accounts.models import Team, User
from earlyhelp.demo import texts
from earlyhelp.demo.case import Case, age_on
from earlyhelp.demo.history import moment
from earlyhelp.demo.partners import Directory
from earlyhelp.demo.stories import Stage
from earlyhelp.people.models import Person
from earlyhelp.programmes.models import (
    Attendance,
    AttendanceStatus,
    ExclusionType,
    MilestoneOutcome,
    ObservationKind,
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    SenStatus,
)
from earlyhelp.programmes.observations import ObservationInput, record_observation
from earlyhelp.programmes.services import (
    ProgrammeInput,
    add_session,
    complete_enrolment,
    create_programme,
    enrol,
    record_attendance,
    withdraw_enrolment,
)

_MARKS = [
    (AttendanceStatus.ATTENDED, 8),
    (AttendanceStatus.APOLOGIES, 1),
    (AttendanceStatus.ABSENT, 1),
]


class ProgrammeBuilder:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        users: dict[str, User],
        teams: dict[str, Team],
        directory: Directory,
        counts: Counter[str],
    ) -> None:
        self.rng = rng
        self.today = today
        self.users = users
        self.teams = teams
        self.directory = directory
        self.counts = counts

    def _programme(
        self,
        *,
        team: str,
        name: str,
        kind: str,
        starts_on: date,
        sessions: int,
        provider: str = "",
        capacity: int,
        description: str,
        location: str,
    ) -> tuple[Programme, list[ProgrammeSession]]:
        manager = self.users[f"{team}.manager"]
        programme = create_programme(
            actor=manager,
            data=ProgrammeInput(
                name=name,
                kind=kind,
                team=self.teams[team],
                starts_on=starts_on,
                ends_on=starts_on + timedelta(weeks=sessions - 1),
                provider=self.directory.organisations[provider] if provider else None,
                capacity=capacity,
                description=description,
            ),
        )
        made = [
            add_session(
                actor=manager,
                programme=programme,
                on=starts_on + timedelta(weeks=week),
                start_time=time(10, 0),
                location=location,
            )
            for week in range(sessions)
        ]
        self.counts["programmes"] += 1
        self.counts["programme_sessions"] += len(made)
        return programme, made

    def _enrol(self, case: Case, programme: Programme, people: list[Person], on: date) -> None:
        enrolments = enrol(
            actor=case.lead,
            family=case.family,
            programme=programme,
            people=people,
            enrolled_on=on,
        )
        self.counts["enrolments"] += len(enrolments)

    def _registers(
        self,
        programme: Programme,
        sessions: list[ProgrammeSession],
        recorder: User,
        leaves: dict[int, int] | None = None,
    ) -> None:
        """Mark each past session; ``leaves`` maps an enrolment's place to its last session."""
        enrolments = list(programme.enrolments.order_by("enrolled_on", "person__first_name"))
        leaves = leaves or {}
        for session in sessions:
            if session.date > self.today:
                break
            marks = {
                e.pk: self.rng.choices([m for m, _ in _MARKS], weights=[w for _, w in _MARKS])[0]
                for place, e in enumerate(enrolments)
                if e.enrolled_on <= session.date and session.number <= leaves.get(place, 99)
            }
            if not marks:
                continue
            record_attendance(actor=recorder, session=session, marks=marks)
            # The register was kept on the day (demo history only).
            Attendance.objects.filter(session=session).update(recorded_at=moment(session.date, 12))
            self.counts["attendance_marks"] += len(marks)

    def build(self, cases: list[Case]) -> None:
        open_cases = [c for c in cases if not c.story.closed]
        self.parenting_course(open_cases)
        self.early_years_group(open_cases)
        self.young_carers(open_cases)

    def parenting_course(self, cases: list[Case]) -> None:
        starts = self.today - timedelta(weeks=14)
        programme, sessions = self._programme(
            team="north",
            name="Calmer Mornings parenting course",
            kind=ProgrammeKind.PARENTING_COURSE,
            starts_on=starts,
            sessions=8,
            provider="Fictionford Family Trust",
            capacity=12,
            description="Eight weekly sessions for parents on routines, boundaries and calm "
            "conversations, with a crèche.",
            location="Exampleton Family Hub, meeting room 2",
        )
        chosen = [
            c
            for c in cases
            if c.story.stage is Stage.AUTHORISED and c.dates.opened <= starts + timedelta(days=7)
        ][:8]
        for case in chosen:
            on = max(case.dates.opened + timedelta(days=7), starts - timedelta(days=10))
            self._enrol(case, programme, [case.parent], min(on, starts + timedelta(days=7)))
        recorder = self.users["north.practitioner"]
        # The third parent on the register stops after session 3.
        self._registers(programme, sessions, recorder, leaves={2: 3})
        assert programme.ends_on is not None
        for place, enrolment in enumerate(
            programme.enrolments.order_by("enrolled_on", "person__first_name")
        ):
            if place == 2:
                withdraw_enrolment(
                    actor=recorder,
                    enrolment=enrolment,
                    on=sessions[2].date + timedelta(days=2),
                    reason="Started a new job with morning shifts; will join the next course.",
                )
                self.counts["enrolments_withdrawn"] += 1
            else:
                complete_enrolment(actor=recorder, enrolment=enrolment, on=programme.ends_on)
                self.counts["enrolments_completed"] += 1

    def early_years_group(self, cases: list[Case]) -> None:
        starts = self.today - timedelta(weeks=8)
        programme, sessions = self._programme(
            team="south",
            name="Little Steps stay-and-play",
            kind=ProgrammeKind.EARLY_YEARS_GROUP,
            starts_on=starts,
            sessions=12,
            provider="Exampleton Children's Centre",
            capacity=16,
            description="Weekly stay-and-play for children under 5 and their parents: songs, "
            "stories, messy play and a health visitor drop-in.",
            location="Exampleton Children's Centre, main hall",
        )
        families = 0
        for case in cases:
            young = case.children_aged(0, 5, self.today)
            if not young or case.story.stage is Stage.NEW or families == 6:
                continue
            if case.dates.opened > self.today - timedelta(days=14):
                continue
            on = max(starts, case.dates.opened + timedelta(days=7))
            self._enrol(case, programme, [young[0], case.parent], on)
            families += 1
        self._registers(programme, sessions, self.users["south.practitioner"])

    def young_carers(self, cases: list[Case]) -> None:
        programme, _sessions = self._programme(
            team="north",
            name="Young carers' group",
            kind=ProgrammeKind.OTHER_GROUP,
            starts_on=self.today + timedelta(weeks=3),
            sessions=6,
            capacity=10,
            description="A six-week group for young people who help look after someone at "
            "home: time out, peer support and a plan for school.",
            location="Fictionford Youth Centre",
        )
        enrolled = 0
        for case in cases:
            older = case.children_aged(10, 17, self.today)
            if older and case.episode.team.slug == "north" and enrolled < 2:
                self._enrol(case, programme, older[:1], self.today - timedelta(days=3))
                enrolled += 1

    # --- observations ------------------------------------------------------------------

    def observations(self, cases: list[Case]) -> None:
        for case in cases:
            if case.story.closed or case.story.stage is Stage.NEW:
                continue
            for child in case.children:
                for data in self._child_observations(case, child):
                    record_observation(actor=case.lead, family=case.family, data=data)
                    self.counts[f"observation:{data.kind}"] += 1

    def _child_observations(self, case: Case, child: Person) -> list[ObservationInput]:
        dob = child.date_of_birth
        if dob is None:
            return []
        age = age_on(child, self.today)
        education = texts.EDUCATION in case.needs and child in case.needs[texts.EDUCATION]
        early = texts.EARLY_YEARS in case.needs
        found: list[ObservationInput] = []
        checks = [
            (ObservationKind.TWO_YEAR_CHECK, dob + timedelta(days=820), 2.3, 5),
            (ObservationKind.SCHOOL_READINESS, dob + timedelta(days=1800), 4.95, 7),
        ]
        for kind, on, low, high in checks:
            if low <= age < high and on <= self.today:
                outcome = MilestoneOutcome.NEEDS_SUPPORT if early else MilestoneOutcome.ON_TRACK
                found.append(
                    ObservationInput(
                        person_id=child.pk,
                        kind=kind,
                        observed_on=on,
                        outcome=outcome,
                        note="ASQ-3 completed with the health visitor."
                        if kind == ObservationKind.TWO_YEAR_CHECK
                        else "Reception baseline shared by the school.",
                    )
                )
        if 5 <= age < 17:
            end = self.today - timedelta(days=12)
            if education:
                before = self.rng.randint(760, 890) / 10
                readings = [before, min(before + self.rng.randint(30, 90) / 10, 99.0)]
            else:
                readings = [self.rng.randint(930, 995) / 10]
            for step, percent in enumerate(reversed(readings)):
                period_end = end - timedelta(days=58 * step)
                found.append(
                    ObservationInput(
                        person_id=child.pk,
                        kind=ObservationKind.SCHOOL_ATTENDANCE,
                        observed_on=period_end + timedelta(days=3),
                        attendance_percent=Decimal(f"{percent:.1f}"),
                        period_start=period_end - timedelta(days=48),
                        period_end=period_end,
                        note="From the school's register.",
                    )
                )
            if education:
                found.append(
                    ObservationInput(
                        person_id=child.pk,
                        kind=ObservationKind.SEN_STATUS,
                        observed_on=self.today - timedelta(days=30),
                        sen_status=SenStatus.EHC_PLAN
                        if self.rng.random() < 0.3
                        else SenStatus.SEN_SUPPORT,
                    )
                )
            elif case.index % 4 == 1:
                found.append(
                    ObservationInput(
                        person_id=child.pk,
                        kind=ObservationKind.SEN_STATUS,
                        observed_on=self.today - timedelta(days=45),
                        sen_status=SenStatus.NO_SEN,
                    )
                )
        risky = {texts.CRIME, texts.EXPLOITATION} & set(case.needs)
        if 11 <= age < 17 and (risky or education):
            permanent = texts.CRIME in case.needs and case.index % 2 == 0
            found.append(
                ObservationInput(
                    person_id=child.pk,
                    kind=ObservationKind.EXCLUSION,
                    observed_on=self.today - timedelta(days=40),
                    exclusion_type=ExclusionType.PERMANENT
                    if permanent
                    else ExclusionType.SUSPENSION,
                    exclusion_days=None if permanent else Decimal("2.5"),
                    note="Reported by the school.",
                )
            )
        return found
