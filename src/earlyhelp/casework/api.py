"""Families over JSON: the family record, through the same audited gatekeeper as the page."""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import has_role
from earlyhelp.audit.services import record_list_view
from earlyhelp.casework import dashboards, selectors, services
from earlyhelp.casework.models import Episode, TimelineKind
from earlyhelp.casework.schemas import (
    AddressOut,
    CaseloadFamilyOut,
    CaseloadOut,
    ClosedEpisodeOut,
    ClosureIn,
    EpisodeOut,
    FamilyMemberOut,
    FamilyOut,
    SustainCheckDueOut,
    TeamOut,
    TimelineEntryOut,
    TimelinePageOut,
)
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user
from earlyhelp.core.errors import Conflict, PermissionDenied

router = Router(tags=["families"])


def _episode_out(episode: Episode | None) -> EpisodeOut | None:
    if episode is None:
        return None
    lead = episode.lead_practitioner
    return EpisodeOut(
        id=episode.pk,
        team=TeamOut(slug=episode.team.slug, name=episode.team.name),
        lead_practitioner=lead.username if lead else None,
        opened_at=episode.opened_at,
    )


@router.get(
    "/families/{family_id}",
    response={200: FamilyOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a family",
    description=(
        "The family's members (with their current addresses, each flagged if confidential) "
        "and its open episode. Visible to the team the open episode is allocated to, its "
        "lead practitioner, and managers of teams that have held an episode for it. The read "
        "is recorded in the audit trail.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or you may not see "
        "it (the two are not told apart); 422 if the id is not a UUID."
    ),
    operation_id="get_family",
)
def get_family(request: HttpRequest, family_id: UUID) -> FamilyOut:
    record = selectors.family_record(api_user(request), family_id)
    members = [
        FamilyMemberOut(
            person_id=membership.person.pk,
            first_name=membership.person.first_name,
            last_name=membership.person.last_name,
            known_as=membership.person.known_as,
            date_of_birth=membership.person.date_of_birth,
            sex=membership.person.sex,
            role=membership.role,
            nhs_number=membership.person.nhs_number,
            addresses=[
                AddressOut(
                    id=address.pk,
                    line1=address.line1,
                    line2=address.line2,
                    town=address.town,
                    postcode=address.postcode,
                    uprn=address.uprn,
                    confidential=address.confidential,
                )
                # Prefetched by the selector: current addresses only, oldest first.
                for address in membership.person.current_addresses  # type: ignore[attr-defined]
            ],
        )
        for membership in record.memberships
    ]
    return FamilyOut(
        id=record.family.pk,
        reference=record.family.reference,
        members=members,
        open_episode=_episode_out(record.open_episode),
    )


@router.post(
    "/families/{family_id}/closure",
    response={
        200: ClosedEpisodeOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Close the family's open episode",
    description=(
        "Closes the open episode with a reason from the closure_reasons list and a closing "
        "summary. A step-up to children's social care or a step-down to universal services "
        "also records the onward referral (`onward_destination` and `onward_reason` are then "
        "required).\\n\\nErrors: 403 if your role cannot close it; 404 if you may not see the "
        "family; 409 if it has no open episode; 422 naming the invalid field."
    ),
    operation_id="close_episode",
)
def close_family_episode(
    request: HttpRequest, family_id: UUID, body: ClosureIn
) -> ClosedEpisodeOut:
    user = api_user(request)
    record = selectors.family_record(user, family_id)
    if record.open_episode is None:
        raise Conflict("This family has no open episode.")
    episode = services.close_episode(
        actor=user,
        episode=record.open_episode,
        reason=body.reason,
        note=body.note,
        summary=body.summary,
        onward_destination=body.onward_destination,
        onward_reason=body.onward_reason,
    )
    onward = episode.onward_referrals.first()
    assert episode.closed_at is not None
    return ClosedEpisodeOut(
        id=episode.pk,
        closed_at=episode.closed_at,
        closure_reason=episode.closure_reason,
        onward_referral_id=onward.pk if onward else None,
    )


TIMELINE_PAGE_SIZE = 50
CASELOAD_PAGE_SIZE = 25


@router.get(
    "/families/{family_id}/timeline",
    response={200: TimelinePageOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a family's timeline",
    description=(
        "Everything recorded about the family, most recent first, 50 per page: referrals, "
        "episodes, contacts, assessments, plan versions and reviews, programmes, observations "
        "and outcomes. Filter with `kind` (a timeline kind) and `person` (a member's id); "
        "`object_type` and `object_id` name the record each line is about."
    ),
    operation_id="get_family_timeline",
)
def get_family_timeline(
    request: HttpRequest,
    family_id: UUID,
    kind: TimelineKind | None = None,
    person: UUID | None = None,
    page: int = 1,
) -> TimelinePageOut:
    record = selectors.family_record(api_user(request), family_id)
    entries = selectors.family_timeline(record, kind=kind, person_id=person).prefetch_related(
        "person_links"
    )
    current = Paginator(entries, TIMELINE_PAGE_SIZE).get_page(page)
    return TimelinePageOut(
        count=current.paginator.count,
        page=current.number,
        pages=current.paginator.num_pages,
        items=[
            TimelineEntryOut(
                occurred_at=entry.occurred_at,
                kind=entry.kind,
                object_type=entry.object_type,
                object_id=entry.object_id,
                title=entry.title,
                summary=entry.summary,
                person_ids=[link.person_id for link in entry.person_links.all()],
            )
            for entry in current.object_list
        ],
    )


@router.get(
    "/caseload",
    response={200: CaseloadOut, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="Read my caseload",
    description=(
        "The open families you are lead practitioner for, soonest plan review first, 25 per "
        "page, with the next planned contact and the next review (and whether it is overdue); "
        "and the sustain checks falling due within two weeks on families you led. For "
        "practitioners and team managers; the read is audited.\n\nErrors: 401 without a valid "
        "token; 403 for other roles; 422 if the page is not a whole number."
    ),
    operation_id="get_caseload",
)
def get_caseload(request: HttpRequest, page: int = 1) -> CaseloadOut:
    user = api_user(request)
    if not has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER):
        raise PermissionDenied("Only practitioners and team managers have a caseload.")
    today = timezone.localdate()
    current = Paginator(dashboards.caseload(user), CASELOAD_PAGE_SIZE).get_page(page)
    checks = list(dashboards.sustain_checks_due(user, today)[:CASELOAD_PAGE_SIZE])
    record_list_view(user, "family", len(current.object_list) + len(checks))
    return CaseloadOut(
        count=current.paginator.count,
        page=current.number,
        pages=current.paginator.num_pages,
        families=[
            CaseloadFamilyOut(
                family_id=episode.family_id,
                reference=episode.family.reference,
                episode_id=episode.pk,
                next_contact_on=episode.next_contact_on,
                next_review_due=episode.next_review_due,
                review_overdue=bool(episode.next_review_due and episode.next_review_due < today),
            )
            for episode in current.object_list
        ],
        sustain_checks_due=[
            SustainCheckDueOut(id=check.pk, family_id=check.family_id, due_on=check.due_on)
            for check in checks
        ],
    )
