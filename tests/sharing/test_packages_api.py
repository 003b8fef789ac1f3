"""The disclosure packages API: the same services, the same four eyes and sharing check;
the passphrase once in the release response; nothing of the third party or the confidential
address in any JSON."""

from __future__ import annotations

import io
import json

import pytest
import pyzipper
from django.test import Client
from django.utils import timezone

from earlyhelp.accounts.services import issue_token
from earlyhelp.audit.models import AuditEvent
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.models import DisclosureLogEntry, DisclosurePackage, PackageStatus
from tests.sharing.test_packages_support import Case, assert_clean, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, setup) -> Case:
    return build_case(world, setup)


def _base(case: Case) -> str:
    return f"/families/{case.s.family.pk}/disclosure-packages"


def _body(case: Case, **overrides) -> dict:
    body = {
        "recipient_organisation_id": str(case.s.school.pk),
        "recipient_contact_id": str(case.s.teacher.pk),
        "purpose": "Attendance support",
        "items": case.items(),
        "people": [str(case.s.parent.pk), str(case.s.child.pk)],
    }
    body.update(overrides)
    return body


def _through_approval(api_as, case: Case) -> str:
    practitioner = api_as(case.world.practitioner)
    created = practitioner.post(_base(case), _body(case))
    assert created.status_code == 201, created.json()
    package_id = created.json()["id"]
    assert practitioner.post(f"{_base(case)}/{package_id}/submit", {}).status_code == 200
    approved = api_as(case.world.manager).post(
        f"{_base(case)}/{package_id}/approve", {"note": "Proportionate."}
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approved_by"] == case.world.manager.display_name
    return package_id


def test_create_list_and_read(api_as, case):
    client = api_as(case.world.practitioner)
    created = client.post(_base(case), _body(case))
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft"
    assert body["scopes"] == ["plan", "assessments", "case_notes"]
    assert body["check"]["verdict"] == "refused"  # no agreement yet
    listed = client.get(_base(case))
    assert [p["id"] for p in listed.json()] == [body["id"]]
    read = client.get(f"{_base(case)}/{body['id']}")
    assert read.status_code == 200 and read.json()["items"] == case.items()
    for response in (created, listed, read):
        assert_clean(response.content.decode(), "API JSON")


def test_invalid_items_are_422_with_their_path(api_as, world, case):
    other, _ = world.open_family(last_name="Ashgrove")
    client = api_as(case.world.practitioner)
    foreign = [*case.items()[:3], {"type": "assessment", "id": str(other.pk)}]
    response = client.post(_base(case), _body(case, items=foreign))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "items", 3]
    duplicate = [*case.items(), case.items()[0]]
    response = client.post(_base(case), _body(case, items=duplicate))
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "items", 4]
    response = client.post(_base(case), _body(case, items=[{"type": "address", "id": "x"}]))
    assert response.status_code == 422
    assert not DisclosurePackage.objects.exists()


def test_outsiders_get_404_and_the_creator_cannot_approve(api_as, case):
    case.agree()
    practitioner = api_as(case.world.practitioner)
    package_id = practitioner.post(_base(case), _body(case)).json()["id"]
    outsider = api_as(case.world.practitioner_south)
    assert outsider.get(f"{_base(case)}/{package_id}").status_code == 404
    assert outsider.post(_base(case), _body(case)).status_code == 404
    practitioner.post(f"{_base(case)}/{package_id}/submit", {})
    response = practitioner.post(f"{_base(case)}/{package_id}/approve", {"note": ""})
    assert response.status_code == 403
    assert (
        api_as(case.world.manager_south)
        .post(f"{_base(case)}/{package_id}/approve", {"note": ""})
        .status_code
        == 404
    )


def test_release_returns_the_passphrase_once_and_the_zip_downloads(api_as, case):
    case.agree()
    package_id = _through_approval(api_as, case)
    practitioner = api_as(case.world.practitioner)
    released = practitioner.post(f"{_base(case)}/{package_id}/release", {})
    assert released.status_code == 200
    assert released["Cache-Control"] == "private, no-store"
    body = released.json()
    passphrase = body["passphrase"]
    assert body["package"]["status"] == "released"
    assert body["download_url"] == f"/api/v1{_base(case)}/{package_id}/download"
    assert_clean(released.content.decode(), "the release JSON")

    read = practitioner.get(f"{_base(case)}/{package_id}")
    assert passphrase not in read.content.decode()
    assert practitioner.post(f"{_base(case)}/{package_id}/release", {}).status_code == 409

    download = practitioner.get(f"{_base(case)}/{package_id}/download")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with pyzipper.AESZipFile(io.BytesIO(download.content)) as archive_file:
        archive_file.setpassword(passphrase.encode())
        assert archive_file.read("disclosure.pdf").startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="download", object_id=package_id).exists()
    assert passphrase not in json.dumps(list(AuditEvent.objects.values()), default=str)
    assert (
        api_as(case.world.practitioner_south)
        .get(f"{_base(case)}/{package_id}/download")
        .status_code
        == 404
    )


def test_a_withdrawn_agreement_makes_release_409_and_nothing_goes(api_as, case):
    agreements = case.agree()
    package_id = _through_approval(api_as, case)
    withdraw_agreement(
        actor=case.world.practitioner,
        agreement=agreements[0],
        withdrawn_on=timezone.localdate(),
        withdrawn_by=case.s.parent.pk,
        note="",
    )
    response = api_as(case.world.practitioner).post(f"{_base(case)}/{package_id}/release", {})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Nothing was released.")
    assert "passphrase" not in response.json()
    assert DisclosurePackage.objects.get(pk=package_id).status == PackageStatus.REFUSED
    assert not DisclosureLogEntry.objects.exists()
    download = api_as(case.world.practitioner).get(f"{_base(case)}/{package_id}/download")
    assert download.status_code == 409


def test_approval_without_agreement_is_409_and_refuses_the_package(api_as, case):
    practitioner = api_as(case.world.practitioner)
    package_id = practitioner.post(_base(case), _body(case)).json()["id"]
    practitioner.post(f"{_base(case)}/{package_id}/submit", {})
    response = api_as(case.world.manager).post(f"{_base(case)}/{package_id}/approve", {})
    assert response.status_code == 409
    assert DisclosurePackage.objects.get(pk=package_id).status == PackageStatus.REFUSED


def test_reject_needs_a_note(api_as, case):
    practitioner = api_as(case.world.practitioner)
    package_id = practitioner.post(_base(case), _body(case)).json()["id"]
    practitioner.post(f"{_base(case)}/{package_id}/submit", {})
    manager = api_as(case.world.manager)
    response = manager.post(f"{_base(case)}/{package_id}/reject", {"note": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "note"]
    response = manager.post(f"{_base(case)}/{package_id}/reject", {"note": "Plan only."})
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_unauthenticated_requests_are_401(anonymous_api, case):
    assert anonymous_api.get(_base(case)).status_code == 401
    assert anonymous_api.post(_base(case), {}).status_code == 401


def test_openapi_documents_every_package_operation(world):
    token = issue_token(actor=None, user=world.practitioner)
    spec = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    paths = {p: m for p, m in spec.json()["paths"].items() if "disclosure-packages" in p}
    operations = [op for methods in paths.values() for op in methods.values()]
    assert len(operations) == 8
    for operation in operations:
        assert "401" in operation["responses"] and "404" in operation["responses"]
        assert operation["summary"] and len(operation["description"]) > 40
    download = paths["/api/v1/families/{family_id}/disclosure-packages/{package_id}/download"]
    assert "application/zip" in download["get"]["responses"]["200"]["content"]
