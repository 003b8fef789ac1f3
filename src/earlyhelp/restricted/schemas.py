from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema

from earlyhelp.core.api_schemas import InputSchema
from earlyhelp.restricted.models import ReviewOutcome


class RestrictionIn(InputSchema):
    reason: str = Field(
        max_length=5_000,
        description="Why the family is restricted (shown to the DPO and managers).",
    )
    allowed: list[Annotated[str, Field(max_length=150)]] = Field(
        default_factory=list,
        max_length=200,
        description="Usernames of everyone who may open the family; replaces the previous list.",
    )


class RestrictionOut(Schema):
    family_id: UUID
    family_reference: str
    restricted: bool
    reason: str | None = None
    set_at: datetime | None = None
    allowed: list[str] = Field(default_factory=list, description="Usernames on the access list.")


class PersonRestrictionOut(Schema):
    person_id: UUID
    restricted: bool
    reason: str | None = None
    set_at: datetime | None = None
    allowed: list[str] = Field(default_factory=list, description="Usernames on the access list.")
    family_references: list[str] = Field(
        default_factory=list,
        description="The families the restriction closes: every family the person belongs to.",
    )


class BreakGlassIn(InputSchema):
    reason: str = Field(
        max_length=5_000,
        description="Why you need to open the record (at least 20 characters).",
    )


class BreakGlassOut(Schema):
    id: UUID
    family_id: UUID
    at: datetime
    expires_at: datetime
    alerted: int = Field(description="How many people (DPO, team managers) were alerted.")


class AccessOut(Schema):
    id: UUID
    username: str
    family_id: UUID
    family_reference: str
    reason: str
    at: datetime
    expires_at: datetime
    outcome: ReviewOutcome | None = None
    escalated: bool
    review_note: str
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


class BreakGlassReviewIn(InputSchema):
    outcome: ReviewOutcome
    escalated: bool = False
    note: str = Field(
        default="", max_length=5_000, description="Required when the access was inappropriate."
    )


class AccessPageOut(Schema):
    count: int
    page: int
    pages: int
    accesses: list[AccessOut]
