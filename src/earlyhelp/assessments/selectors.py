"""Reads of assessments, always through the family gatekeeper, and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.assessments.models import Assessment, AssessmentNeed, Headline
from earlyhelp.assessments.permissions import awaiting_authorisation_for
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import Episode
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family, FamilyMembership, Person


def _with_headline_count(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.annotate(headline_count=Count("needs__headline", distinct=True))


@dataclass(frozen=True)
class FamilyAssessments:
    family: Family
    assessments: QuerySet[Assessment]


def family_assessments(user: AnyUser, family_id: UUID | str) -> FamilyAssessments:
    """The family's assessments, newest first. The caller audits the page it shows."""
    family = get_family_for_user(user, family_id)
    assessments = _with_headline_count(
        Assessment.objects.filter(family=family).select_related(
            "episode__team", "submitted_by", "authorised_by"
        )
    ).order_by("-started_on", "-created_at")
    return FamilyAssessments(family=family, assessments=assessments)


def _needs() -> Prefetch:
    return Prefetch(
        "needs",
        queryset=AssessmentNeed.objects.select_related("headline", "person").order_by(
            "headline__position", "created_at"
        ),
    )


def _full(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related(
        "family",
        "episode__team",
        "episode__lead_practitioner",
        "created_by",
        "submitted_by",
        "authorised_by",
        "returned_by",
    ).prefetch_related(_needs())


def get_assessment_for_user(
    user: AnyUser, family_id: UUID | str, assessment_id: UUID | str, *, purpose: str = ""
) -> Assessment:
    """The assessment with its needs, if ``user`` may see the family; NotFound otherwise."""
    family = get_family_for_user(user, family_id, purpose=purpose)
    assessment = _full(Assessment.objects.filter(family=family, pk=parse_id(assessment_id))).first()
    if assessment is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="assessment",
        object_id=assessment.pk,
        purpose=purpose,
    )
    return assessment


def reloaded(assessment: Assessment) -> Assessment:
    """The assessment as it is now, for a caller that has just read it through
    ``get_assessment_for_user`` and changed it through a service (both audited)."""
    return _full(Assessment.objects.filter(pk=assessment.pk)).get()


def get_need_for_user(
    user: AnyUser,
    family_id: UUID | str,
    assessment_id: UUID | str,
    need_id: UUID | str,
    *,
    purpose: str = "",
) -> AssessmentNeed:
    assessment = get_assessment_for_user(user, family_id, assessment_id, purpose=purpose)
    pk = parse_id(need_id)
    need = next((n for n in assessment.needs.all() if n.pk == pk), None)
    if need is None:
        raise NotFound()
    # The need's assessment is the one just read, with its episode and family loaded.
    need.assessment = assessment
    return need


def awaiting_authorisation(user: AnyUser) -> QuerySet[Assessment]:
    """Submitted assessments of the teams ``user`` manages, oldest submission first.

    A list of families is personal data: the caller audits the page view.
    """
    return _with_headline_count(
        awaiting_authorisation_for(user).select_related("family", "episode__team", "submitted_by")
    ).order_by("submitted_at", "pk")


def family_members(family: Family) -> list[FamilyMembership]:
    """Members of a family the caller has already read through the gatekeeper."""
    return list(
        family.memberships.select_related("person").order_by("role", "person__date_of_birth")
    )


@dataclass(frozen=True)
class PersonNeeds:
    person: Person
    role: str
    needs: Sequence[AssessmentNeed]


def needs_by_person(
    assessment: Assessment, memberships: Sequence[FamilyMembership]
) -> list[PersonNeeds]:
    """Each member with their needs, then anyone with needs who has since left the family."""
    needs = list(assessment.needs.all())
    result = [
        PersonNeeds(
            person=m.person,
            role=m.get_role_display(),
            needs=[n for n in needs if n.person_id == m.person_id],
        )
        for m in memberships
    ]
    member_ids = {m.person_id for m in memberships}
    former: dict[UUID, list[AssessmentNeed]] = {}
    for need in needs:
        if need.person_id not in member_ids:
            former.setdefault(need.person_id, []).append(need)
    for person_needs in former.values():
        result.append(
            PersonNeeds(
                person=person_needs[0].person, role="No longer a member", needs=person_needs
            )
        )
    return result


def active_headlines() -> list[Headline]:
    return list(Headline.objects.filter(active=True).order_by("position", "label"))


def all_headlines() -> QuerySet[Headline]:
    return Headline.objects.order_by("position", "label")


def active_headline_count() -> int:
    return Headline.objects.filter(active=True).count()


def get_headline(code: str) -> Headline:
    headline = Headline.objects.filter(code=code).first()
    if headline is None:
        raise NotFound()
    return headline


def open_episode(family: Family) -> Episode | None:
    """The open episode of a family the caller has already read through the gatekeeper."""
    return (
        Episode.objects.filter(family=family, closed_at__isnull=True).select_related("team").first()
    )
