"""Group programmes (parenting courses, early-years groups) and dated observations on a person.

A programme is run by a team, has numbered sessions, and family members are enrolled on it
through their family; attendance is marked per session. Observations are early-years
milestones (2-year check, school readiness) and school inclusion figures (attendance,
exclusions, SEN status), entered by hand or imported from the council's education data.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis


class ProgrammeKind(models.TextChoices):
    PARENTING_COURSE = "parenting_course", "Parenting course"
    EARLY_YEARS_GROUP = "early_years_group", "Early years group"
    OTHER_GROUP = "other_group", "Other group"


class Programme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=ProgrammeKind.choices)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="programmes")
    provider = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text="A partner organisation delivering it, when the team does not",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_it_starts",
            )
        ]

    class DataMap:
        personal = False
        reason = "A group's name, dates, team and provider: no family member's data."

    def __str__(self) -> str:
        return self.name


class ProgrammeSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_session_number")
        ]

    class DataMap:
        personal = False
        reason = "When and where a group meets: no family member's data."

    def __str__(self) -> str:
        return f"session {self.number} of {self.programme_id}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    # The family through which they were enrolled: its team follows their progress.
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="+")
    enrolled_on = models.DateField()
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    completed_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["enrolled_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="one_enrolment_per_person")
        ]
        indexes = [models.Index(fields=["family", "enrolled_on"], name="enrolment_family")]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"enrolment {self.pk}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"
    APOLOGIES = "apologies", "Apologies given"


class Attendance(models.Model):
    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_mark_per_session")
        ]

    class DataMap:
        categories = [Category.CASE_FILE]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "enrolment.person"

    def __str__(self) -> str:
        return f"{self.status} at {self.session_id}"


class ObservationKind(models.TextChoices):
    TWO_YEAR_CHECK = "two_year_check", "2-year check"
    SCHOOL_READINESS = "school_readiness", "School readiness"
    SCHOOL_ATTENDANCE = "school_attendance", "School attendance"
    EXCLUSION = "exclusion", "Suspension or exclusion"
    SEN_STATUS = "sen_status", "SEN status"


MILESTONE_KINDS = frozenset({ObservationKind.TWO_YEAR_CHECK, ObservationKind.SCHOOL_READINESS})


class MilestoneOutcome(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    NEEDS_SUPPORT = "needs_support", "Needs support"
    NOT_COMPLETED = "not_completed", "Check not completed"


class ExclusionType(models.TextChoices):
    SUSPENSION = "suspension", "Suspension (fixed-period exclusion)"
    PERMANENT = "permanent", "Permanent exclusion"


class SenStatus(models.TextChoices):
    NO_SEN = "no_sen", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"


class ObservationSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    IMPORT = "import", "Imported"


class Observation(models.Model):
    """One dated fact about a person; which value fields apply depends on ``kind``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=ObservationKind.choices)
    observed_on = models.DateField()
    # 2-year check and school readiness (for example an ASQ-3 result).
    outcome = models.CharField(max_length=16, choices=MilestoneOutcome.choices, blank=True)
    # School attendance over a period.
    attendance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # Suspensions and permanent exclusions.
    exclusion_type = models.CharField(max_length=16, choices=ExclusionType.choices, blank=True)
    exclusion_days = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    sen_status = models.CharField(max_length=16, choices=SenStatus.choices, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(
        max_length=16, choices=ObservationSource.choices, default=ObservationSource.MANUAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-observed_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attendance_percent__isnull=True)
                | models.Q(attendance_percent__gte=0, attendance_percent__lte=100),
                name="attendance_percent_0_to_100",
            )
        ]
        indexes = [
            models.Index(fields=["family", "-observed_on"], name="observation_family"),
            models.Index(fields=["person", "kind", "observed_on"], name="observation_person"),
        ]

    class DataMap:
        # Milestone checks are health data; attendance, exclusions and SEN are pupil records.
        categories = [Category.HEALTH, Category.PUPIL_RECORDS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
