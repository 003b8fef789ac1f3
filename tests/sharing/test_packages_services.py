"""Disclosure packages, end to end through the services: building, four eyes, the sharing
check at approval and release, the encrypted file, the log, the purge."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pypdf
import pytest
import pyzipper
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.plans.models import PlanVersion
from earlyhelp.sharing.agreements import withdraw_agreement
from earlyhelp.sharing.decisions import authorise_decision
from earlyhelp.sharing.models import DisclosureLogEntry, DisclosurePackage, PackageStatus
from earlyhelp.sharing.packages import archive, services
from earlyhelp.sharing.packages.render import build_content
from tests.sharing.test_packages_support import (
    ADDRESS_LINE,
    Case,
    assert_clean,
    build_case,
    png_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, setup) -> Case:
    return build_case(world, setup)


def _release(case: Case, package: DisclosurePackage) -> services.Outcome:
    return services.release_package(actor=case.world.practitioner, package=package)


# --- Building a package --------------------------------------------------------------------


def test_a_draft_holds_the_items_and_the_included_people(case):
    package = case.create()
    assert package.status == PackageStatus.DRAFT
    assert package.items == case.items()
    assert set(package.included_people.all()) == {case.s.parent, case.s.child}
    assert services.scopes_of(package) == ["plan", "assessments", "case_notes"]
    event = AuditEvent.objects.filter(object_type="disclosure_package").latest("seq")
    assert event.action == "create" and event.detail["items"] == 4


def test_items_must_be_this_familys(world, case):
    other_family, _ = world.open_family(last_name="Ashgrove")
    other_note = services.Contact.objects.create(
        family=other_family,
        contact_type="phone_call",
        occurred_at=timezone.now(),
        note="Synthetic note of another family.",
        recorded_by=world.practitioner,
        recorded_at=timezone.now(),
    )
    with pytest.raises(InvalidInput) as error:
        case.create(items=[*case.items(), {"type": "contact", "id": str(other_note.pk)}])
    assert error.value.field == "items.4"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("duplicate", "items.3"),
        ("attachment_without_note", "items.2"),
        ("unknown_type", "items.0"),
        ("old_plan_version", "items.0"),
        ("no_items", "items"),
        ("no_people", "people"),
        ("stranger", "people.0"),
        ("no_purpose", "purpose"),
        ("contact_elsewhere", "recipient_contact"),
    ],
)
def test_invalid_packages_are_refused_naming_the_field(world, case, change, field):
    items = case.items()
    overrides: dict = {}
    if change == "duplicate":
        overrides["items"] = [items[0], items[1], items[2], dict(items[1])]
    elif change == "attachment_without_note":
        overrides["items"] = [items[0], items[1], items[3]]
    elif change == "unknown_type":
        overrides["items"] = [{"type": "address", "id": str(case.note.pk)}]
    elif change == "old_plan_version":
        # A newer version makes the one the case holds an earlier version.
        PlanVersion.objects.create(
            plan=case.version.plan, number=case.version.number + 1, created_by=world.practitioner
        )
        overrides["items"] = [case.items()[0]]
    elif change == "no_items":
        overrides["items"] = []
    elif change == "no_people":
        overrides["people"] = []
    elif change == "stranger":
        other, _ = world.open_family(last_name="Birchwood")
        overrides["people"] = [other.members.first().pk]
    elif change == "no_purpose":
        overrides["purpose"] = "   "
    elif change == "contact_elsewhere":
        overrides["recipient_contact"] = case.s.nurse.pk
    with pytest.raises(InvalidInput) as error:
        case.create(**overrides)
    assert error.value.field == field
    assert not DisclosurePackage.objects.exists()


def test_only_the_team_can_prepare_a_package(world, case):
    for outsider in (world.practitioner_south, world.manager_south, world.duty, world.dpo):
        with pytest.raises(PermissionDenied):
            case.create(actor=outsider)


# --- Redacted content ------------------------------------------------------------------------


def test_content_names_included_people_and_shows_third_parties_by_role(case):
    content = build_content(case.create())
    text = json.dumps(
        [
            [
                s.title,
                [(f.label, f.value) for f in s.fields],
                [(b.heading, [(f.label, f.value) for f in b.fields]) for b in s.blocks],
            ]
            for s in content.sections
        ],
        ensure_ascii=False,
    )
    assert "[other household member]" in text
    assert "Marigold" in text and "Zoë" in text
    assert "Ms Hollis Partridge" in text  # professionals keep their names
    assert "[address withheld]" in text
    assert_clean(text, "content")
    assert [f.archive_name for f in content.files] == ["attachments/attachment-01.png"]


# --- Four eyes -----------------------------------------------------------------------------------


def test_the_creator_cannot_approve_their_own_package(world, case):
    case.agree()
    package = case.create(actor=world.manager)
    services.submit_package(actor=world.manager, package=package)
    with pytest.raises(PermissionDenied):
        services.approve_package(actor=world.manager, package=package)
    outcome = services.approve_package(actor=case.second_manager, package=package)
    assert outcome.done and outcome.package.approved_by == case.second_manager


@pytest.mark.parametrize("who", ["practitioner", "practitioner_south", "manager_south", "dpo"])
def test_only_a_manager_of_the_team_approves(world, case, who):
    case.agree()
    package = case.create()
    services.submit_package(actor=world.practitioner, package=package)
    with pytest.raises(PermissionDenied):
        services.approve_package(actor=getattr(world, who), package=package)
    with pytest.raises(PermissionDenied):
        services.reject_package(actor=getattr(world, who), package=package, note="No")
    package.refresh_from_db()
    assert package.status == PackageStatus.AWAITING_APPROVAL


def test_only_the_creator_submits_and_releases(world, case):
    case.agree()
    package = case.create()
    with pytest.raises(PermissionDenied):
        services.submit_package(actor=world.manager, package=package)
    services.submit_package(actor=world.practitioner, package=package)
    services.approve_package(actor=world.manager, package=package)
    with pytest.raises(PermissionDenied):
        services.release_package(actor=world.manager, package=package)


def test_nothing_is_released_before_approval(world, case):
    case.agree()
    package = case.create()
    with pytest.raises(Conflict):
        _release(case, package)
    services.submit_package(actor=world.practitioner, package=package)
    with pytest.raises(Conflict):
        _release(case, package)
    assert not DisclosureLogEntry.objects.exists()


def test_a_rejection_needs_a_reason_and_ends_the_package(world, case):
    package = case.create()
    services.submit_package(actor=world.practitioner, package=package)
    with pytest.raises(InvalidInput):
        services.reject_package(actor=world.manager, package=package, note=" ")
    rejected = services.reject_package(
        actor=world.manager, package=package, note="Too much: send the plan only."
    )
    assert rejected.status == PackageStatus.REJECTED
    with pytest.raises(Conflict):
        services.approve_package(actor=world.manager, package=package)


# --- The sharing check ---------------------------------------------------------------------


def test_without_agreement_the_package_is_refused_at_approval(world, case):
    package = case.create()
    services.submit_package(actor=world.practitioner, package=package)
    outcome = services.approve_package(actor=world.manager, package=package)
    assert not outcome.done
    assert outcome.package.status == PackageStatus.REFUSED
    assert "agreement" in outcome.check.reason
    with pytest.raises(Conflict):
        _release(case, package)
    assert not DisclosureLogEntry.objects.exists()


def test_an_agreement_must_cover_every_scope(world, case):
    case.agree(scopes=("plan", "assessments"))  # not case notes
    package = case.create()
    services.submit_package(actor=world.practitioner, package=package)
    assert not services.approve_package(actor=world.manager, package=package).done
    plan_only = case.create(items=case.items()[:1])
    services.submit_package(actor=world.practitioner, package=plan_only)
    assert services.approve_package(actor=world.manager, package=plan_only).done


def test_an_agreement_withdrawn_after_approval_stops_the_release(world, case):
    agreements = case.agree()
    package = case.approved()
    withdraw_agreement(
        actor=world.practitioner,
        agreement=agreements[1],
        withdrawn_on=timezone.localdate(),
        withdrawn_by=case.s.parent.pk,
        note="",
    )
    outcome = _release(case, package)
    assert not outcome.done and outcome.passphrase == ""
    package.refresh_from_db()
    assert package.status == PackageStatus.REFUSED
    assert package.stored_file == "" and package.released_at is None
    assert not DisclosureLogEntry.objects.exists()
    assert not list(archive.storage_dir().iterdir())
    check = AuditEvent.objects.filter(object_type="sharing_check").latest("seq")
    assert check.detail["verdict"] == "refused"


def test_a_gateway_decision_waiting_for_authorisation_is_not_released(world, case):
    decision = case.gateway_decision()
    package = case.create(decision=decision.pk)
    services.submit_package(actor=world.practitioner, package=package)
    with pytest.raises(Conflict, match="authorisation"):
        services.approve_package(actor=world.manager, package=package)
    package.refresh_from_db()
    assert package.status == PackageStatus.AWAITING_APPROVAL

    authorise_decision(actor=world.manager, decision=decision, authorise=True)
    assert services.approve_package(actor=world.manager, package=package).done
    outcome = _release(case, package)
    assert outcome.done
    decision.refresh_from_db()
    assert decision.released_at is not None
    entries = DisclosureLogEntry.objects.filter(package=package)
    assert {e.decision_id for e in entries} == {decision.pk}


def test_a_decision_for_another_recipient_cannot_be_used(case):
    decision = case.gateway_decision()
    with pytest.raises(InvalidInput) as error:
        case.create(
            decision=decision.pk,
            recipient_organisation=case.s.nurse.organisation_id,
            recipient_contact=None,
        )
    assert error.value.field == "decision"


# --- Release -----------------------------------------------------------------------------------


def _zip(package: DisclosurePackage) -> pyzipper.AESZipFile:
    return pyzipper.AESZipFile(io.BytesIO(archive.read(package.stored_file)))


def test_release_builds_an_encrypted_zip_that_only_the_passphrase_opens(world, case):
    case.agree()
    package = case.approved()
    outcome = _release(case, package)
    assert outcome.done and len(outcome.passphrase) == 29
    package.refresh_from_db()
    assert package.status == PackageStatus.RELEASED
    expected = timezone.now() + timedelta(days=14)
    assert abs((package.expires_at - expected).total_seconds()) < 60

    with _zip(package) as archive_file:
        names = archive_file.namelist()
        assert names == ["disclosure.pdf", "attachments/attachment-01.png"]
        for info in archive_file.infolist():
            assert info.flag_bits & 0x1  # encrypted
        with pytest.raises(RuntimeError):
            archive_file.read("disclosure.pdf")
        archive_file.setpassword(b"WRONG-PASS-PHRA-SEXX-XXXX-XXXX")
        with pytest.raises(RuntimeError):
            archive_file.read("disclosure.pdf")
        archive_file.setpassword(outcome.passphrase.encode())
        pdf = archive_file.read("disclosure.pdf")
        photo = archive_file.read("attachments/attachment-01.png")
    assert photo == png_bytes()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Brookfield Primary School" in text
    assert "Marigold" in text and "[other household member]" in text
    assert_clean(text, "the PDF")
    for name in names:
        assert_clean(name, "zip member names")
    assert_clean(photo.decode("latin-1"), "the attachment")


def test_every_included_person_gets_a_disclosure_log_line(world, case):
    agreements = case.agree()
    package = case.approved()
    _release(case, package)
    entries = list(DisclosureLogEntry.objects.filter(package=package))
    assert {e.person_id for e in entries} == {case.s.parent.pk, case.s.child.pk}
    for entry in entries:
        assert entry.channel == "package"
        assert entry.recipient_organisation == case.s.school
        assert entry.recipient_contact == case.s.teacher
        assert entry.disclosed_by == world.practitioner
        assert entry.approved_by == world.manager
        assert entry.agreement in agreements
        assert sorted(entry.scopes) == ["assessments", "case_notes", "plan"]
        assert entry.what.startswith("Disclosure package: family plan (version")
    assert not DisclosureLogEntry.objects.filter(person=case.s.excluded).exists()
    share = AuditEvent.objects.filter(object_type="disclosure_package", action="share")
    assert share.count() == 1


def test_the_passphrase_is_stored_nowhere(world, case):
    case.agree()
    package = case.approved()
    passphrase = _release(case, package).passphrase
    compact = passphrase.replace("-", "")
    row = DisclosurePackage.objects.filter(pk=package.pk).values().get()
    row_text = json.dumps(row, default=str)
    audit = json.dumps(list(AuditEvent.objects.values()), default=str)
    log = json.dumps(list(DisclosureLogEntry.objects.values()), default=str)
    for text in (row_text, audit, log):
        assert passphrase not in text and compact not in text


# --- Expiry ------------------------------------------------------------------------------


def test_purge_deletes_expired_files_once(world, case, capsys):
    case.agree()
    package = case.approved()
    _release(case, package)
    package.refresh_from_db()
    path = archive.path_of(package.stored_file)
    assert path.exists()

    assert services.purge_expired_packages().expired == 0  # not yet due
    DisclosurePackage.objects.filter(pk=package.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("purge_disclosure_packages")
    assert "Expired 1 disclosure package(s); deleted 1 file(s)." in capsys.readouterr().out
    package.refresh_from_db()
    assert not path.exists()
    assert package.status == PackageStatus.EXPIRED and package.file_deleted_at is not None
    again = services.purge_expired_packages()
    assert (again.expired, again.files_deleted) == (0, 0)
    assert DisclosureLogEntry.objects.filter(package=package).count() == 2  # the log stays


def test_the_expiry_period_is_configurable(settings, world, case):
    settings.EARLYHELP_DISCLOSURE_PACKAGE_DAYS = 3
    case.agree()
    package = case.approved()
    _release(case, package)
    package.refresh_from_db()
    assert (package.expires_at - package.released_at) == timedelta(days=3)


def test_address_never_printed_even_when_not_confidential(case):
    # An address is never part of a package: a non-confidential one is simply not read.
    content = build_content(case.create())
    assert ADDRESS_LINE not in json.dumps(str(content))
