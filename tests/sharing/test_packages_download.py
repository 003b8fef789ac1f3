"""Who may download a released disclosure package: the sender, the approver, or the team
working on the open case. Opening the family is not enough: after closure a team manager
who neither sent nor approved the package still sees the family, but not the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.sharing.models import DisclosurePackage
from earlyhelp.sharing.packages import rules, services
from tests.sharing.test_packages_support import Case, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, setup) -> Case:
    return build_case(world, setup)


@pytest.fixture
def released(case: Case) -> DisclosurePackage:
    case.agree()
    package = case.approved()
    outcome = services.release_package(actor=case.world.practitioner, package=package)
    assert outcome.done, outcome.check.reason
    return outcome.package


def _url(name: str, package: DisclosurePackage) -> str:
    return reverse(name, args=[package.family_id, package.pk])


def _api(package: DisclosurePackage) -> str:
    return f"/families/{package.family_id}/disclosure-packages/{package.pk}/download"


def _downloads(package: DisclosurePackage) -> int:
    return AuditEvent.objects.filter(action="download", object_id=str(package.pk)).count()


def test_while_the_case_is_open_the_team_may_download(case, released):
    assert rules.is_downloadable(released)
    # Neither sender nor approver, but a manager of the allocated team.
    assert rules.can_download(case.second_manager, released)
    assert rules.can_download(case.world.practitioner, released)
    assert rules.can_download(case.world.manager, released)
    assert not rules.can_download(case.world.practitioner_south, released)


def test_after_closure_a_manager_who_sees_the_family_cannot_download(login, api_as, case, released):
    case.world.close(case.s.episode)
    released.refresh_from_db()
    outsider = case.second_manager  # still sees the closed family, as its team's manager
    assert not rules.can_download(outsider, released)
    assert rules.can_download(case.world.manager, released)  # the approver still may

    client = login(outsider)
    detail = client.get(_url("packages:detail", released))
    assert detail.status_code == 200  # the family and the package are open to them
    html = detail.content.decode()
    assert "Download the package" not in html
    assert _url("packages:download", released) not in html
    assert client.get(_url("packages:download", released)).status_code == 403
    response = api_as(outsider).get(_api(released))
    assert response.status_code == 403
    assert "application/zip" not in response.get("Content-Type", "")
    assert _downloads(released) == 0

    # The approver downloads it, on the page and through the API.
    client.logout()
    approver = login(case.world.manager)
    assert (
        "Download the package" in approver.get(_url("packages:detail", released)).content.decode()
    )
    assert approver.get(_url("packages:download", released)).status_code == 200
    assert api_as(case.world.manager).get(_api(released)).status_code == 200
    assert _downloads(released) == 2
