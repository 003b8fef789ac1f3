"""What an audit event's ``object_type`` means: the one list.

``services.record_event`` refuses any code not listed here, so a typo or a new kind of record
cannot slip into the trail unexplained, and a DPO reading the trail (or an export of it) can
look every code up. The object id is the record's primary key, except where the meaning says
otherwise; an event without an object id is about a list or a search (``detail.count``).

Add a code here, with its meaning, when a new kind of record is read or written.
"""

from __future__ import annotations

OBJECT_TYPES: dict[str, str] = {
    # The case record
    "family": "a family (its record, its page, or a list of families)",
    "person": "a person known to the service",
    "address": "a person's address",
    "episode": "an episode of Early Help support for a family",
    "referral": "a referral received by the front door",
    "referral_attachment": "a document attached to a referral",
    "public_referral_draft": "unsent answers of the public online referral form",
    "onward_referral": "a referral on to another service when an episode closes",
    "contact": "a contact or case note with a family",
    "contact_attachment": "a document attached to a contact",
    "assessment": "an Early Help assessment",
    "assessment_need": "one need identified in an assessment",
    # Plans and outcomes
    "family_plan": "a family's Team Around the Family plan",
    "plan_version": "one version of a family's plan",
    "plan_outcome": "an outcome in a plan",
    "plan_action": "an action in a plan",
    "plan_review": "a review of a plan",
    "plan_objection": "a family member's objection to sharing their plan",
    "taf_member": "a member of a plan's Team Around the Family",
    "partner_contribution": "an update a TAF partner added to a plan",
    "outcome_rating": "an outcome rating (distance travelled)",
    "sustain_check": "a check that an outcome was sustained after closure",
    # Group programmes
    "programme": "a group programme",
    "programme_session": "one session of a group programme",
    "programme_enrolments": "the enrolment list of a programme (object: the programme)",
    "programme_register": "the attendance register of a session (object: the session)",
    "enrolment": "a person's enrolment on a programme",
    "observation": "a practitioner's observation at a session",
    # Sharing and what leaves the team
    "agreement": "a family member's agreement to share, or its withdrawal",
    "agreement_signed_form": "the signed form of an agreement to share",
    "sharing_decision": "a decision to share or not to share without agreement",
    "sharing_check": "a check of the sharing policy before information left (allowed or not)",
    "disclosure": "a disclosure log (what left the team, to whom)",
    "disclosure_package": "a disclosure package prepared, approved or released",
    # Restrictions
    "family_restriction": "a restriction on who may open a family (object: the family)",
    "person_restriction": "a restriction on who may open a person's families (object: the person)",
    "break_glass_access": "an emergency opening of a restricted family",
    # The partner directory
    "organisation": "an organisation in the partner directory",
    "partner_contact": "a professional contact in the partner directory",
    "directory_change": "a change to the directory waiting for a second person",
    # Staff, sign-in and configuration
    "user": "a member of staff's account (sign-in, roles, sessions)",
    "team": "a team",
    "mfa_device": "a member of staff's second sign-in factor",
    "api_token": "an API bearer token",
    "headline": "a headline need of the assessment's configuration",
    "privacy_notice": "a version of the privacy notice",
    "field_keys": "a rotation of the field encryption keys",
    # The audit trail itself
    "access_log": "the audit trail of a family, read by a reviewer (object: the family)",
    "denial_alert": "a burst of refused access, raised for the DPO and reviewed",
}


def meaning(object_type: str) -> str:
    """What the code means, for a reader of the trail; unknown codes are said to be so."""
    return OBJECT_TYPES.get(object_type, f"unknown object type {object_type!r}")
