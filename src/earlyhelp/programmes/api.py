"""Programmes, enrolments and observations over JSON: thin over the services and selectors,
with the same permission checks, rules and audit events as the pages.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from earlyhelp.accounts.services import team_by_slug
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.api_pages import page_or_empty
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.core.errors import InvalidInput, NotFound
from earlyhelp.partners.models import Organisation
from earlyhelp.programmes import selectors, services
from earlyhelp.programmes.models import Enrolment, Observation, Programme, ProgrammeSession
from earlyhelp.programmes.observations import ObservationInput, record_observation
from earlyhelp.programmes.schemas import (
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentOutcomeIn,
    ObservationIn,
    ObservationOut,
    ObservationPage,
    ObservationQuery,
    ProgrammeIn,
    ProgrammeListQuery,
    ProgrammeOut,
    ProgrammePage,
    ProgrammeSessionIn,
    ProgrammeSessionOut,
    ProgrammeSummaryOut,
    ProgrammeTeamOut,
    RegisterIn,
    RegisterMarkOut,
    RegisterOut,
)

router = Router(tags=["programmes"])

BODY = "body.payload"
R401 = "401 without a valid token"
R422_ID = "422 if an id is not a UUID"


def _summary(programme: Programme) -> dict[str, object]:
    return {
        "id": programme.pk,
        "name": programme.name,
        "kind": programme.kind,
        "team": ProgrammeTeamOut(slug=programme.team.slug, name=programme.team.name),
        "provider_id": programme.provider_id,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "capacity": programme.capacity,
        "places_taken": getattr(programme, "places_taken", 0),
    }


def _session_out(session: ProgrammeSession) -> ProgrammeSessionOut:
    return ProgrammeSessionOut(
        id=session.pk,
        number=session.number,
        date=session.date,
        start_time=session.start_time,
        location=session.location,
    )


def _programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        **_summary(programme),  # type: ignore[arg-type]
        description=programme.description,
        sessions=[_session_out(s) for s in programme.sessions.order_by("number")],
    )


@router.get(
    "/programmes",
    response={200: ProgrammePage, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="List programmes",
    description=(
        "Group programmes (parenting courses, early years groups), newest first, 25 a page, "
        "with places taken. No one's name appears here. For practitioners, team managers "
        f"and duty workers.\n\nErrors: {R401}; 403 for other roles; 422 for a page below 1."
    ),
    operation_id="list_programmes",
)
def list_programmes(request: HttpRequest, query: Query[ProgrammeListQuery]) -> ProgrammePage:
    paginator, items = page_or_empty(selectors.programme_list(api_user(request)), query.page)
    return ProgrammePage(
        count=paginator.count,
        page=query.page,
        pages=paginator.num_pages,
        items=[ProgrammeSummaryOut(**_summary(p)) for p in items],  # type: ignore[arg-type]
    )


@router.post(
    "/programmes",
    response={201: ProgrammeOut, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="Set up a programme",
    description=(
        "A programme run by `team` (a team you manage), optionally delivered by a partner "
        "organisation (`provider_id`). Add its sessions next.\n\n"
        f"Errors: {R401}; 403 unless you manage the team; 422 naming the invalid field, e.g. "
        "an unknown team or provider, or an end date before the start."
    ),
    operation_id="create_programme",
)
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> tuple[int, ProgrammeOut]:
    actor = api_user(request)
    try:
        team = team_by_slug(payload.team)
    except NotFound:
        raise InvalidInput("There is no team with this slug.", field=f"{BODY}.team") from None
    provider = None
    if payload.provider_id is not None:
        provider = Organisation.objects.filter(pk=payload.provider_id).first()
        if provider is None:
            raise InvalidInput(
                "There is no organisation with this id.", field=f"{BODY}.provider_id"
            )
    data = services.ProgrammeInput(
        name=payload.name,
        kind=payload.kind.value,
        team=team,
        provider=provider,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        capacity=payload.capacity,
        description=payload.description,
    )
    with input_errors_at(BODY, renames={"provider": "provider_id"}):
        programme = services.create_programme(actor=actor, data=data)
    return 201, _programme_out(selectors.get_programme_for_user(actor, programme.pk))


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, 401: Error, 403: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a programme",
    description=(
        "The programme and its sessions in order. No one's name appears here.\n\n"
        f"Errors: {R401}; 403 for roles without access to programmes; 404 if there is no "
        f"such programme; {R422_ID}."
    ),
    operation_id="get_programme",
)
def get_programme(request: HttpRequest, programme_id: UUID) -> ProgrammeOut:
    return _programme_out(selectors.get_programme_for_user(api_user(request), programme_id))


@router.post(
    "/programmes/{programme_id}/sessions",
    response={
        201: ProgrammeSessionOut,
        401: Error,
        403: Error,
        404: Error,
        422: ValidationErrorSchema,
    },
    summary="Add a session to a programme",
    description=(
        "A session on a date within the programme's dates; without a `number` it takes the "
        "next one. For the practitioners and managers of the team running it.\n\n"
        f"Errors: {R401}; 403 unless your team runs the programme; 404 if there is no such "
        "programme; 422 naming the invalid field (a date outside the programme, a number "
        "already used)."
    ),
    operation_id="create_programme_session",
)
def add_session(
    request: HttpRequest, programme_id: UUID, payload: ProgrammeSessionIn
) -> tuple[int, ProgrammeSessionOut]:
    actor = api_user(request)
    programme = selectors.get_programme_for_user(actor, programme_id)
    with input_errors_at(BODY):
        session = services.add_session(
            actor=actor,
            programme=programme,
            on=payload.date,
            start_time=payload.start_time,
            location=payload.location,
            number=payload.number,
        )
    return 201, _session_out(session)


@router.put(
    "/programmes/{programme_id}/sessions/{session_id}/attendance",
    response={200: RegisterOut, 401: Error, 403: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Set a session's register",
    description=(
        "The whole register of a session: `attended`, `absent` or `apologies` for each "
        "enrolment; anyone on the register who is not listed (or is listed with `null`) has "
        "no mark. Only people enrolled and not withdrawn are on the register. For the team "
        "running the programme; returns the register as saved.\n\n"
        f"Errors: {R401}; 403 unless your team runs the programme; 404 if there is no such "
        "programme or session; 422 for an enrolment not on the register or a session in "
        "the future."
    ),
    operation_id="set_session_attendance",
)
def set_attendance(
    request: HttpRequest, programme_id: UUID, session_id: UUID, payload: RegisterIn
) -> RegisterOut:
    actor = api_user(request)
    sheet = selectors.session_register(actor, programme_id, session_id)
    marks: dict[UUID, str | None] = {line.enrolment.pk: None for line in sheet.lines}
    for mark in payload.marks:
        marks[mark.enrolment_id] = mark.status.value if mark.status else None
    with input_errors_at(BODY):
        services.record_attendance(actor=actor, session=sheet.session, marks=marks)
    return RegisterOut(
        session_id=sheet.session.pk,
        marks=[
            RegisterMarkOut(
                enrolment_id=line.enrolment.pk,
                person_id=line.enrolment.person_id,
                status=marks[line.enrolment.pk],  # type: ignore[arg-type]
            )
            for line in sheet.lines
        ],
    )


def _enrolment_out(enrolment: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(
        id=enrolment.pk,
        programme_id=enrolment.programme_id,
        person_id=enrolment.person_id,
        family_id=enrolment.family_id,
        enrolled_on=enrolment.enrolled_on,
        status=enrolment.status,  # type: ignore[arg-type]
        completed_on=enrolment.completed_on,
        withdrawn_on=enrolment.withdrawn_on,
        withdrawal_reason=enrolment.withdrawal_reason,
    )


@router.put(
    "/programmes/{programme_id}/enrolments/{enrolment_id}/outcome",
    response={
        200: EnrolmentOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record completion or withdrawal",
    description=(
        "Mark an enrolment `completed` or `withdrawn` (with a `reason`) on a date. For the "
        "team running the programme and for workers who can see the person's family. The "
        "family's timeline gets a line.\n\n"
        f"Errors: {R401}; 403 for roles without access to programmes; 404 if the programme "
        "or enrolment is not found or not yours to see; 409 if the enrolment has already "
        "ended; 422 for a future date, a date before enrolment or a withdrawal without a "
        "reason."
    ),
    operation_id="set_enrolment_outcome",
)
def set_outcome(
    request: HttpRequest, programme_id: UUID, enrolment_id: UUID, payload: EnrolmentOutcomeIn
) -> EnrolmentOut:
    actor = api_user(request)
    enrolment = selectors.get_enrolment_to_end(actor, programme_id, enrolment_id)
    with input_errors_at(BODY):
        if payload.status == "completed":
            services.complete_enrolment(actor=actor, enrolment=enrolment, on=payload.on)
        else:
            services.withdraw_enrolment(
                actor=actor, enrolment=enrolment, on=payload.on, reason=payload.reason
            )
    return _enrolment_out(enrolment)


@router.post(
    "/families/{family_id}/enrolments",
    response={201: list[EnrolmentOut], 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Enrol family members on a programme",
    description=(
        "Enrol one or more members of the family on a programme that has not finished and "
        "has places. Each enrolment is a line on the family's timeline. For anyone who may "
        "see the family.\n\n"
        f"Errors: {R401}; 404 if there is no such family or you may not see it; 422 for an "
        "unknown programme, someone not in "
        "the family or already enrolled, or too few places left."
    ),
    operation_id="create_enrolments",
)
def enrol(
    request: HttpRequest, family_id: UUID, payload: EnrolmentIn
) -> tuple[int, list[EnrolmentOut]]:
    actor = api_user(request)
    family = get_family_for_user(actor, family_id)
    try:
        programme = selectors.get_programme_for_user(actor, payload.programme_id)
    except NotFound:
        raise InvalidInput(
            "There is no programme with this id.", field=f"{BODY}.programme_id"
        ) from None
    members = {m.person_id: m.person for m in selectors.family_members(family)}
    if any(pid not in members for pid in payload.person_ids):
        raise InvalidInput("Choose members of this family", field=f"{BODY}.person_ids")
    with input_errors_at(BODY, renames={"people": "person_ids", "programme": "programme_id"}):
        enrolments = services.enrol(
            actor=actor,
            family=family,
            programme=programme,
            people=[members[pid] for pid in dict.fromkeys(payload.person_ids)],
            enrolled_on=payload.enrolled_on,
        )
    return 201, [_enrolment_out(e) for e in enrolments]


@router.get(
    "/families/{family_id}/enrolments",
    response={200: list[EnrolmentOut], 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's enrolments",
    description=(
        "Every enrolment made through this family, newest first. The read is audited.\n\n"
        f"Errors: {R401}; 404 if there is no such family or you may not see it; {R422_ID}."
    ),
    operation_id="list_family_enrolments",
)
def list_enrolments(request: HttpRequest, family_id: UUID) -> list[EnrolmentOut]:
    actor = api_user(request)
    family = get_family_for_user(actor, family_id)
    enrolments = list(selectors.family_enrolments(family))
    selectors.audit_enrolment_list(actor, family, len(enrolments))
    return [_enrolment_out(e) for e in enrolments]


def _observation_out(o: Observation) -> ObservationOut:
    return ObservationOut(
        id=o.pk,
        person_id=o.person_id,
        family_id=o.family_id,
        kind=o.kind,  # type: ignore[arg-type]
        observed_on=o.observed_on,
        outcome=o.outcome or None,  # type: ignore[arg-type]
        attendance_percent=o.attendance_percent,
        period_start=o.period_start,
        period_end=o.period_end,
        exclusion_type=o.exclusion_type or None,  # type: ignore[arg-type]
        exclusion_days=o.exclusion_days,
        sen_status=o.sen_status or None,  # type: ignore[arg-type]
        note=o.note,
        source=o.source,  # type: ignore[arg-type]
        recorded_at=o.recorded_at,
    )


@router.get(
    "/families/{family_id}/observations",
    response={200: ObservationPage, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's observations",
    description=(
        "Early years checks, school attendance, suspensions and exclusions and SEN status "
        "recorded on the family's members, newest first, 25 a page; `person_id` narrows to "
        "one person. The read is audited.\n\n"
        f"Errors: {R401}; 404 if there is no such family or you may not see it; {R422_ID} "
        "or the page is below 1."
    ),
    operation_id="list_observations",
)
def list_observations(
    request: HttpRequest, family_id: UUID, query: Query[ObservationQuery]
) -> ObservationPage:
    actor = api_user(request)
    family, found = selectors.family_observations(actor, family_id, person_id=query.person_id)
    paginator, items = page_or_empty(found, query.page)
    selectors.audit_observation_list(actor, family, len(items))
    return ObservationPage(
        count=paginator.count,
        page=query.page,
        pages=paginator.num_pages,
        items=[_observation_out(o) for o in items],
    )


@router.post(
    "/families/{family_id}/observations",
    response={201: ObservationOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Record an observation",
    description=(
        "A dated observation on a member of the family. Which values are needed depends on "
        "`kind`: `two_year_check` and `school_readiness` need `outcome`; "
        "`school_attendance` needs `attendance_percent` (0 to 100) and the period it covers "
        "(`period_start`, `period_end`, ending on or before `observed_on`); `exclusion` "
        "needs `exclusion_type` and, for a suspension, `exclusion_days`; `sen_status` needs "
        "`sen_status`. Values for other kinds are not kept. The observation is a line on "
        "the family's timeline.\n\n"
        f"Errors: {R401}; 404 if there is no such family or you may not see it; 422 naming "
        "the missing or invalid value."
    ),
    operation_id="create_observation",
)
def create_observation(
    request: HttpRequest, family_id: UUID, payload: ObservationIn
) -> tuple[int, ObservationOut]:
    actor = api_user(request)
    family = get_family_for_user(actor, family_id)
    data = ObservationInput(
        person_id=payload.person_id,
        kind=payload.kind.value,
        observed_on=payload.observed_on,
        outcome=payload.outcome.value if payload.outcome else "",
        attendance_percent=payload.attendance_percent,
        period_start=payload.period_start,
        period_end=payload.period_end,
        exclusion_type=payload.exclusion_type.value if payload.exclusion_type else "",
        exclusion_days=payload.exclusion_days,
        sen_status=payload.sen_status.value if payload.sen_status else "",
        note=payload.note,
    )
    with input_errors_at(BODY, renames={"person": "person_id"}):
        observation = record_observation(actor=actor, family=family, data=data)
    return 201, _observation_out(observation)


@router.get(
    "/families/{family_id}/observations/{observation_id}",
    response={200: ObservationOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read an observation",
    description=(
        "One observation on a member of the family. The read is audited.\n\n"
        f"Errors: {R401}; 404 if the family or observation is not found or you may not see "
        f"it; {R422_ID}."
    ),
    operation_id="get_observation",
)
def get_observation(request: HttpRequest, family_id: UUID, observation_id: UUID) -> ObservationOut:
    return _observation_out(
        selectors.get_observation_for_user(api_user(request), family_id, observation_id)
    )
