"""Path traversal in the file downloads: case note and referral attachments, signed consent
forms and disclosure packages.

Files are stored under random 32-hex names in the private files directory, and the names a
user uploads are kept only as data. Crafted ids in the download URLs find no route (404); a
stored name that is anything but 32 hex digits -- were the database ever tampered with -- is
refused by ``path_of`` before any file is opened; and ``path_of`` is proved on arbitrary text
with Hypothesis.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.accounts.services import issue_token
from earlyhelp.casework.contacts.services import ContactInput, record_contact
from earlyhelp.casework.models import ContactAttachment
from earlyhelp.core import files
from earlyhelp.referrals.models import ReferralAttachment
from earlyhelp.sharing.agreements import AgreementInput, record_agreement
from earlyhelp.sharing.models import Agreement, DisclosurePackage
from earlyhelp.sharing.packages import archive
from earlyhelp.sharing.packages.services import release_package
from tests.factories import PASSWORD
from tests.security.world import Record, build_record
from tests.sharing.test_packages_support import png_bytes

CRAFTED = [
    "../../etc/passwd",
    "../../../../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/etc/passwd",
    "%252e%252e%252fetc%252fpasswd",
    "..%5c..%5cetc%5cpasswd",
    "..\\..\\etc\\passwd",
    "....//....//etc/passwd",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "etc/passwd%00",
    "C:\\Windows\\win.ini",
    "00000000000000000000000000000000",
]
TAMPERED = ["../../../../../../etc/passwd", "/etc/passwd", "..", "/", "a" * 32]
HEX32 = re.compile(r"[0-9a-f]{32}")


def _signed_in(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _not_served(response: Any, what: str) -> None:
    body = _body(response)
    assert response.status_code != 200, what
    assert b"root:" not in body and b"[fonts]" not in body, what


@pytest.fixture
def record(db: None) -> Record:
    return build_record()


def test_crafted_ids_in_download_urls_find_nothing(record: Record) -> None:
    ids = record.ids
    family = f"/families/{ids['family_id']}"
    pat, duty = _signed_in(record.world.practitioner), _signed_in(record.world.duty)
    pages = [
        (pat, f"{family}/contacts/{ids['contact_id']}/attachments/", "{x}/"),
        (pat, f"{family}/contacts/", "{x}/attachments/{x}/"),
        (duty, f"/referrals/{ids['referral_id']}/attachments/", "{x}/"),
        (duty, "/referrals/", "{x}/attachments/{x}/"),
        (pat, f"{family}/agreements/", "{x}/signed-form"),
        (pat, f"{family}/disclosure-packages/", "{x}/package.zip"),
        (pat, "/families/", "{x}/contacts/"),
    ]
    headers = {"Authorization": f"Bearer {issue_token(actor=None, user=record.world.practitioner)}"}
    api = Client(raise_request_exception=False)
    failures = []
    for crafted in CRAFTED:
        for client, prefix, tail in pages:
            path = prefix + tail.format(x=crafted)
            response = client.get(path)
            if response.status_code != 404 or b"root:" in _body(response):
                failures.append(f"{path}: {response.status_code}")
        for path in (
            f"/api/v1{family}/disclosure-packages/{crafted}/download",
            f"/api/v1/families/{crafted}/disclosure-packages/{ids['package_id']}/download",
        ):
            response = api.get(path, headers=headers)
            if response.status_code not in (404, 422) or b"root:" in _body(response):
                failures.append(f"{path}: {response.status_code}")
    # A real attachment under an id with a traversal appended is no route either.
    real = f"{family}/contacts/{ids['contact_id']}/attachments/{ids['contact_attachment_id']}/"
    assert pat.get(real).status_code == 200
    for suffix in ("../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%00"):
        response = pat.get(real + suffix)
        if response.status_code != 404:
            failures.append(f"{real}{suffix}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_uploaded_file_names_are_only_data(record: Record, tmp_path: Path) -> None:
    """Names with paths are stored as given but never used as paths: the file gets a random
    hex name in the private directory and the download names only its last part."""
    world, s = record.world, record.case.s
    pat = world.practitioner
    names = ["../../../etc/passwd", "/etc/cron.d/evil", "..\\..\\boot.ini", "a/../../b.png"]
    note = record_contact(
        actor=pat,
        family=s.family,
        data=ContactInput(
            contact_type="home_visit",
            occurred_at=timezone.now() - timedelta(hours=1),
            note="Photos of the routine chart.",
            subjects=[s.parent.pk],
        ),
        attachments=[io.BytesIO(png_bytes()) for _ in names],
        attachment_names=names,
    )
    agreement = record_agreement(
        actor=pat,
        family=s.family,
        data=AgreementInput(
            person=s.parent.pk,
            given_by=s.parent.pk,
            recipient_organisation=s.school.pk,
            scopes=["plan"],
            purpose="Attendance support",
            method="signed_form",
            given_on=timezone.localdate(),
        ),
        signed_form=io.BytesIO(png_bytes()),
        signed_form_name="../../../../etc/shadow",
    )
    storage = files.storage_dir()
    stored = list(note.attachments.all())
    assert sorted(a.original_name for a in stored) == sorted(names)
    for name in [a.stored_name for a in stored] + [agreement.signed_form]:
        assert HEX32.fullmatch(name), name
        assert (storage / name).read_bytes() == png_bytes()
    assert not Path("/etc/cron.d/evil").exists()
    client = _signed_in(pat)
    family = f"/families/{s.family.pk}"
    downloads = [f"{family}/contacts/{note.pk}/attachments/{a.pk}/" for a in stored]
    downloads.append(f"{family}/agreements/{agreement.pk}/signed-form")
    for path in downloads:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _body(response) == png_bytes()
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        # Only the last part of a "/" path is offered as the name (browsers also replace
        # "\\" in a suggested name, so a Windows-style path is inert there).
        assert "/" not in disposition, disposition


def test_a_tampered_stored_name_is_never_opened(record: Record) -> None:
    """Were a stored name ever changed in the database, the download refuses it before any
    file is opened (a server error, never the file)."""
    world, ids = record.world, record.ids
    pat, duty = _signed_in(world.practitioner), _signed_in(world.duty)
    family = f"/families/{ids['family_id']}"
    package = DisclosurePackage.objects.get(pk=ids["package_id"])
    outcome = release_package(actor=world.practitioner, package=package)
    assert outcome.done, outcome.check.reason
    agreement = Agreement.objects.get(pk=ids["agreement_id"])
    agreement.signed_form = files.store(io.BytesIO(png_bytes())).stored_name
    agreement.signed_form_type, agreement.signed_form_name = "image/png", "form.png"
    agreement.method = "signed_form"
    agreement.save()
    downloads = [
        (
            pat,
            f"{family}/contacts/{ids['contact_id']}/attachments/{ids['contact_attachment_id']}/",
            ContactAttachment.objects.filter(pk=ids["contact_attachment_id"]),
            "stored_name",
        ),
        (
            duty,
            f"/referrals/{ids['referral_id']}/attachments/{ids['referral_attachment_id']}/",
            ReferralAttachment.objects.filter(pk=ids["referral_attachment_id"]),
            "stored_name",
        ),
        (
            pat,
            f"{family}/agreements/{ids['agreement_id']}/signed-form",
            Agreement.objects.filter(pk=ids["agreement_id"]),
            "signed_form",
        ),
        (
            pat,
            f"{family}/disclosure-packages/{ids['package_id']}/package.zip",
            DisclosurePackage.objects.filter(pk=ids["package_id"]),
            "stored_file",
        ),
    ]
    for client, path, rows, field in downloads:
        assert client.get(path).status_code == 200, path  # the genuine file is served
        for tampered in TAMPERED:
            rows.update(**{field: tampered})
            _not_served(client.get(path), f"{path} with {tampered!r}")


TRAVERSALS = st.sampled_from(
    [
        "../" * 3 + "etc/passwd",
        "/etc/passwd",
        "..",
        "." * 32,
        "/" * 32,
        "0" * 31 + "/",
        "0" * 31 + "\n",
        "0" * 31 + "\x00",
        "0" * 32 + "/",
        "0" * 16 + "../" + "0" * 13,
        "A" * 32,
        "\u0660" * 32,  # Arabic-Indic zeros: digits to str.isdigit, not hex
    ]
)
NAMES = st.one_of(
    st.text(),
    st.text(alphabet="0123456789abcdefABCDEF./\\%", min_size=30, max_size=34),
    st.from_regex(r"[0-9a-f]{32}", fullmatch=True),
    TRAVERSALS,
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES)
def test_path_of_accepts_exactly_32_lower_hex_digits(name: str) -> None:
    for module, directory in ((files, files.storage_dir()), (archive, archive.storage_dir())):
        if HEX32.fullmatch(name):
            path = module.path_of(name)
            assert path.parent == directory
            assert path.name == name
            assert path.resolve().parent == directory.resolve()
        else:
            with pytest.raises(ValueError):
                module.path_of(name)
