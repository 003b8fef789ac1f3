"""Insecure direct object references: guessed, random and other teams' real ids.

Every page and API operation that names a record by id answers 404 -- never 200, never 403 --
when the user may not see that record: a random UUID, a real id of another team's family,
or a real id of one family put under another family's URL. 404 is also the answer for a
family the user knows but an object in it that does not exist, so nothing can be learnt by
trying ids. The only integer ids in URLs (privacy notice versions, plan version numbers, the
public form's people) are checked the same way.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.services import issue_token
from earlyhelp.casework.contacts.services import ContactInput, record_contact
from earlyhelp.plans import services as plans
from earlyhelp.plans.printing import plan_people_ids
from tests.factories import PASSWORD, agree_to_share
from tests.security.targets import Target, page_targets
from tests.security.world import Record, build_record

pytestmark = pytest.mark.django_db

# The pages that show one record, by URL name: each takes the family's (or the referral's) id
# and the object's.
OBJECT_PAGES = [
    "casework:family",
    "contacts:detail",
    "contacts:correct",
    "contacts:attachment",
    "assessments:detail",
    "assessments:edit",
    "assessments:need_edit",
    "plans:detail",
    "plans:version",
    "plans:print",
    "plans:pdf",
    "plans:review_detail",
    "plans:outcome_edit",
    "plans:action_status",
    "sharing:agreement",
    "sharing:agreement_withdraw",
    "sharing:decision",
    "sharing:person_log",
    "packages:detail",
    "packages:download",
    "programmes:enrolment",
    "programmes:observation",
    "outcomes:rating",
    "outcomes:sustain_check",
]
REFERRAL_PAGES = ["referrals:detail", "referrals:attachment"]
# API reads naming one record: OpenAPI path -> the parameters it takes.
OBJECT_API = [
    "/families/{family_id}",
    "/families/{family_id}/timeline",
    "/families/{family_id}/contacts/{contact_id}",
    "/families/{family_id}/assessments/{assessment_id}",
    "/families/{family_id}/plans/{plan_id}",
    "/families/{family_id}/plans/{plan_id}/versions/{number}",
    "/families/{family_id}/agreements/{agreement_id}",
    "/families/{family_id}/sharing-decisions/{decision_id}",
    "/families/{family_id}/disclosure-packages/{package_id}",
    "/families/{family_id}/disclosure-packages/{package_id}/download",
    "/families/{family_id}/observations/{observation_id}",
    "/families/{family_id}/claim-status",
]


@pytest.fixture
def record(db: None) -> Record:
    return build_record()


def _targets(names: list[str]) -> list[Target]:
    by_name = {t.name: t for t in page_targets()}
    return [by_name[name] for name in names]


def _signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _api_path(template: str, ids: dict[str, Any]) -> str:
    path = "/api/v1" + template
    for key, value in ids.items():
        path = path.replace("{" + key + "}", str(value))
    assert "{" not in path, path
    return path


def _api_get(user: Any, path: str) -> int:
    token = issue_token(actor=None, user=user)
    return Client().get(path, headers={"Authorization": f"Bearer {token}"}).status_code


def _api_client(user: Any) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Bearer {issue_token(actor=None, user=user)}"}


def _swapped(ids: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """The record's ids with one replaced."""
    return {**ids, key: value}


def _uuid_params(target: Target) -> list[str]:
    return [p for p in target.params if p != "code"]


def test_other_teams_get_404_for_every_real_id(record: Record) -> None:
    world, ids = record.world, record.ids
    failures = []
    for role in ("practitioner_south", "manager_south", "analyst", "admin"):
        user = getattr(world, role)
        client = _signed_in(user)
        for target in _targets(OBJECT_PAGES):
            status = client.get(target.path(ids)).status_code
            if status != 404:
                failures.append(f"{role} {target.name}: {status}")
        api, headers = _api_client(user)
        for template in OBJECT_API:
            status = api.get(_api_path(template, ids), headers=headers).status_code
            if status != 404:
                failures.append(f"{role} api {template}: {status}")
    # The referral is the front door's and managers' only: a practitioner gets 404.
    client = _signed_in(world.practitioner_south)
    for target in _targets(REFERRAL_PAGES):
        status = client.get(target.path(ids)).status_code
        if status != 404:
            failures.append(f"practitioner_south {target.name}: {status}")
    status = _api_get(world.practitioner, f"/api/v1/referrals/{ids['referral_id']}")
    if status not in (403, 404):  # 403 by role alone: the same for every id (checked below)
        failures.append(f"practitioner api referral: {status}")
    random = _api_get(world.practitioner, f"/api/v1/referrals/{uuid4()}")
    if random != status:
        failures.append(f"practitioner api referral: {status} for a real id, {random} random")
    assert not failures, "\n".join(failures)


def test_random_ids_get_404_even_inside_a_family_the_user_works_on(record: Record) -> None:
    """One id at a time replaced by a random UUID, as the North practitioner, who may open
    every real id here."""
    world, ids = record.world, record.ids
    pat = _signed_in(world.practitioner)
    failures = []
    aliases = {"referral_attachment_id", "contact_attachment_id", "partner_contact_id"}
    for target in _targets(OBJECT_PAGES):
        assert pat.get(target.path(ids)).status_code in (200, 302), target.name
        for param in _uuid_params(target):
            keys = [param] if param != "attachment_id" else ["contact_attachment_id"]
            for key in keys:
                status = pat.get(target.path(_swapped(ids, key, uuid4()))).status_code
                if status != 404:
                    failures.append(f"{target.name} random {key}: {status}")
    duty = _signed_in(world.duty)
    for target in _targets(REFERRAL_PAGES):
        assert duty.get(target.path(ids)).status_code == 200, target.name
        for key in ("referral_id", "referral_attachment_id"):
            if key == "referral_attachment_id" and "attachment_id" not in target.params:
                continue
            status = duty.get(target.path(_swapped(ids, key, uuid4()))).status_code
            if status != 404:
                failures.append(f"{target.name} random {key}: {status}")
    api, headers = _api_client(world.practitioner)
    for template in OBJECT_API:
        # 409 for the download: the approved package is not yet released.
        real = api.get(_api_path(template, ids), headers=headers).status_code
        assert real in (200, 409), template
        for key in ids:
            if "{" + key + "}" in template and isinstance(ids[key], UUID) and key not in aliases:
                status = api.get(
                    _api_path(template, _swapped(ids, key, uuid4())), headers=headers
                ).status_code
                if status != 404:
                    failures.append(f"api {template} random {key}: {status}")
    api, headers = _api_client(world.duty)
    if api.get(f"/api/v1/referrals/{uuid4()}", headers=headers).status_code != 404:
        failures.append("api referral random id")
    assert not failures, "\n".join(failures)


def test_an_id_from_one_family_under_another_familys_url_gets_404(record: Record) -> None:
    """Two North families the practitioner works on: family B's records addressed through
    family A's URLs (and A's through B's) are not found."""
    world, ids = record.world, record.ids
    pat = world.practitioner
    other, _ = world.open_family(last_name="Larchmont")
    member = other.members.first()
    assert member is not None
    note = record_contact(
        actor=pat,
        family=other,
        data=ContactInput(
            contact_type="phone_call",
            occurred_at=timezone.now() - timedelta(hours=1),
            note="Spoke about the school run.",
            subjects=[member.pk],
        ),
    )
    plan = plans.create_plan(
        actor=pat,
        family=other,
        outcomes=[
            plans.OutcomeInput(
                headline_code="getting_a_good_education",
                description="Settled at school.",
                people=[member.pk],
            )
        ],
    )
    version = plans.current_version(plan)
    client = _signed_in(pat)
    mixed = [
        ("contacts:detail", {"contact_id": note.pk}),
        ("plans:detail", {"plan_id": plan.pk}),
        ("plans:version", {"version_id": version.pk}),
        ("plans:outcome_edit", {"plan_id": plan.pk}),
    ]
    failures = []
    for name, changes in mixed:
        (target,) = _targets([name])
        status = client.get(target.path({**ids, **changes})).status_code
        if status != 404:
            failures.append(f"{name} with family B's id under family A: {status}")
    # ...and family A's records under family B's id.
    for target in _targets(OBJECT_PAGES):
        if target.name == "casework:family":
            continue
        status = client.get(target.path({**ids, "family_id": other.pk})).status_code
        if status != 404:
            failures.append(f"{target.name} with family A's ids under family B: {status}")
    api, headers = _api_client(pat)
    for template in OBJECT_API[2:]:
        if "claim-status" in template:
            continue
        path = _api_path(template, {**ids, "family_id": other.pk})
        status = api.get(path, headers=headers).status_code
        if status != 404:
            failures.append(f"api {template} under family B: {status}")
    assert not failures, "\n".join(failures)


def test_writes_to_another_teams_records_get_404(record: Record) -> None:
    """Valid bodies, so the refusal is the permission check's, not validation's."""
    world, ids = record.world, record.ids
    api, headers = _api_client(world.practitioner_south)
    family = f"/api/v1/families/{ids['family_id']}"
    body = {
        "contact_type": "phone_call",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "note": "Guessing ids.",
    }
    writes = [
        ("post", f"{family}/contacts", body),
        ("patch", f"{family}/assessments/{ids['assessment_id']}", {"strengths": "Changed."}),
        ("post", f"{family}/contacts/{ids['contact_id']}/deletion", {"reason": "Not needed."}),
        ("post", f"{family}/disclosure-packages/{ids['package_id']}/release", {}),
    ]
    for method, path, payload in writes:
        response = getattr(api, method)(
            path, json.dumps(payload), content_type="application/json", headers=headers
        )
        assert response.status_code == 404, (path, response.status_code)


def test_integer_ids_in_urls_get_404_when_they_name_nothing(record: Record) -> None:
    world, ids = record.world, record.ids
    anonymous = Client()
    assert anonymous.get(reverse("datamap:privacy_notice")).status_code == 200
    for version in (0, 999, 2**31, 2**63):
        path = reverse("datamap:privacy_notice_version", kwargs={"version": version})
        assert anonymous.get(path).status_code == 404, version
    assert anonymous.get("/privacy-notice/v/-1/").status_code == 404
    # The public form's people are numbered within the visitor's own session only.
    for number in (0, 1, 2, 99):
        path = reverse("referrals:public_person", kwargs={"number": number})
        assert anonymous.get(path).status_code == 404, number
    # Plan versions by number: sequential guesses past the last, and another team's.
    plan = f"/api/v1/families/{ids['family_id']}/plans/{ids['plan_id']}/versions"
    latest = plans.current_version(record.case.version.plan).number
    api, headers = _api_client(world.practitioner)
    assert api.get(f"{plan}/{latest}", headers=headers).status_code == 200
    for number in (0, latest + 1, 10**6):
        assert api.get(f"{plan}/{number}", headers=headers).status_code == 404, number
    assert api.get(f"{plan}/-1", headers=headers).status_code in (404, 422)
    south, south_headers = _api_client(world.practitioner_south)
    for number in range(1, latest + 2):
        assert south.get(f"{plan}/{number}", headers=south_headers).status_code == 404


def test_a_referral_created_by_someone_else_is_not_reachable_by_a_sequential_guess(
    record: Record,
) -> None:
    """Referral references are not ids: the URL takes a UUID, so a reference (or a number)
    in its place is no route at all."""
    world = record.world
    referral = world.referral(last_name="Larchmont")
    client = _signed_in(world.duty)
    for guess in (referral.reference, "1", "2", str(referral.pk.int)):
        assert client.get(f"/referrals/{guess}/").status_code == 404, guess


def test_the_partner_gets_404_until_everyone_the_plan_names_has_agreed(record: Record) -> None:
    """Why the record's partner gets 404 on the partner family page: not the review, but
    the plan naming Wystan (the owner of an action since version 1), for whom the family gave
    no agreement to share with the school. Once he has, the teacher sees the family."""
    world, s = record.world, record.case.s
    plan = record.case.version.plan
    first = plan.versions.get(number=1)
    assert s.excluded.pk in set(plan_people_ids(first))
    partner = _signed_in(world.partner)
    page = reverse("partner:family", kwargs={"family_id": s.family.pk})
    assert partner.get(page).status_code == 404
    agree_to_share(
        world.practitioner, s.family, s.excluded, organisation=s.school, given_by=s.excluded
    )
    assert partner.get(page).status_code == 200
