"""Every read of a family's record, on a page or through the API, writes its audit ``view``
event: exactly one for the record read (the family, a note, an assessment, a plan, ...) and,
where the read goes through the family gatekeeper, exactly one for the family.

The reads are every GET page and API operation with a ``family_id`` in its path (from the URL
resolver and the OpenAPI document, tests/security/targets.py), sent against the security
record (tests/security/world.py) by a user who may make them. A new page or operation about
a family fails here until it is listed in READS (or, with the reason, in NOT_READS).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import build_world
from tests.security.probe import OK, Clients, send
from tests.security.targets import Target, api_document, api_targets, page_targets
from tests.security.world import build_record

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Read:
    """What one request reads: the audited object type and the ``Record.ids`` key naming it
    (None: a list, audited once with its count)."""

    object_type: str
    key: str | None = None
    role: str = "practitioner"  # the lead practitioner of the record's open North family
    gatekeeper: bool = True  # also audited as a read of the family
    outcomes: frozenset[str] = frozenset({OK})


def one(object_type: str, key: str, **kw: object) -> Read:
    return Read(object_type, key, **kw)  # type: ignore[arg-type]


def listed(object_type: str, **kw: object) -> Read:
    return Read(object_type, None, **kw)  # type: ignore[arg-type]


FAMILY = one("family", "family_id")
# An action page a manager takes on a draft assessment answers 409, after reading it.
MANAGER_409 = frozenset({OK, "409"})

READS: dict[str, Read] = {
    # Pages
    "casework:family": FAMILY,
    "casework:reallocate": one("family", "family_id", role="manager"),
    "casework:close": FAMILY,
    "audit:family_access": one("access_log", "family_id", role="manager", gatekeeper=False),
    "contacts:list": listed("contact"),
    "contacts:new": FAMILY,
    "contacts:detail": one("contact", "contact_id"),
    "contacts:correct": one("contact", "contact_id"),
    "contacts:delete": one("contact", "contact_id", role="manager"),
    "contacts:attachment": one("contact", "contact_id"),
    "assessments:list": listed("assessment"),
    "assessments:new": FAMILY,
    **{
        f"assessments:{name}": one("assessment", "assessment_id")
        for name in ("detail", "edit", "need_new", "need_edit", "need_remove", "submit")
    },
    "assessments:authorise": one(
        "assessment", "assessment_id", role="manager", outcomes=MANAGER_409
    ),
    "assessments:return": one("assessment", "assessment_id", role="manager", outcomes=MANAGER_409),
    "plans:list": listed("family_plan"),
    "plans:new": FAMILY,  # the family has a plan: the page leads to it
    **{
        f"plans:{name}": one("family_plan", "plan_id")
        for name in (
            "detail",
            "outcome_new",
            "outcome_edit",
            "action_new",
            "action_status",
            "member_new",
            "review",
            "objection",
            "share",
            "print",
            "pdf",
        )
    },
    "plans:version": one("plan_version", "version_id"),
    "plans:review_detail": one("plan_review", "review_id"),
    "programmes:enrol": FAMILY,
    "programmes:enrolment": one("enrolment", "enrolment_id"),
    "programmes:observations": listed("observation"),
    "programmes:observation_new": FAMILY,
    "programmes:observation": one("observation", "observation_id"),
    "outcomes:rate": listed("outcome_rating"),
    "outcomes:rating": one("outcome_rating", "rating_id"),
    # Not through the family gatekeeper: a former lead still records the checks of a case
    # closed since (outcomes/selectors.py).
    "outcomes:sustain_check": one("sustain_check", "check_id", gatekeeper=False),
    "outcomes:claim": listed("outcome_rating"),
    "sharing:agreements": listed("agreement"),
    "sharing:agreement_new": FAMILY,
    "sharing:agreement": one("agreement", "agreement_id"),
    "sharing:agreement_withdraw": one("agreement", "agreement_id"),
    "sharing:decisions": listed("sharing_decision"),
    "sharing:decision_new": FAMILY,
    "sharing:decision": one("sharing_decision", "decision_id"),
    "sharing:authorise": one("sharing_decision", "decision_id"),
    "sharing:log": listed("disclosure"),
    "sharing:person_log": listed("disclosure"),
    "packages:list": listed("disclosure_package"),
    "packages:create": FAMILY,
    "packages:detail": one("disclosure_package", "package_id"),
    "packages:download": one("disclosure_package", "package_id"),
    "restricted:manage": one("family_restriction", "family_id", role="manager", gatekeeper=False),
    # API operations
    "get_family": FAMILY,
    "get_family_timeline": FAMILY,
    "list_contacts": listed("contact"),
    "get_contact": one("contact", "contact_id"),
    "list_assessments": listed("assessment"),
    "get_assessment": one("assessment", "assessment_id"),
    "list_family_plans": listed("family_plan"),
    "get_family_plan": one("family_plan", "plan_id"),
    "get_family_plan_version": one("plan_version", "version_id"),
    "list_family_enrolments": listed("enrolment"),
    "list_observations": listed("observation"),
    "get_observation": one("observation", "observation_id"),
    "list_outcome_ratings": listed("outcome_rating"),
    "list_sustain_checks": listed("sustain_check", gatekeeper=False),
    "get_claim_status": listed("outcome_rating"),
    "list_family_agreements": listed("agreement"),
    "get_family_agreement": one("agreement", "agreement_id"),
    "list_sharing_decisions": listed("sharing_decision"),
    "get_sharing_decision": one("sharing_decision", "decision_id"),
    "get_disclosure_log": listed("disclosure"),
    "list_disclosure_packages": listed("disclosure_package"),
    "get_disclosure_package": one("disclosure_package", "package_id"),
    # The record's package is approved, not released: read, then 409.
    "download_disclosure_package": one(
        "disclosure_package", "package_id", outcomes=frozenset({"409"})
    ),
    "get_family_restriction": one(
        "family_restriction", "family_id", role="manager", gatekeeper=False
    ),
}

NOT_READS: dict[str, str] = {
    # The record's plan names a household member who has not agreed, so no partner sees it
    # here; a partner's read is audited in tests/sharing/test_partner_access.py.
    "partner:family": "partner read",
    "partner:action_status": "partner read",
    "partner:contribution": "partner read",
    "get_partner_family": "partner read",
    # Break-glass needs a restricted family (tests/restricted/test_break_glass.py).
    "restricted:break_glass": "restricted family only",
    # The record's agreements were given verbally: no signed form to read.
    "sharing:signed_form": "no signed form in the record",
    # Writes with no page to GET (405); audited as writes.
    "packages:submit": "post only",
    "packages:decide": "post only",
    "packages:release": "post only",
    "restricted:lift": "post only",
}


def _family_reads(targets: list[Target]) -> list[Target]:
    return [t for t in targets if t.method == "GET" and "family_id" in t.params]


def test_every_family_read_is_listed() -> None:
    world = build_world()
    targets = _family_reads(page_targets() + api_targets(api_document(world.practitioner)))
    names = {t.name for t in targets}
    missing = sorted(names - set(READS) - set(NOT_READS))
    assert not missing, f"say in READS which audit event these reads write: {missing}"
    stale = sorted((set(READS) | set(NOT_READS)) - names)
    assert not stale, f"READS lists pages or operations that no longer exist: {stale}"


def _views(after: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=after, action=Action.VIEW).order_by("seq"))


def _head() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.mark.parametrize("kind", ["page", "api"])
def test_each_read_writes_its_view_event(kind: str) -> None:
    record = build_record()
    targets = (
        page_targets() if kind == "page" else api_targets(api_document(record.world.practitioner))
    )
    clients = Clients()
    family_id = str(record.ids["family_id"])
    failures: list[str] = []
    for target in _family_reads(targets):
        read = READS.get(target.name)
        if read is None:
            continue  # in NOT_READS (the test above holds the lists to the targets)
        user = record.user(read.role)
        clients.page(read.role, user)  # sign in (an audited event) before the request
        clients.headers(read.role, user)
        before = _head()
        answer = send(clients, target, read.role, user, record.ids)
        if answer not in read.outcomes:
            failures.append(f"{target.name}: answered {answer}")
            continue
        views = _views(before)
        if any(event.actor_id != user.pk for event in views):  # type: ignore[union-attr]
            failures.append(f"{target.name}: a view event by someone else")
        expected_id = str(record.ids[read.key]) if read.key else ""
        matching = [
            e for e in views if e.object_type == read.object_type and e.object_id == expected_id
        ]
        if len(matching) != 1:
            failures.append(
                f"{target.name}: {len(matching)} view events of {read.object_type} "
                f"{read.key or '(list)'}, not 1"
            )
        elif read.key is None and not matching[0].detail.get("list"):
            failures.append(f"{target.name}: the list's view event does not say it is a list")
        if read.gatekeeper and read.object_type != "family":
            families = [e for e in views if e.object_type == "family"]
            if [e.object_id for e in families] != [family_id]:
                failures.append(f"{target.name}: {len(families)} family view events, not 1")
    assert not failures, "\n".join(failures)
