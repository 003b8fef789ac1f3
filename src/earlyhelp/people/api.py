"""Intake search over JSON, scoped and audited by ``people.selectors.search_people``."""

from django.http import HttpRequest
from ninja import Router

from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.people import selectors
from earlyhelp.people.schemas import PeopleQuery, PersonMatchOut

router = Router(tags=["people"])


@router.post(
    "/people/search",
    response={200: list[PersonMatchOut], 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="Search for people",
    description=(
        "Find people by any mix of name (`q`), date of birth, NHS number and postcode (of a "
        "current address); at least one is needed. Duty workers search everyone but see "
        "match fields only (`family_id` is null); practitioners and team managers see "
        f"people in families they may open. At most {selectors.MAX_RESULTS} results. The "
        "search is audited with its result count; the terms never are.\n\n"
        "Errors: 401 without a valid token; 403 if your role does not search for people; "
        "422 with no criteria or a malformed date of birth, NHS number or postcode.\n\n"
        "A POST with the terms in the JSON body, never a GET: names and NHS numbers must not "
        "appear in URLs, which browsers, proxies and access logs keep."
    ),
    operation_id="search_people",
)
def search_people(request: HttpRequest, terms: PeopleQuery) -> list[selectors.PersonMatch]:
    criteria = selectors.SearchCriteria(
        name=terms.q,
        date_of_birth=terms.date_of_birth,
        nhs_number=terms.nhs_number,
        postcode=terms.postcode,
    )
    # The selector names the name field "name"; in the request it is "q".
    with input_errors_at("body.terms", renames={"name": "q"}):
        return selectors.search_people(api_user(request), criteria)
