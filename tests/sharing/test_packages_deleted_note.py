"""A deleted case note is a tombstone: it can never be chosen for a disclosure package, through
the services, the API or the page (where it is not offered at all)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.casework.contacts.services import delete_contact
from earlyhelp.core.errors import InvalidInput
from earlyhelp.sharing.models import DisclosurePackage
from tests.casework.contacts.conftest import record
from tests.sharing.test_packages_support import Case, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, setup) -> Case:
    built = build_case(world, setup)
    delete_contact(actor=world.manager, contact=built.note, reason="Recorded on the wrong family.")
    built.note.refresh_from_db()
    assert built.note.is_deleted
    return built


def _items_with_the_deleted_note(case: Case) -> list[dict[str, str]]:
    return case.items(attachment=False)  # its attachment went with the note


def test_the_service_refuses_a_deleted_note_naming_the_item(case):
    with pytest.raises(InvalidInput) as error:
        case.create(items=_items_with_the_deleted_note(case))
    assert error.value.field == "items.2"
    assert "case notes" in error.value.message
    assert not DisclosurePackage.objects.exists()


def test_the_api_answers_422_for_a_deleted_note(api_as, case):
    response = api_as(case.world.practitioner).post(
        f"/families/{case.s.family.pk}/disclosure-packages",
        {
            "recipient_organisation_id": str(case.s.school.pk),
            "purpose": "Attendance support",
            "items": _items_with_the_deleted_note(case),
            "people": [str(case.s.parent.pk), str(case.s.child.pk)],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "items", 2]
    assert not DisclosurePackage.objects.exists()


def _page_form(case: Case, **items: list[str]) -> dict[str, object]:
    return {
        "recipient_organisation": str(case.s.school.pk),
        "recipient_contact": "",
        "purpose": "Attendance support",
        "items_plan_version": [f"plan_version:{case.version.pk}"],
        "people": [str(case.s.parent.pk)],
        "decision": "",
        **items,
    }


def test_the_page_does_not_offer_it_and_refuses_it_if_posted(login, case):
    # Another note is still there, so the page offers case notes, but not the deleted one.
    other = record(case.world.practitioner, case.s.family)
    client = login(case.world.practitioner)
    url = reverse("packages:create", args=[case.s.family.pk])
    form = client.get(url).content.decode()
    assert f"contact:{other.pk}" in form
    assert f"contact:{case.note.pk}" not in form
    # Posted anyway (a page opened before the note was deleted): refused, nothing lost.
    response = client.post(url, _page_form(case, items_contact=[f"contact:{case.note.pk}"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Select a valid choice" in html
    assert "Attendance support" in html
    assert not DisclosurePackage.objects.exists()


def test_a_deleted_only_note_posted_from_an_old_page_is_not_dropped_silently(login, case):
    # The family's only note is deleted, so the page has no case notes question at all; a
    # choice of it posted from a page opened earlier must not vanish into a smaller package.
    client = login(case.world.practitioner)
    url = reverse("packages:create", args=[case.s.family.pk])
    response = client.post(url, _page_form(case, items_contact=[f"contact:{case.note.pk}"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "can no longer be shared" in html
    assert "Attendance support" in html
    assert not DisclosurePackage.objects.exists()
