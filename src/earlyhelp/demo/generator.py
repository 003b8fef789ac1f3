"""Build the synthetic demo: teams, staff in every role, and families in every state.

Everything is written through the real services (accounts, people, referrals, casework,
contacts, assessments, plans, partners, programmes, outcomes), so the audit trail, validation
and business rules apply exactly as they do for a real user. Each accepted family follows a
story (``stories``) dated back from the day the demo is loaded; the case work is in
``casework``, ``plans`` and ``programmes``. A fixed seed makes the data the same on every
machine.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.accounts.services import create_team, create_user
from earlyhelp.casework.models import Allocation, Episode, TimelineEntry
from earlyhelp.core import codelists
from earlyhelp.datamap.models import PrivacyNotice
from earlyhelp.demo import names
from earlyhelp.demo.case import Case, family_people, pick_school
from earlyhelp.demo.casework import CaseworkBuilder
from earlyhelp.demo.history import moment, set_fields
from earlyhelp.demo.partners import Directory, build_directory
from earlyhelp.demo.plans import PlanBuilder
from earlyhelp.demo.programmes import ProgrammeBuilder
from earlyhelp.demo.sharing import SharingBuilder, mail_kept_in_memory
from earlyhelp.demo.stories import CLOSED_STORIES, OPEN_STORIES, Dates, Stage, Story, dates_for
from earlyhelp.people.models import Family, FamilyRole, Person
from earlyhelp.people.services import add_to_family, create_person, set_address_confidential
from earlyhelp.referrals.models import Channel, Outcome, Referral
from earlyhelp.referrals.services import (
    Decision,
    PersonInput,
    ReferralInput,
    create_referral,
    record_decision,
)
from earlyhelp.restricted.services import break_glass, restrict_family, restrict_person

SEED = 20260401
# Shared by every demo login; long enough for the minimum-length validator.
DEMO_PASSWORD = "synthetic-demo-only-2026"  # noqa: S105 - a published demo password
# The demo has been loaded when this team exists.
MARKER_TEAM = "front-door"

TEAMS = [
    ("north", "North Family Support"),
    ("south", "South Family Support"),
    ("front-door", "Front Door"),
]


@dataclass(frozen=True)
class Staff:
    username: str
    role: Role
    team: str | None
    first_name: str
    last_name: str


STAFF = [
    Staff("duty", Role.DUTY_WORKER, "front-door", "Dee", "Dutton"),
    Staff("north.manager", Role.TEAM_MANAGER, "north", "Morgan", "Northcote"),
    Staff("north.practitioner", Role.PRACTITIONER, "north", "Pat", "Penrose"),
    Staff("north.practitioner2", Role.PRACTITIONER, "north", "Rowan", "Ellery"),
    Staff("south.manager", Role.TEAM_MANAGER, "south", "Sol", "Southam"),
    Staff("south.practitioner", Role.PRACTITIONER, "south", "Sam", "Selwood"),
    Staff("dpo", Role.DPO, None, "Dana", "Protheroe"),
    Staff("analyst", Role.ANALYST, None, "Ana", "Lytton"),
    Staff("admin", Role.ADMIN, None, "Adam", "Minster"),
    Staff("partner", Role.PARTNER, None, "Parker", "Ashdown"),
]

# How many referrals end in each state. Accepted ones (open + closed) each make a family.
AWAITING_TRIAGE = 12
DECLINED = 5
NO_FURTHER_ACTION = 4
SIGNPOSTED = 4
SOCIAL_CARE = 2
OPEN = len(OPEN_STORIES)
CLOSED = len(CLOSED_STORIES)
# Accepted in the last few days and not yet given a lead practitioner: (team, how many).
UNALLOCATED = [("north", 2), ("south", 1)]
RE_REFERRED = 2  # closed families referred again: a new episode in the same family
LINKED = 2  # referrals about a family that already has an open episode

_AWAITING_CHANNELS = [
    Channel.ONLINE_FORM,
    Channel.PHONE,
    Channel.EMAIL,
    Channel.ONLINE_FORM,
    Channel.LETTER,
    Channel.FACE_TO_FACE,
    Channel.OTHER_SERVICE,
    Channel.ONLINE_FORM,
]
_DECIDED_CHANNELS = [Channel.PHONE, Channel.EMAIL, Channel.OTHER_SERVICE, Channel.ONLINE_FORM]
_SUMMARIES = [
    "School attendance has dropped this term and mum has asked for help with morning routines.",
    "Health visitor concerned about low mood after the birth; family would welcome support.",
    "Rent arrears and a notice from the landlord; the children have moved school twice.",
    "Frequent arguments at home reported by the older child to a teacher.",
    "Youngest child not meeting early years milestones; parents unsure where to turn.",
    "Family struggling with debts and food costs since a parent lost work.",
]
_SIGNPOSTS = [
    "Family hub parenting course; local food bank.",
    "School nurse drop-in; Citizens Advice debt service.",
    "Children's centre stay-and-play sessions.",
]


@dataclass
class DemoSummary:
    created: bool
    counts: Counter[str] = field(default_factory=Counter)
    # The family with a bit of everything, to open first.
    showcase_family: UUID | None = None
    showcase_lead: str = ""


class _Accepted(NamedTuple):
    family: Family
    episode: Episode
    lead: str  # username
    referral: Referral
    story: Story
    dates: Dates


@dataclass
class _Household:
    surname: str
    people: list[PersonInput]
    address_line1: str
    town: str
    postcode: str


class _Builder:
    def __init__(self, *, now: datetime, today: date) -> None:
        self.rng = random.Random(SEED)
        self.now = now
        self.today = today
        self.nhs = names.nhs_numbers(self.rng)
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.directory = Directory()
        self.counts: Counter[str] = Counter()
        self.reasons = [code for code, _label in codelists.choices("referral_reasons")]
        self.sources = [code for code, _label in codelists.choices("referral_sources")]
        self.privacy_notice = PrivacyNotice.objects.order_by("-version").first()
        # Force a few accented first names so accent-insensitive search is easy to show.
        self.featured_names = ["Zoë", "Siân", "José", "Chloé", "Björn"]

    # --- staff -------------------------------------------------------------------------

    def staff(self) -> None:
        for slug, name in TEAMS:
            self.teams[slug] = create_team(actor=None, slug=slug, name=name)
        for member in STAFF:
            created = create_user(
                actor=None,
                username=member.username,
                role=member.role.value,
                team_slug=member.team,
                email=f"{member.username}@example.org",
                password=DEMO_PASSWORD,
                first_name=member.first_name,
                last_name=member.last_name,
            )
            self.users[member.username] = created.user

    # --- households and referrals ------------------------------------------------------

    def _nhs_number(self, chance: float) -> str:
        return next(self.nhs) if self.rng.random() < chance else ""

    def household(self) -> _Household:
        rng = self.rng
        surname = rng.choice(names.SURNAMES)
        people: list[PersonInput] = []
        for index in range(rng.choice([1, 1, 2])):
            sex = "female" if index == 0 or rng.random() < 0.2 else "male"
            # Some second carers keep their own surname.
            last = surname if index == 0 or rng.random() < 0.7 else rng.choice(names.SURNAMES)
            people.append(
                PersonInput(
                    first_name=names.first_name(rng, sex),
                    last_name=last,
                    date_of_birth=names.birth_date(rng, self.today, min_age=19, max_age=50),
                    sex=sex,
                    role=FamilyRole.PARENT_OR_CARER,
                    nhs_number=self._nhs_number(0.5),
                )
            )
        for index in range(rng.choice([1, 1, 2, 2, 3, 4])):
            sex = rng.choice(["female", "male"])
            first = names.first_name(rng, sex)
            if index == 0 and self.featured_names:
                first = self.featured_names.pop(0)
                sex = "male" if first in ("José", "Björn") else "female"
            people.append(
                PersonInput(
                    first_name=first,
                    last_name=surname,
                    date_of_birth=names.birth_date(rng, self.today, min_age=0, max_age=17),
                    sex=sex,
                    role=FamilyRole.CHILD,
                    nhs_number=self._nhs_number(0.85),
                )
            )
        line1, town = names.street_address(rng)
        return _Household(surname, people, line1, town, names.postcode(rng))

    def referral(
        self, household: _Household, channel: str, *, received_at: datetime | None = None
    ) -> Referral:
        rng = self.rng
        if received_at is None:
            received_at = self.now - timedelta(
                days=rng.randint(0, 120), minutes=rng.randint(5, 600)
            )
        online = channel == Channel.ONLINE_FORM
        source = "self_or_family" if online and rng.random() < 0.6 else rng.choice(self.sources)
        if source == "self_or_family":
            carer = household.people[0]
            referrer, organisation, role = f"{carer.first_name} {carer.last_name}", "", "Parent"
        else:
            referrer = rng.choice(names.REFERRER_NAMES)
            organisation = names.REFERRER_ORGANISATIONS.get(source, "")
            role = "Designated safeguarding lead" if source == "school" else "Practitioner"
        data = ReferralInput(
            channel=channel,
            source=source,
            received_at=received_at,
            referrer_name=referrer,
            referrer_organisation=organisation,
            referrer_role=role,
            referrer_phone=f"01632 960{rng.randint(0, 999):03d}",  # Ofcom drama range
            referrer_email=f"referrer{rng.randint(1, 999)}@example.org",
            family_aware=True,
            family_consents=rng.random() < 0.85,
            address_line1=household.address_line1,
            address_town=household.town,
            address_postcode=household.postcode,
            people=household.people,
            reasons=rng.sample(self.reasons, rng.randint(1, 3)),
            summary=rng.choice(_SUMMARIES),
        )
        self.counts[f"channel:{channel}"] += 1
        if online:
            # The public form: no signed-in actor, and the notice version the family saw.
            return create_referral(actor=None, data=data, privacy_notice=self.privacy_notice)
        return create_referral(actor=self.users["duty"], data=data)

    def decide(
        self, referral: Referral, decision: Decision
    ) -> tuple[Family | None, Episode | None]:
        result = record_decision(actor=self.users["duty"], referral=referral, decision=decision)
        self.counts[f"outcome:{decision.outcome}"] += 1
        # Triaged a day or two after it arrived, not all in the second the demo loads
        # (demo history only).
        decided = referral.received_at + timedelta(days=self.rng.randint(1, 2), hours=2)
        set_fields(referral, decided_at=min(decided, self.now))
        family = Family.objects.get(pk=result.family_id) if result.family_id else None
        episode = Episode.objects.get(pk=result.episode_id) if result.episode_id else None
        return family, episode

    # --- states ------------------------------------------------------------------------

    def awaiting(self) -> None:
        for index in range(AWAITING_TRIAGE):
            channel = _AWAITING_CHANNELS[index % len(_AWAITING_CHANNELS)]
            received = self.now - timedelta(days=self.rng.randint(0, 9), minutes=index * 37)
            self.referral(self.household(), channel, received_at=received)

    def triaged_without_family(self) -> None:
        plan = (
            [Decision(outcome=Outcome.DECLINED)] * DECLINED
            + [Decision(outcome=Outcome.NFA)] * NO_FURTHER_ACTION
            + [Decision(outcome=Outcome.SOCIAL_CARE)] * SOCIAL_CARE
            + [
                Decision(outcome=Outcome.SIGNPOSTED, signposted_to=_SIGNPOSTS[i % len(_SIGNPOSTS)])
                for i in range(SIGNPOSTED)
            ]
        )
        for index, decision in enumerate(plan):
            channel = _DECIDED_CHANNELS[index % len(_DECIDED_CHANNELS)]
            self.decide(self.referral(self.household(), channel), decision)

    def _allocation(self, index: int) -> tuple[str, str]:
        """Alternate the teams; spread the lead practitioner role across their staff."""
        if index % 2 == 0:
            leads = ["north.practitioner", "north.practitioner2", "north.manager"]
            return "north", leads[(index // 2) % len(leads)]
        return "south", ["south.practitioner", "south.manager"][(index // 2) % 2]

    def _open_on(self, episode: Episode, referral: Referral, day: date) -> None:
        """Date the triage decision and the episode it opened to the story's day.

        ``record_decision`` stamps both with now (demo history only).
        """
        when = moment(day, 10)
        set_fields(referral, decided_at=when)
        set_fields(episode, opened_at=when)
        Allocation.objects.filter(episode=episode).update(allocated_at=when)
        TimelineEntry.objects.filter(object_type="episode", object_id=str(episode.pk)).update(
            occurred_at=when
        )

    def accepted(self) -> list[_Accepted]:
        """A referral accepted for each story, received and decided on the story's days."""
        families = []
        stories = [*OPEN_STORIES, *CLOSED_STORIES]
        for index, story in enumerate(stories):
            team, lead = self._allocation(index)
            dates = dates_for(story, self.today)
            channel = _DECIDED_CHANNELS[index % len(_DECIDED_CHANNELS)]
            received = moment(dates.received, self.rng.randint(8, 17), self.rng.randint(0, 59))
            referral = self.referral(self.household(), channel, received_at=received)
            family, episode = self.decide(
                referral,
                Decision(outcome=Outcome.ACCEPTED, team_slug=team, lead_practitioner=lead),
            )
            assert family is not None and episode is not None
            self._open_on(episode, referral, dates.opened)
            families.append(_Accepted(family, episode, lead, referral, story, dates))
        return families

    def enrich(self, families: list[_Accepted]) -> None:
        """Unborn children, estimated dates of birth and confidential addresses."""
        duty = self.users["duty"]
        for family, *_rest in families[:4]:
            surname = (
                family.members.order_by("date_of_birth", "first_name")
                .values_list("last_name", flat=True)
                .first()
            )
            unborn = create_person(
                actor=duty,
                last_name=surname or "",
                unborn=True,
                date_of_birth=self.today + timedelta(days=self.rng.randint(20, 200)),
                date_of_birth_estimated=True,
            )
            add_to_family(actor=duty, family=family, person=unborn, role=FamilyRole.CHILD)
            self.counts["unborn"] += 1
        for family, *_rest in families[4:6]:
            # A young person whose age was assessed, not documented.
            young = create_person(
                actor=duty,
                first_name=self.rng.choice(["Idris", "Amara", "Kwame"]),
                last_name=self.rng.choice(names.SURNAMES),
                date_of_birth=date(self.today.year - 16, 1, 1),
                date_of_birth_estimated=True,
                sex="unknown",
            )
            add_to_family(
                actor=duty, family=family, person=young, role=FamilyRole.OTHER_HOUSEHOLD_MEMBER
            )
            self.counts["estimated_dob"] += 1
        for family, _episode, lead, *_rest in families[6:11]:
            carer = family.memberships.filter(role=FamilyRole.PARENT_OR_CARER).first()
            address = carer.person.addresses.first() if carer else None
            if address is not None:
                set_address_confidential(actor=self.users[lead], address=address, confidential=True)
                self.counts["confidential_address"] += 1

    # --- case work ---------------------------------------------------------------------

    def _case(self, index: int, accepted: _Accepted) -> Case:
        family, episode, lead, referral, story, dates = accepted
        team = episode.team.slug
        author = self.users[lead]
        if lead.endswith("manager"):
            author = self.users["north.practitioner2" if team == "north" else "south.practitioner"]
        parents, children, members = family_people(family)
        school, school_lead = pick_school(self.rng, self.directory)
        return Case(
            index=index,
            family=family,
            episode=episode,
            referral=referral,
            lead=self.users[lead],
            author=author,
            manager=self.users[f"{team}.manager"],
            story=story,
            dates=dates,
            parents=parents,
            children=children,
            members=members,
            school=school,
            school_lead=school_lead,
        )

    def casework(self, accepted: list[_Accepted]) -> list[Case]:
        """Contacts, assessments, plans, reviews and, for closed families, ratings and closure."""
        cases = [self._case(index, item) for index, item in enumerate(accepted)]
        work = CaseworkBuilder(rng=self.rng, today=self.today, counts=self.counts)
        plans = PlanBuilder(
            rng=self.rng, today=self.today, directory=self.directory, counts=self.counts
        )
        corrected_by_manager = False
        for case in cases:
            work.assessment(case)
            if case.story.stage is Stage.AUTHORISED:
                case.taf = plans.taf_for(case)
            contacts = work.contacts(case)
            plans.plan(case)
            if case.story.flagship:
                work.showcase_notes(case)
            if not corrected_by_manager and case.episode.team.slug == "south" and len(contacts) > 2:
                work.manager_correction(case, contacts[1])
                corrected_by_manager = True
            if case.story.closed:
                plans.rate(case)
                work.close(case)
                plans.sustain(case)
        return cases

    def programmes(self, cases: list[Case]) -> None:
        builder = ProgrammeBuilder(
            rng=self.rng,
            today=self.today,
            users=self.users,
            teams=self.teams,
            directory=self.directory,
            counts=self.counts,
        )
        builder.build(cases)
        builder.observations(cases)

    def sharing(self, cases: list[Case]) -> None:
        """Agreements, sharing decisions, plans sent to the TAF, the partner login."""
        SharingBuilder(
            today=self.today, users=self.users, directory=self.directory, counts=self.counts
        ).build(cases)

    def restrictions(self, cases: list[Case]) -> None:
        """A restricted family (a member of staff's own), opened once through break-glass and
        waiting for review; and a restricted parent (a high-profile case) in another family.
        Families the partner sees or the showcase are left alone."""
        candidates = [
            case
            for case in cases
            if case.episode.is_open
            and not case.story.flagship
            and not case.taf
            and case.lead.username == "north.practitioner"
        ]
        if len(candidates) < 2:
            return
        staff_family, high_profile = candidates[-1], candidates[-2]
        manager = self.users["north.manager"]
        restrict_family(
            actor=manager,
            family=staff_family.family,
            reason="Synthetic demo: the family of a member of the council's staff.",
            allowed=["north.practitioner", "north.manager"],
        )
        break_glass(
            actor=self.users["north.practitioner2"],
            family=staff_family.family,
            reason="Synthetic demo: covering a home visit while the lead practitioner is away.",
        )
        restrict_person(
            actor=manager,
            person=high_profile.parents[0],
            reason="Synthetic demo: a parent whose case has been in the local news.",
            allowed=["north.practitioner", "north.manager"],
        )
        self.counts["restricted_records"] = 2

    def partners(self) -> None:
        phones = [f"01632 960{n:03d}" for n in self.rng.sample(range(1000), 60)]
        self.directory = build_directory(actor=self.users["admin"], phones=phones)
        self.counts["organisations"] = len(self.directory.organisations)
        self.counts["partner_contacts"] = sum(len(c) for c in self.directory.by_kind.values())

    def _known_people_referral(
        self, people: list[Person], channel: str, *, days_ago: int
    ) -> Referral:
        line1, town = names.street_address(self.rng)
        household = _Household(
            surname=people[0].last_name,
            people=[
                PersonInput(
                    first_name=p.first_name,
                    last_name=p.last_name,
                    date_of_birth=p.date_of_birth,
                    sex=p.sex,
                    role=FamilyRole.CHILD,
                    nhs_number=p.nhs_number,
                )
                for p in people
            ],
            address_line1=line1,
            town=town,
            postcode=names.postcode(self.rng),
        )
        received = moment(self.today - timedelta(days=days_ago), self.rng.randint(9, 16))
        return self.referral(household, channel, received_at=received)

    def _children(self, family: Family) -> list[Person]:
        return list(
            Person.objects.filter(
                memberships__family=family,
                memberships__role=FamilyRole.CHILD,
                unborn=False,
            ).order_by("date_of_birth", "first_name")[:1]
        )

    def repeat_referrals(self, accepted: list[_Accepted]) -> None:
        """Referrals about people already known, linked at triage to their records."""
        for item in accepted[OPEN : OPEN + RE_REFERRED]:
            children = self._children(item.family)
            referral = self._known_people_referral(
                children, Channel.PHONE, days_ago=self.rng.randint(6, 12)
            )
            _family, episode = self.decide(
                referral,
                Decision(
                    outcome=Outcome.ACCEPTED,
                    team_slug="south",
                    lead_practitioner="south.practitioner",
                    links=self._links(referral, children),
                ),
            )
            assert episode is not None
            self._open_on(episode, referral, self.today - timedelta(days=4))
            self.counts["re_referred"] += 1
        for item in accepted[OPEN - LINKED : OPEN]:
            children = self._children(item.family)
            referral = self._known_people_referral(
                children, Channel.EMAIL, days_ago=self.rng.randint(1, 5)
            )
            self.decide(
                referral,
                Decision(outcome=Outcome.LINKED, links=self._links(referral, children)),
            )

    def _links(self, referral: Referral, children: list[Person]) -> dict[int, UUID]:
        return dict(
            zip(
                referral.people.order_by("pk").values_list("pk", flat=True),
                [c.pk for c in children],
                strict=True,
            )
        )

    def unallocated(self) -> None:
        """Accepted in the last few days, waiting for a manager to name a lead practitioner."""
        for team, how_many in UNALLOCATED:
            for _ in range(how_many):
                received = self.now - timedelta(days=self.rng.randint(1, 3), hours=3)
                referral = self.referral(self.household(), Channel.PHONE, received_at=received)
                _family, episode = self.decide(
                    referral, Decision(outcome=Outcome.ACCEPTED, team_slug=team)
                )
                assert episode is not None
                self._open_on(episode, referral, timezone.localdate(received) + timedelta(days=1))
                self.counts["unallocated"] += 1


def demo_loaded() -> bool:
    return Team.objects.filter(slug=MARKER_TEAM).exists()


def load_demo() -> DemoSummary:
    """Create the demo data once; a second call changes nothing."""
    # The plans the demo e-mails to TAF members never reach a mail server.
    with mail_kept_in_memory():
        return _load_demo()


@transaction.atomic
def _load_demo() -> DemoSummary:
    if demo_loaded():
        return DemoSummary(created=False)
    builder = _Builder(now=timezone.now(), today=timezone.localdate())
    builder.staff()
    builder.partners()
    builder.awaiting()
    builder.triaged_without_family()
    accepted = builder.accepted()
    builder.enrich(accepted[:OPEN])
    cases = builder.casework(accepted)
    builder.programmes(cases)
    builder.sharing(cases)
    builder.restrictions(cases)
    builder.repeat_referrals(accepted)
    builder.unallocated()
    flagship = next(case for case in cases if case.story.flagship)
    builder.counts["families"] = Family.objects.count()
    builder.counts["people"] = Person.objects.count()
    builder.counts["referrals"] = Referral.objects.count()
    return DemoSummary(
        created=True,
        counts=builder.counts,
        showcase_family=flagship.family.pk,
        showcase_lead=flagship.lead.username,
    )
