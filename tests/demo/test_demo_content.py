"""After `loaddemo` every case-work screen has realistic content to show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, F
from django.utils import timezone

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.assessments.models import Assessment
from earlyhelp.assessments.services import eligibility
from earlyhelp.casework import dashboards
from earlyhelp.casework.models import (
    Contact,
    ContactAttachment,
    ContactVoice,
    Episode,
    OnwardReferral,
    RecordedAs,
    TimelineEntry,
    TimelineKind,
    VoiceKind,
)
from earlyhelp.core import files
from earlyhelp.outcomes.claims import claim_status
from earlyhelp.outcomes.models import OutcomeRating, Rating, SustainCheck, SustainResult
from earlyhelp.partners import validators
from earlyhelp.partners.models import Organisation, OrganisationKind, PartnerContact
from earlyhelp.people.models import Family
from earlyhelp.plans.models import (
    FamilyPlan,
    PlanAction,
    PlanObjection,
    PlanReview,
    PlanStatus,
    PlanVersion,
    TafMember,
)
from earlyhelp.programmes.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Observation,
    ObservationKind,
    Programme,
    ProgrammeKind,
)
from tests.demo.conftest import LoadedDemo

pytestmark = pytest.mark.django_db

# Sustain checks appear on the caseload this long before they fall due.
NOTICE = timedelta(days=dashboards.SUSTAIN_NOTICE_DAYS)


def _showcase() -> Family:
    return PlanObjection.objects.get(withdrawn_on__isnull=True).plan.family


def test_contacts_record_the_familys_words_corrections_a_tombstone_and_a_photo(
    demo: LoadedDemo,
) -> None:
    voices = ContactVoice.objects.all()
    assert voices.filter(kind=VoiceKind.CHILD, recorded_as=RecordedAs.VERBATIM).exists()
    assert voices.filter(kind=VoiceKind.CHILD, recorded_as=RecordedAs.SUMMARISED).exists()
    assert voices.filter(kind=VoiceKind.PARENT_CARER, recorded_as=RecordedAs.VERBATIM).exists()
    assert voices.filter(kind=VoiceKind.PARENT_CARER, recorded_as=RecordedAs.SUMMARISED).exists()

    corrected = Contact.objects.filter(corrected_at__isnull=False, deleted_at__isnull=True)
    assert corrected.count() >= 2
    for contact in corrected:
        versions = list(contact.history.order_by("history_date"))
        assert len(versions) >= 2
        assert versions[0].note != contact.note
        assert contact.correction_reason
        assert versions[0].history_date < versions[-1].history_date
    # One correction is a manager's, of a practitioner's note.
    assert corrected.exclude(corrected_by=F("recorded_by")).exists()

    deleted = Contact.objects.get(deleted_at__isnull=False)
    assert deleted.episode is not None
    assert deleted.note == ""
    assert deleted.deletion_reason
    assert Membership.objects.filter(
        user=deleted.deleted_by, role=Role.TEAM_MANAGER, team=deleted.episode.team
    ).exists()
    assert TimelineEntry.objects.get(object_id=str(deleted.pk)).title == "Contact deleted"

    photo = ContactAttachment.objects.get()
    assert photo.content_type == "image/png"
    assert files.path_of(photo.stored_name).exists()
    assert photo.contact.family == _showcase()

    now = timezone.now()
    assert not Contact.objects.filter(occurred_at__gt=now).exists()
    assert not Contact.objects.filter(occurred_at__lt=F("episode__opened_at")).exists()
    allocated = Episode.objects.filter(closed_at__isnull=True, lead_practitioner__isnull=False)
    without_contacts = allocated.exclude(family__contacts__isnull=False)
    # Only families re-referred in the last days wait for their first visit.
    assert without_contacts.count() <= 2
    assert Contact.objects.filter(next_contact_on__gte=timezone.localdate()).exists()


def test_assessments_are_in_every_state_with_needs_across_the_headlines(demo: LoadedDemo) -> None:
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert statuses == set(Assessment.Status.values)
    assert Assessment.objects.filter(status="draft").exclude(returned_comment="").exists()

    authorised = Assessment.objects.filter(status="authorised").prefetch_related("needs")
    assert authorised.count() >= 10
    for assessment in authorised:
        assert assessment.authorised_by_id != assessment.submitted_by_id
        assert assessment.completed_on is not None
        assert assessment.started_on <= assessment.completed_on <= timezone.localdate()
        assert assessment.authorised_at is not None
        assert assessment.authorised_at <= timezone.now()
    results = [eligibility(a) for a in authorised]
    assert any(r.eligible for r in results)
    assert any(not r.eligible for r in results)
    headlines = {need.headline.code for a in authorised for need in a.needs.all()}
    assert len(headlines) >= 6


def test_plans_have_taf_members_actions_versions_overdue_reviews_and_an_objection(
    demo: LoadedDemo,
) -> None:
    today = timezone.localdate()
    assert PlanVersion.objects.filter(number=3).exists()
    assert PlanVersion.objects.filter(number=2).count() >= 5
    assert PlanReview.objects.filter(held_on__lt=today).count() >= 10
    professionals = TafMember.objects.filter(contact__isnull=False)
    assert professionals.values("contact__organisation__kind").distinct().count() >= 4
    assert TafMember.objects.filter(person__isnull=False).exists()
    assert PlanAction.objects.filter(owner_person__isnull=False).exists()
    assert PlanAction.objects.filter(owner_contact__isnull=False).exists()
    assert PlanAction.objects.filter(status="done").exists()

    overdue = FamilyPlan.objects.filter(
        status=PlanStatus.ACTIVE, episode__closed_at__isnull=True, next_review_due__lt=today
    )
    assert overdue.values("episode__team").distinct().count() == 2
    upcoming = FamilyPlan.objects.filter(status=PlanStatus.ACTIVE, next_review_due__gte=today)
    assert upcoming.exists()
    assert not FamilyPlan.objects.filter(status=PlanStatus.ACTIVE, episode__closed_at__isnull=False)

    active = PlanObjection.objects.filter(withdrawn_on__isnull=True)
    assert active.count() == 1
    assert active.get().plan.is_active
    assert PlanObjection.objects.filter(withdrawn_on__isnull=False).exists()
    # Every version is dated from the meeting that agreed it, in order.
    for plan in FamilyPlan.objects.annotate(n=Count("versions")).filter(n__gte=2):
        times = list(plan.versions.order_by("number").values_list("created_at", flat=True))
        assert times == sorted(times)


def test_partner_directory_holds_every_kind_of_partner_with_contacts(demo: LoadedDemo) -> None:
    kinds = {
        OrganisationKind.SCHOOL,
        OrganisationKind.GP_PRACTICE,
        OrganisationKind.HEALTH_VISITING,
        OrganisationKind.POLICE,
        OrganisationKind.HOUSING,
        OrganisationKind.VOLUNTARY,
    }
    for kind in kinds:
        organisations = Organisation.objects.filter(kind=kind)
        assert organisations.exists(), kind
        assert PartnerContact.objects.filter(organisation__in=organisations, active=True).exists()
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    assert all(validators.is_valid_urn(s.urn) for s in schools)
    practices = Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE)
    assert all(validators.is_valid_gp_ods_code(p.ods_code) for p in practices)
    assert PartnerContact.objects.filter(active=False).exists()


def test_programmes_have_sessions_enrolments_attendance_and_completions(demo: LoadedDemo) -> None:
    today = timezone.localdate()
    course = Programme.objects.get(kind=ProgrammeKind.PARENTING_COURSE)
    group = Programme.objects.get(kind=ProgrammeKind.EARLY_YEARS_GROUP)
    for programme in (course, group):
        assert programme.sessions.count() >= 6
        assert programme.enrolments.count() >= 4
        assert Attendance.objects.filter(
            session__programme=programme, status=AttendanceStatus.ATTENDED
        ).exists()
    assert course.ends_on is not None and course.ends_on < today
    assert course.enrolments.filter(status=EnrolmentStatus.COMPLETED).count() >= 4
    assert course.enrolments.filter(status=EnrolmentStatus.WITHDRAWN).exclude(withdrawal_reason="")
    assert group.sessions.filter(date__gt=today).exists()
    assert group.enrolments.filter(status=EnrolmentStatus.ENROLLED).exists()
    assert Enrolment.objects.values("family").distinct().count() >= 6
    # No one is marked for a session before they joined.
    assert not Attendance.objects.filter(session__date__lt=F("enrolment__enrolled_on")).exists()


def test_observations_of_every_kind(demo: LoadedDemo) -> None:
    for kind in ObservationKind.values:
        assert Observation.objects.filter(kind=kind).exists(), kind
    attendance = Observation.objects.filter(kind=ObservationKind.SCHOOL_ATTENDANCE)
    assert attendance.filter(attendance_percent__lt=90).exists()
    assert attendance.filter(attendance_percent__gte=95).exists()
    assert not Observation.objects.filter(observed_on__gt=timezone.localdate()).exists()


def test_outcomes_sustain_checks_and_claims(demo: LoadedDemo) -> None:
    today = timezone.localdate()
    achieved = OutcomeRating.objects.filter(rating=Rating.ACHIEVED)
    assert achieved.exists()
    assert not achieved.filter(achieved_on__isnull=True).exists()
    assert OutcomeRating.objects.exclude(rating=Rating.ACHIEVED).exists()
    unchecked = SustainCheck.objects.filter(result="")
    assert unchecked.filter(due_on__lte=today).exists()
    assert unchecked.filter(due_on__gt=today, due_on__lte=today + NOTICE).exists()
    assert unchecked.filter(due_on__gt=today + NOTICE).exists()
    assert SustainCheck.objects.filter(result=SustainResult.SUSTAINED).exists()
    assert SustainCheck.objects.filter(result=SustainResult.NOT_SUSTAINED).exists()

    claims = {claim_status(family).code for family in Family.objects.all()}
    assert {"claimable", "in_progress", "awaiting_sustain", "not_eligible"} <= claims


def test_closed_episodes_have_summaries_and_onward_referrals(demo: LoadedDemo) -> None:
    closed = Episode.objects.filter(closed_at__isnull=False)
    assert closed.count() >= 10
    assert not closed.filter(closing_summary="").exists()
    assert len(set(closed.values_list("closure_reason", flat=True))) >= 6
    directions = set(OnwardReferral.objects.values_list("direction", flat=True))
    assert directions == set(OnwardReferral.Direction.values)
    assert not FamilyPlan.objects.filter(episode__in=closed, status=PlanStatus.ACTIVE).exists()


def test_caseload_and_team_dashboard_have_something_in_every_section(demo: LoadedDemo) -> None:
    today = timezone.localdate()
    pat = User.objects.get(username="north.practitioner")
    caseload = dashboards.caseload(pat)
    assert caseload.count() >= 3
    assert dashboards.overdue_reviews(caseload, today).exists()
    assert dashboards.sustain_checks_due(pat, today).exists()
    # Annotated by the caseload query.
    assert any(getattr(e, "next_contact_on", None) for e in caseload)
    assert any(getattr(e, "next_review_due", None) for e in caseload)
    for slug in ("north", "south"):
        manager = User.objects.get(username=f"{slug}.manager")
        team = Team.objects.get(slug=slug)
        assert dashboards.unallocated(team).exists()
        assert dashboards.overdue_reviews(dashboards.team_open_episodes(team), today).exists()
        assert dashboards.awaiting_authorisation(manager, team).exists()
        loads = dashboards.caseload_per_practitioner(team, today)
        assert sum(1 for load in loads if load.open_families) >= 2


def test_timelines_hold_every_kind_of_record_in_the_past(demo: LoadedDemo) -> None:
    kinds = set(TimelineEntry.objects.values_list("kind", flat=True))
    assert kinds == set(TimelineKind.values)
    assert not TimelineEntry.objects.filter(occurred_at__gt=timezone.now()).exists()
    showcase = set(TimelineEntry.objects.filter(family=_showcase()).values_list("kind", flat=True))
    assert set(TimelineKind.values) - showcase <= {TimelineKind.OUTCOME}
    # The story spreads over months, not the second the demo loaded.
    span = TimelineEntry.objects.filter(family=_showcase()).order_by("occurred_at")
    first, last = span.first(), span.last()
    assert first is not None and last is not None
    assert (last.occurred_at - first.occurred_at).days >= 90
