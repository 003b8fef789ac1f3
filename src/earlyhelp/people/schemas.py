"""Response bodies of the people-search API."""

from datetime import date
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema


class PersonMatchOut(Schema):
    person_id: UUID
    name: str
    year_of_birth: int | None
    current_team: str | None = Field(description="Name of the team with an open episode")
    family_id: UUID | None = Field(
        description="Only for families you may open; always null for duty workers' matches"
    )


class PeopleQuery(InputSchema):
    """The search terms, in the request body (never the URL). At least one is needed."""

    q: str = Field("", max_length=200, description="Name, or part of one")
    date_of_birth: date | None = Field(None, description="YYYY-MM-DD")
    nhs_number: str = Field("", max_length=16)
    postcode: str = Field("", max_length=16)
