"""Builders for the disclosure package tests (no tests here).

A synthetic family built for the "never in any output" proofs: Marigold (parent) and Zoë
(child) are included; Wystan ("Wys"), a household member, is a third party; Marigold has a
confidential address (a refuge) that the case note, the assessment and the plan all mention.
Everything is invented; addresses are example ones.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.assessments import services as assessments
from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.contacts.services import ContactInput, VoiceInput, record_contact
from earlyhelp.casework.models import Contact, ContactAttachment
from earlyhelp.people.models import Address
from earlyhelp.plans import services as plans
from earlyhelp.plans.models import PlanVersion
from earlyhelp.sharing.decisions import DecisionInput, record_decision
from earlyhelp.sharing.models import DisclosurePackage, Scope, SharingDecision
from earlyhelp.sharing.packages import services
from earlyhelp.sharing.packages.services import PackageInput
from tests.factories import World, agree_to_share, make_user
from tests.plans.conftest import Setup, start_plan

ADDRESS_LINE = "7 Heronsgate Close"
ADDRESS_STREET = "Heronsgate Close"
POSTCODE = "ZZ9 4QX"
# What must never appear in any output of a package (case-insensitive).
NEVER = ["wystan", "wys ", "wys.", "heronsgate", "zz9 4qx", "zz94qx"]
ALL_SCOPES = (Scope.PLAN, Scope.ASSESSMENTS, Scope.CASE_NOTES)


def png_bytes() -> bytes:
    """A real 1x1 PNG (it passes the upload type check by its content)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@dataclass
class Case:
    world: World
    s: Setup
    version: PlanVersion
    assessment: Assessment
    note: Contact
    attachment: ContactAttachment
    second_manager: User

    def items(self, *, attachment: bool = True) -> list[dict[str, str]]:
        items = [
            {"type": "plan_version", "id": str(self.version.pk)},
            {"type": "assessment", "id": str(self.assessment.pk)},
            {"type": "contact", "id": str(self.note.pk)},
        ]
        if attachment:
            items.append({"type": "attachment", "id": str(self.attachment.pk)})
        return items

    def package_input(self, **overrides: Any) -> PackageInput:
        values: dict[str, Any] = {
            "recipient_organisation": self.s.school.pk,
            "recipient_contact": self.s.teacher.pk,
            "purpose": "Attendance support at Brookfield: the school's safeguarding lead.",
            "items": self.items(),
            "people": [self.s.parent.pk, self.s.child.pk],
        }
        values.update(overrides)
        return PackageInput(**values)

    def agree(self, scopes: tuple[str, ...] = ALL_SCOPES) -> list[Any]:
        return [
            agree_to_share(
                self.world.practitioner,
                self.s.family,
                person,
                organisation=self.s.school,
                scopes=scopes,
                given_by=self.s.parent,
                purpose="Attendance support",
            )
            for person in (self.s.parent, self.s.child)
        ]

    def create(self, actor: User | None = None, **overrides: Any) -> DisclosurePackage:
        return services.create_package(
            actor=actor or self.world.practitioner,
            family=self.s.family,
            data=self.package_input(**overrides),
        )

    def approved(self, **overrides: Any) -> DisclosurePackage:
        package = self.create(**overrides)
        services.submit_package(actor=self.world.practitioner, package=package)
        outcome = services.approve_package(actor=self.world.manager, package=package, note="")
        assert outcome.done, outcome.check.reason
        return outcome.package

    def gateway_decision(self) -> SharingDecision:
        return record_decision(
            actor=self.world.practitioner,
            family=self.s.family,
            data=DecisionInput(
                outcome="share",
                decided_on=timezone.localdate(),
                people=[self.s.parent.pk, self.s.child.pk],
                recipient_organisation=self.s.school.pk,
                purpose="The school's safeguarding lead needs the plan and notes.",
                scopes=list(ALL_SCOPES),
                gateway="safeguarding",
                consent_status="not_sought",
                consent_not_sought_reason="Asking would increase the risk to the child.",
                family_told=False,
                family_not_told_reason="Telling them now would increase the risk.",
                necessity="Only the plan, the assessment and one note.",
                items_shared="Plan, assessment, one case note",
                transfer_method="encrypted_file",
            ),
        )


def build_case(world: World, s: Setup) -> Case:
    """The synthetic family's record: a plan, an assessment and a case note with a photo,
    each naming the third party and the confidential address."""
    wystan = s.excluded
    wystan.known_as = "Wys"
    wystan.save()
    Address.objects.create(
        person=s.parent,
        line1=ADDRESS_LINE,
        town="Exampleton",
        postcode=POSTCODE,
        confidential=True,
    )
    plan = start_plan(world, s)
    version = plans.current_version(plan)
    plans.add_action(
        actor=world.practitioner,
        version=version,
        data=plans.ActionInput(
            what="Wystan walks Zoë to school from Heronsgate Close each morning",
            due_on=timezone.localdate() + timedelta(days=7),
            owner_person=wystan.pk,
        ),
    )
    version = plans.current_version(plan)
    assessment = assessments.start_assessment(
        actor=world.practitioner, family=s.family, started_on=timezone.localdate()
    )
    assessments.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=assessments.AssessmentChanges(
            strengths="Marigold is warm and organised.",
            analysis="Since Wys moved in, mornings at 7 Heronsgate Close have been tense.",
            conclusion="Support with routines; Wystan Quillfeather is not a risk.",
        ),
    )
    assessments.add_need(
        actor=world.practitioner,
        assessment=assessment,
        person_id=s.child.pk,
        headline_code="getting_a_good_education",
        evidence="Late most days when WYSTAN drives; attendance 88%.",
        severity="medium",
    )
    note = record_contact(
        actor=world.practitioner,
        family=s.family,
        data=ContactInput(
            contact_type="home_visit",
            occurred_at=timezone.now() - timedelta(days=1),
            note=(
                "Visited Marigold and Zoë at the refuge, ZZ94QX. Wystan was out; "
                "Marigold says Wys. helps in the mornings. Ms Hollis Partridge joined."
            ),
            subjects=[s.parent.pk, s.child.pk, wystan.pk],
            present_members=[s.parent.pk, s.child.pk],
            child_words=[
                VoiceInput(person_id=s.child.pk, text="I like it when wystan makes toast.")
            ],
        ),
        attachments=[io.BytesIO(png_bytes())],
        attachment_names=["Wystan at Heronsgate Close.png"],
    )
    attachment = note.attachments.get()
    second_manager = make_user(Role.TEAM_MANAGER, world.north, "mona")
    return Case(world, s, version, assessment, note, attachment, second_manager)


def assert_clean(text: str, where: str) -> None:
    lowered = text.lower()
    for needle in NEVER:
        assert needle not in lowered, f"{needle!r} leaked into {where}"
