"""The authorisation matrix: every page from the URL resolver and every API operation from the
OpenAPI document, against every role (anonymous included), with a rule for each.

A page or operation without a rule in PAGE_RULES / API_RULES fails the test: a new endpoint
cannot ship without someone deciding who may use it. Path parameters are filled from one
record (tests/security/world.py): an open North family (lead: pat) with a row of every kind.

Reads (GET) are sent as every role. Writes (POST-only pages, API POST/PUT/PATCH/DELETE) are
sent with an empty body only as the roles WITHOUT access and as anonymous, so nothing changes:
they must be refused (sign-in page / 401, 403, 404). Where the API validates the body before
the permission check (422 for a role that cannot see the record), the same request against
ids that name nothing must answer the same 422, so the answer reveals nothing; such
operations are listed in VALIDATES_BEFORE_PERMISSION.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from tests.security.probe import LOGIN, OK, SIGN_OUT, Clients, send
from tests.security.targets import Target, api_document, api_targets, page_targets
from tests.security.world import ROLES, Record, build_record, random_ids

STAFF = frozenset(ROLES) - {"anonymous"}
CASEWORKERS = frozenset({"practitioner", "practitioner_south", "manager", "manager_south"})
MANAGERS = frozenset({"manager", "manager_south"})
NORTH = frozenset({"practitioner", "manager"})


@dataclass(frozen=True)
class Rule:
    """Who gets the page: ``ok`` roles succeed (2xx, or a redirect not to sign-in; or one of
    ``also_ok``, e.g. 409 when the record's state forbids the action); ``forbidden`` roles get
    403 (they know the record or page exists); every other signed-in role gets ``other``."""

    ok: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    other: str = "404"
    anonymous: str = LOGIN
    also_ok: frozenset[str] = frozenset()
    post_only: bool = False

    def expected(self, role: str) -> frozenset[str]:
        if role == "anonymous":
            return frozenset({self.anonymous})
        if role in self.ok:
            return frozenset({OK}) | self.also_ok
        if role in self.forbidden:
            return frozenset({"403"})
        return frozenset({self.other})


def rule(
    ok: frozenset[str] | set[str] = frozenset(),
    forbidden: frozenset[str] | set[str] = frozenset(),
    **kw: object,
) -> Rule:
    return Rule(ok=frozenset(ok), forbidden=frozenset(forbidden), **kw)  # type: ignore[arg-type]


PUBLIC = rule(STAFF, anonymous=OK)
SIGNED_IN = rule(STAFF)
NOT_FOUND_FOR_ALL = rule(anonymous="404")  # e.g. a public-form step with nothing in session
# Open North family: its practitioner and manager; everyone else 404.
FAMILY_TEAM = rule(NORTH)
# ...an action only the family's team manager takes: the practitioner knows the family (403).
FAMILY_MANAGER = rule({"manager"}, {"practitioner"})
FAMILY_MANAGER_ONLY_409 = rule(
    {"manager"}, {"practitioner"}, also_ok=frozenset({"409"})
)  # GET of a manager action on an assessment not yet submitted
ROLE_ONLY = {
    "caseworkers": rule(CASEWORKERS, STAFF - CASEWORKERS),
    "managers": rule(MANAGERS, STAFF - MANAGERS),
    "partner": rule({"partner"}, STAFF - {"partner"}),
    "admin": rule({"admin"}, STAFF - {"admin"}),
    "dpo": rule({"dpo"}, STAFF - {"dpo"}),
    "dpo_admin": rule({"dpo", "admin"}, STAFF - {"dpo", "admin"}),
    "managers_dpo": rule(MANAGERS | {"dpo"}, STAFF - MANAGERS - {"dpo"}),
    "front_door": rule(CASEWORKERS | {"duty"}, STAFF - CASEWORKERS - {"duty"}),
    "triage": rule(MANAGERS | {"duty"}, STAFF - MANAGERS - {"duty"}),
    "directory_readers": rule(STAFF - {"analyst", "partner"}, {"analyst", "partner"}),
    "directory_editors": rule(MANAGERS | {"admin"}, STAFF - MANAGERS - {"admin"}),
}

PAGE_RULES: dict[str, Rule] = {
    "core:home": SIGNED_IN,
    "core:healthz": PUBLIC,
    "accounts:login": PUBLIC,
    # Signing out ends at the sign-in page.
    "accounts:logout": rule(STAFF, post_only=True, also_ok=frozenset({LOGIN})),
    # Nothing to verify without a pending second factor: back to sign-in.
    "accounts:mfa_verify": rule(other=LOGIN),
    "accounts:mfa_set_up": SIGNED_IN,
    "accounts:mfa_recovery_codes": SIGNED_IN,
    "accounts:session_keep_alive": rule(STAFF, post_only=True),
    # Single sign-on is off in tests (no provider configured): its pages do not exist.
    "oidc_authentication_callback": NOT_FOUND_FOR_ALL,
    "oidc_authentication_init": NOT_FOUND_FOR_ALL,
    "oidc_logout": rule(STAFF, post_only=True, also_ok=frozenset({LOGIN})),
    "datamap:privacy_notice": PUBLIC,
    "datamap:privacy_notice_version": PUBLIC,
    "datamap:notice_versions": ROLE_ONLY["dpo"],
    "datamap:register": ROLE_ONLY["dpo_admin"],
    "people:search": ROLE_ONLY["front_door"],
    "casework:family": FAMILY_TEAM,
    "casework:reallocate": FAMILY_MANAGER,
    "casework:close": FAMILY_TEAM,
    "dashboards:caseload": ROLE_ONLY["caseworkers"],
    "dashboards:team": ROLE_ONLY["managers"],
    **{
        f"referrals:public_{step}": PUBLIC
        for step in (
            "start",
            "who",
            "referrer",
            "people",
            "person_add",
            "address",
            "concern",
            "agreement",
            "check",
            "done",
        )
    },
    "referrals:public_person": NOT_FOUND_FOR_ALL,
    "referrals:public_person_remove": NOT_FOUND_FOR_ALL,
    "referrals:queue": ROLE_ONLY["triage"],
    "referrals:new": ROLE_ONLY["front_door"],
    "referrals:detail": rule(MANAGERS | {"duty"}),
    "referrals:attachment": rule(MANAGERS | {"duty"}),
    "audit:access_lookup": ROLE_ONLY["managers_dpo"],
    "audit:family_access": rule({"manager", "dpo"}),
    "audit:denials": ROLE_ONLY["dpo"],
    # The alert id names nothing: 404 for the DPO, 403 for everyone else (not theirs to see).
    "audit:denial": rule(forbidden=STAFF - {"dpo"}),
    "contacts:list": FAMILY_TEAM,
    "contacts:new": FAMILY_TEAM,
    "contacts:detail": FAMILY_TEAM,
    "contacts:correct": FAMILY_TEAM,
    "contacts:delete": FAMILY_MANAGER,
    "contacts:attachment": FAMILY_TEAM,
    "assessments:list": FAMILY_TEAM,
    "assessments:new": FAMILY_TEAM,
    "assessments:detail": FAMILY_TEAM,
    "assessments:edit": FAMILY_TEAM,
    "assessments:need_new": FAMILY_TEAM,
    "assessments:need_edit": FAMILY_TEAM,
    "assessments:need_remove": FAMILY_TEAM,
    "assessments:submit": FAMILY_TEAM,
    "assessments:authorise": FAMILY_MANAGER_ONLY_409,
    "assessments:return": FAMILY_MANAGER_ONLY_409,
    "assessments:awaiting": ROLE_ONLY["managers"],
    "assessments:headlines": ROLE_ONLY["admin"],
    "assessments:headline_edit": ROLE_ONLY["admin"],
    "plans:reviews_due": ROLE_ONLY["caseworkers"],
    **{
        f"plans:{name}": FAMILY_TEAM
        for name in (
            "list",
            "new",
            "detail",
            "version",
            "outcome_new",
            "outcome_edit",
            "action_new",
            "action_status",
            "member_new",
            "review",
            "review_detail",
            "objection",
            "share",
            "print",
            "pdf",
        )
    },
    "partners:list": ROLE_ONLY["directory_readers"],
    "partners:detail": ROLE_ONLY["directory_readers"],
    "partners:new": ROLE_ONLY["directory_editors"],
    "partners:edit": ROLE_ONLY["directory_editors"],
    "partners:contact_new": ROLE_ONLY["directory_editors"],
    "partners:contact_edit": ROLE_ONLY["directory_editors"],
    # The record has no directory change waiting: the id names nothing (404 for all).
    "partners:change_decide": rule(post_only=True),
    "programmes:list": ROLE_ONLY["front_door"],
    "programmes:detail": ROLE_ONLY["front_door"],
    "programmes:new": ROLE_ONLY["managers"],
    # The North programme's registers: North's team only.
    "programmes:session_new": rule(NORTH, STAFF - NORTH),
    "programmes:register": rule(NORTH, STAFF - NORTH),
    "programmes:complete": rule(NORTH, {"dpo", "analyst", "admin", "partner"}),
    "programmes:enrol": FAMILY_TEAM,
    "programmes:enrolment": FAMILY_TEAM,
    "programmes:observations": FAMILY_TEAM,
    "programmes:observation_new": FAMILY_TEAM,
    "programmes:observation": FAMILY_TEAM,
    "outcomes:rate": FAMILY_TEAM,
    "outcomes:rating": FAMILY_TEAM,
    "outcomes:sustain_check": FAMILY_TEAM,
    "outcomes:sustain_due": ROLE_ONLY["caseworkers"],
    "outcomes:claim": FAMILY_TEAM,
    "partner:families": ROLE_ONLY["partner"],
    # The partner sees the family only while the plan names them and everyone the plan names
    # has agreed; this record's plan also names the household member who has not agreed, so
    # the partner, too, gets 404 here (the partner's positive journey is
    # tests/sharing/test_partner_pages.py). Staff: always 404.
    "partner:family": rule(),
    "partner:action_status": rule(),
    "partner:contribution": rule(),
    "sharing:overdue": ROLE_ONLY["managers_dpo"],
    "sharing:agreements": FAMILY_TEAM,
    "sharing:agreement_new": FAMILY_TEAM,
    "sharing:agreement": FAMILY_TEAM,
    "sharing:agreement_withdraw": FAMILY_TEAM,
    # The record's agreements were given verbally: there is no signed form (404 for all).
    "sharing:signed_form": rule(),
    "sharing:decisions": FAMILY_TEAM,
    "sharing:decision_new": FAMILY_TEAM,
    "sharing:decision": FAMILY_TEAM,
    "sharing:authorise": FAMILY_TEAM,
    "sharing:log": FAMILY_TEAM,
    "sharing:person_log": FAMILY_TEAM,
    "packages:approvals": ROLE_ONLY["managers"],
    "packages:list": FAMILY_TEAM,
    "packages:create": FAMILY_TEAM,
    "packages:detail": FAMILY_TEAM,
    "packages:submit": rule(NORTH, post_only=True),
    "packages:decide": rule(NORTH, post_only=True),
    "packages:release": rule(NORTH, post_only=True),
    "packages:download": FAMILY_TEAM,
    "restricted:find": ROLE_ONLY["managers_dpo"],
    "restricted:manage": rule({"manager", "dpo"}),
    "restricted:lift": rule({"manager", "dpo"}, post_only=True),
    # The record's parent: North's manager (North held the family) and the DPO restrict them.
    "restricted:person": rule({"manager", "dpo"}),
    "restricted:person_lift": rule({"manager", "dpo"}, post_only=True),
    # Break-glass is for a restricted family; the record is not restricted: 404 for all.
    "restricted:break_glass": rule(),
    "restricted:review_list": ROLE_ONLY["managers_dpo"],
    # The access id names nothing (the record has no break-glass access): 404 for all.
    "restricted:review": rule(),
}

API_FAMILY = rule(NORTH, anonymous="401")


def api_rule(
    ok: set[str] | frozenset[str], forbidden: set[str] | frozenset[str] = frozenset(), **kw: object
) -> Rule:
    return rule(ok, forbidden, anonymous="401", **kw)


API_STAFF = STAFF
API_RULES: dict[str, Rule] = {
    "create_referral": api_rule(CASEWORKERS | {"duty"}),
    "get_referral": api_rule(MANAGERS | {"duty"}),
    "record_decision": api_rule(MANAGERS | {"duty"}),
    "get_family": API_FAMILY,
    "close_episode": API_FAMILY,
    "get_family_timeline": API_FAMILY,
    "get_caseload": api_rule(CASEWORKERS, STAFF - CASEWORKERS),
    "search_people": api_rule(
        CASEWORKERS | {"duty"}, STAFF - CASEWORKERS - {"duty"}, also_ok=frozenset({"422"})
    ),
    "list_assessments_awaiting_authorisation": api_rule(MANAGERS, STAFF - MANAGERS),
    "list_assessment_headlines": api_rule(STAFF),
    "list_partner_organisations": api_rule(STAFF - {"analyst", "partner"}, {"analyst", "partner"}),
    "get_partner_organisation": api_rule(STAFF - {"analyst", "partner"}, {"analyst", "partner"}),
    "create_partner_organisation": api_rule(MANAGERS | {"admin"}, STAFF - MANAGERS - {"admin"}),
    "update_partner_organisation": api_rule(MANAGERS | {"admin"}, STAFF - MANAGERS - {"admin"}),
    "create_partner_contact": api_rule(MANAGERS | {"admin"}, STAFF - MANAGERS - {"admin"}),
    "update_partner_contact": api_rule(MANAGERS | {"admin"}, STAFF - MANAGERS - {"admin"}),
    "list_directory_changes": api_rule(MANAGERS | {"admin"}, STAFF - MANAGERS - {"admin"}),
    # The record has no directory change waiting: the id names nothing (404 for all).
    "approve_directory_change": api_rule(set()),
    "reject_directory_change": api_rule(set()),
    "list_programmes": api_rule(CASEWORKERS | {"duty"}, {"dpo", "analyst", "admin", "partner"}),
    "get_programme": api_rule(CASEWORKERS | {"duty"}, {"dpo", "analyst", "admin", "partner"}),
    "create_programme": api_rule(MANAGERS, STAFF - MANAGERS),
    "create_programme_session": api_rule(NORTH, STAFF - NORTH),
    "set_session_attendance": api_rule(NORTH, STAFF - NORTH),
    "set_enrolment_outcome": api_rule(NORTH, STAFF - NORTH),
    "list_partner_families": api_rule({"partner"}, STAFF - {"partner"}),
    "get_partner_family": api_rule(set()),  # see partner:family above
    "update_partner_action_status": api_rule({"partner"}),
    "add_partner_contribution": api_rule({"partner"}),
    "get_family_restriction": api_rule({"manager", "dpo"}),
    "restrict_family": api_rule({"manager", "dpo"}),
    "lift_family_restriction": api_rule({"manager", "dpo"}),
    "get_person_restriction": api_rule({"manager", "dpo"}),
    "restrict_person": api_rule({"manager", "dpo"}),
    "lift_person_restriction": api_rule({"manager", "dpo"}),
    "break_glass": api_rule(CASEWORKERS | {"duty"}),
    "list_break_glass_accesses": api_rule(MANAGERS | {"dpo"}, STAFF - MANAGERS - {"dpo"}),
    "review_break_glass_access": api_rule(MANAGERS | {"dpo"}),
    **{
        op: API_FAMILY
        for op in (
            "list_contacts",
            "record_contact",
            "get_contact",
            "correct_contact",
            "delete_contact",
            "list_assessments",
            "start_assessment",
            "get_assessment",
            "update_assessment",
            "add_assessment_need",
            "update_assessment_need",
            "remove_assessment_need",
            "submit_assessment",
            "authorise_assessment",
            "return_assessment",
            "list_family_plans",
            "create_family_plan",
            "get_family_plan",
            "get_family_plan_version",
            "add_plan_outcome",
            "add_plan_action",
            "update_plan_action_status",
            "add_plan_member",
            "record_plan_review",
            "record_plan_objection",
            "withdraw_plan_objection",
            "share_family_plan",
            "create_enrolments",
            "list_family_enrolments",
            "list_observations",
            "create_observation",
            "get_observation",
            "list_outcome_ratings",
            "rate_outcome",
            "list_sustain_checks",
            "record_sustain_check",
            "get_claim_status",
            "list_family_agreements",
            "record_family_agreement",
            "get_family_agreement",
            "withdraw_family_agreement",
            "list_sharing_decisions",
            "record_sharing_decision",
            "get_sharing_decision",
            "authorise_sharing_decision",
            "get_disclosure_log",
            "list_disclosure_packages",
            "create_disclosure_package",
            "get_disclosure_package",
            "submit_disclosure_package",
            "approve_disclosure_package",
            "reject_disclosure_package",
            "release_disclosure_package",
        )
    },
    # The record's package is approved but not yet released: 409 for the team.
    "download_disclosure_package": api_rule(NORTH, also_ok=frozenset({"409"})),
}

# Found by this test: operations that answer 422 to an empty body before checking whether the
# caller may see the record (django-ninja validates the body before the view runs). The answer
# is the same for ids that name nothing, so it reveals nothing; see the module docstring.
VALIDATES_BEFORE_PERMISSION: set[str] = set()


@dataclass
class Matrix:
    record: Record
    clients: Clients
    targets: list[Target] = field(default_factory=list)


@pytest.fixture
def matrix(db: None) -> Matrix:
    """The record, built for each test (about 1.5 s; the matrix runs once per role)."""
    record = build_record()
    targets = page_targets() + api_targets(api_document(record.world.practitioner))
    return Matrix(record, Clients(), targets)


def _rule_for(target: Target) -> Rule | None:
    return (PAGE_RULES if target.kind == "page" else API_RULES).get(target.name)


def test_every_page_and_operation_has_a_rule(matrix: Matrix) -> None:
    missing = [f"{t.kind} {t.name}" for t in matrix.targets if _rule_for(t) is None]
    assert not missing, "add a rule to tests/security/test_authorisation_matrix.py for: " + (
        ", ".join(missing)
    )
    pages = {t.name for t in matrix.targets if t.kind == "page"}
    operations = {t.name for t in matrix.targets if t.kind == "api"}
    stale = sorted((set(PAGE_RULES) - pages) | (set(API_RULES) - operations))
    assert not stale, f"rules for pages or operations that no longer exist: {stale}"


def test_operation_ids_are_unique(matrix: Matrix) -> None:
    names = [t.name for t in matrix.targets if t.kind == "api"]
    assert len(names) == len(set(names))


def _is_write(target: Target, rule_: Rule) -> bool:
    return rule_.post_only or target.method != "GET"


@pytest.mark.parametrize("role", ROLES)
def test_the_matrix(matrix: Matrix, role: str) -> None:
    record = matrix.record
    user = record.user(role)
    failures = []
    for target in matrix.targets:
        rule_ = _rule_for(target)
        if rule_ is None:
            continue  # reported by test_every_page_and_operation_has_a_rule
        expected = rule_.expected(role)
        if _is_write(target, rule_):
            if role in rule_.ok and target.name not in SIGN_OUT:
                continue  # writes are sent only as the roles that must be refused
            sent = replace(target, method="POST") if target.kind == "page" else target
            got = send(matrix.clients, sent, role, user, record.ids)
            # Validated before the permission check: acceptable only if ids naming nothing
            # get the same answer (no oracle for what exists).
            if (
                got == "422"
                and target.kind == "api"
                and role != "anonymous"
                and send(matrix.clients, sent, role, user, random_ids(record.ids)) == "422"
            ):
                VALIDATES_BEFORE_PERMISSION.add(target.name)
                continue
            if role in rule_.ok:
                expected = frozenset({OK}) | rule_.also_ok
        else:
            got = send(matrix.clients, target, role, user, record.ids)
        if got not in expected:
            failures.append(
                f"{target.kind} {target.method} {target.name}: {got}, expected "
                f"{' or '.join(sorted(expected))}"
            )
    assert not failures, f"as {role}:\n" + "\n".join(failures)


def test_post_only_pages_refuse_get(matrix: Matrix) -> None:
    record = matrix.record
    for target in matrix.targets:
        rule_ = _rule_for(target)
        if target.kind == "page" and rule_ is not None and rule_.post_only:
            assert send(matrix.clients, target, "manager", record.world.manager, record.ids) in {
                "405",
                LOGIN,
            }, target.name
