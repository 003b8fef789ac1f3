"""Families over JSON: the family record, through the same audited gatekeeper as the page."""

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from earlyhelp.casework import selectors
from earlyhelp.casework.models import Episode
from earlyhelp.casework.schemas import (
    AddressOut,
    EpisodeOut,
    FamilyMemberOut,
    FamilyOut,
    TeamOut,
)
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user

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
