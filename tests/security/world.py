"""One synthetic record with a row of every kind, for the security tests (no tests here).

An open North family (lead: pat) with a plan (reviewed once, an objection recorded and
withdrawn), a case note with a photo, an assessment, agreements to share with the school, a
sharing decision under a gateway, an approved disclosure package, a partner login linked to the
school's teacher, a programme enrolment, an observation and an achieved outcome with its
sustain check; and a referral with an attachment. Everything is invented.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import Headline
from earlyhelp.outcomes.models import SustainCheck
from earlyhelp.outcomes.services import RatingInput, rate_outcome
from earlyhelp.partners.services import link_partner_user
from earlyhelp.plans import services as plans
from earlyhelp.programmes.observations import ObservationInput, record_observation
from earlyhelp.programmes.services import add_session, enrol
from earlyhelp.referrals.services import create_referral
from earlyhelp.sharing.models import Agreement
from tests.factories import PASSWORD, World, build_world, referral_input
from tests.plans.conftest import make_setup
from tests.programmes.conftest import make_programme
from tests.sharing.test_packages_support import Case, build_case, png_bytes

ROLES = [
    "anonymous",
    "practitioner",
    "practitioner_south",
    "manager",
    "manager_south",
    "duty",
    "dpo",
    "analyst",
    "admin",
    "partner",
]


@dataclass
class Record:
    world: World
    case: Case
    ids: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self.world, role)


def build_record() -> Record:
    world = build_world()
    s = make_setup(world, last_name="Ashgrove")
    case = build_case(world, s)
    agreements = case.agree()
    plan = case.version.plan
    practitioner = world.practitioner

    objection = plans.record_objection(
        actor=practitioner,
        plan=plan,
        objected_by=s.parent.pk,
        objected_on=timezone.localdate(),
        note="Wanted to read it first.",
    )
    plans.withdraw_objection(actor=practitioner, objection=objection)

    decision = case.gateway_decision()
    package = case.approved()
    link_partner_user(actor=None, contact=s.teacher, user=world.partner)

    version = plans.current_version(plan)
    outcomes = list(version.outcomes.order_by("position"))
    review = plans.record_review(
        actor=practitioner,
        plan=plan,
        data=plans.ReviewInput(
            held_on=timezone.localdate(),
            summary="Mornings are calmer.",
            change_summary="No changes.",
            progress=[plans.ProgressInput(o.pk, "on_track") for o in outcomes],
        ),
    )
    version = plans.current_version(plan)
    teacher_action = version.actions.filter(owner_contact=s.teacher).first()
    assert teacher_action is not None

    programme = make_programme(world)
    session = add_session(
        actor=practitioner,
        programme=programme,
        on=timezone.localdate() - timedelta(days=1),
        location="Brookfield Centre",
    )
    enrolment = enrol(actor=practitioner, family=s.family, programme=programme, people=[s.parent])[
        0
    ]
    observation = record_observation(
        actor=practitioner,
        family=s.family,
        data=ObservationInput(
            person_id=s.child.pk,
            kind="school_readiness",
            observed_on=timezone.localdate(),
            outcome="on_track",
        ),
    )
    outcome = plans.current_version(plan).outcomes.order_by("position").first()
    assert outcome is not None
    rating, _ = rate_outcome(
        actor=practitioner,
        family=s.family,
        item=RatingInput(
            plan_outcome_id=outcome.pk,
            rating="achieved",
            evidence="Attendance 97% this half term.",
            achieved_on=timezone.localdate() - timedelta(days=7),
        ),
    )
    check = SustainCheck.objects.get(rating=rating)

    referral = create_referral(
        actor=world.duty,
        data=referral_input(last_name="Hazelby"),
        attachments=[io.BytesIO(png_bytes())],
        attachment_names=["letter.png"],
    )

    ids: dict[str, Any] = {
        "family_id": s.family.pk,
        "referral_id": referral.pk,
        "referral_attachment_id": referral.attachments.get().pk,
        "contact_id": case.note.pk,
        "contact_attachment_id": case.attachment.pk,
        "assessment_id": case.assessment.pk,
        "need_id": case.assessment.needs.first().pk,  # type: ignore[union-attr]
        "code": Headline.objects.order_by("code").first().code,  # type: ignore[union-attr]
        "plan_id": plan.pk,
        "version_id": case.version.pk,
        "number": case.version.number,
        "outcome_id": outcome.pk,
        "action_id": teacher_action.pk,
        "review_id": review.pk,
        "objection_id": objection.pk,
        "organisation_id": s.school.pk,
        "partner_contact_id": s.teacher.pk,
        "programme_id": programme.pk,
        "session_id": session.pk,
        "enrolment_id": enrolment.pk,
        "observation_id": observation.pk,
        "rating_id": rating.pk,
        "check_id": check.pk,
        "agreement_id": agreements[0].pk,
        "decision_id": decision.pk,
        "person_id": s.parent.pk,
        "package_id": package.pk,
        "version": 1,
        "public_person_number": 1,
        # A break-glass access needs a restricted family; none here, so an id naming nothing.
        "access_id": UUID("00000000-0000-4000-8000-0000000acce5"),
        # No directory change waits in the record: an id naming nothing.
        "change_id": UUID("00000000-0000-4000-8000-00000000c4a9"),
        # No burst of refused access in the record: an id naming nothing.
        "alert_id": UUID("00000000-0000-4000-8000-0000000a1e27"),
    }
    assert Agreement.objects.filter(pk=ids["agreement_id"]).exists()
    return Record(world=world, case=case, ids=ids)


def random_ids(ids: dict[str, Any]) -> dict[str, Any]:
    """The same parameters with every UUID replaced by one that names nothing."""
    return {
        key: UUID("00000000-0000-4000-8000-00000000beef") if isinstance(value, UUID) else value
        for key, value in ids.items()
    }


__all__ = ["PASSWORD", "ROLES", "Record", "build_record", "random_ids"]
