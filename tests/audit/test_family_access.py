"""Who has accessed this family: team managers and the DPO only; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from earlyhelp.accounts.models import Role, User
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.selectors import family_access_log
from earlyhelp.audit.services import record_event
from earlyhelp.casework.selectors import family_record
from earlyhelp.core.errors import NotFound
from earlyhelp.people.models import Family
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
NOT_REVIEWABLE = "No family with that reference that you can review"


def access_url(family: Family) -> str:
    return reverse("audit:family_access", kwargs={"family_id": family.pk})


def test_manager_sees_who_viewed_the_family_and_its_members(world: World, login: Login) -> None:
    family, episode = world.open_family()
    family_record(world.practitioner, family.pk)  # the practitioner opens the record
    person_id = family.memberships.get(role="child").person_id
    record_event(
        actor=world.practitioner, action=Action.VIEW, object_type="person", object_id=person_id
    )
    record_event(
        actor=world.dpo,
        action=Action.EXPORT,
        object_type="episode",
        object_id=episode.pk,
        purpose="subject_access",
    )
    # Another family's events stay out of this family's log.
    other, _ = world.open_family(team=world.south)
    record_event(
        actor=world.manager_south, action=Action.SHARE, object_type="family", object_id=other.pk
    )

    response = login(world.manager).get(access_url(family))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Who has accessed this family" in page
    assert family.reference in page
    assert "Pat North (pat)" in page  # display name and username
    assert "Viewed" in page and "Family member" in page and "Family record" in page
    assert "Exported" in page and "subject_access" in page
    assert "Shared" not in page


def test_viewing_the_access_log_is_itself_audited(world: World, login: Login) -> None:
    family, _ = world.open_family()
    login(world.manager).get(access_url(family))
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.object_type, event.object_id, event.actor_id) == (
        Action.VIEW,
        "access_log",
        str(family.pk),
        world.manager.pk,
    )


@pytest.mark.parametrize("who", ["practitioner", "manager_south", "duty", "admin", "analyst"])
def test_others_get_404(world: World, login: Login, who: str) -> None:
    family, _ = world.open_family()
    before = AuditEvent.objects.filter(object_type="access_log").count()
    assert login(getattr(world, who)).get(access_url(family)).status_code == 404
    assert AuditEvent.objects.filter(object_type="access_log").count() == before


def test_manager_keeps_access_after_the_episode_closes(world: World, login: Login) -> None:
    family, _ = world.closed_family()
    assert login(world.manager).get(access_url(family)).status_code == 200


def test_dpo_sees_any_family(world: World, login: Login) -> None:
    family, _ = world.open_family(team=world.south)
    assert login(world.dpo).get(access_url(family)).status_code == 200


def test_selector_refuses_with_not_found(world: World) -> None:
    family, _ = world.open_family()
    with pytest.raises(NotFound):
        family_access_log(world.practitioner, family.pk)
    with pytest.raises(NotFound):
        family_access_log(world.dpo, "not-a-uuid")


def test_log_is_paginated_fifty_per_page(world: World, login: Login) -> None:
    family, _ = world.open_family()
    for _ in range(60):
        record_event(actor=world.dpo, action=Action.VIEW, object_type="family", object_id=family.pk)
    total = family_access_log(world.dpo, family.pk).page.paginator.count
    client = login(world.manager)

    first = client.get(access_url(family)).content.decode()
    last = client.get(access_url(family) + "?page=2").content.decode()

    assert first.count("govuk-table__row") - 1 == 50  # minus the header row
    assert last.count("govuk-table__row") - 1 == total - 50
    assert "Page 2 of 2" in last


def _record_views(family: Family, actors: list[User], count: int) -> None:
    for n in range(count):
        record_event(
            actor=actors[n % len(actors)],
            action=Action.VIEW,
            object_type="family",
            object_id=family.pk,
        )


def test_query_count_does_not_grow_with_events(
    world: World, login: Login, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    family, _ = world.open_family()
    actors = [make_user(Role.PRACTITIONER, world.north) for _ in range(10)]
    client = login(world.manager)
    url = access_url(family)

    _record_views(family, actors, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _record_views(family, actors, 27)  # 30 events now, from ten different people
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert all(f"({actor.username})" in response.content.decode() for actor in actors)


def test_lookup_by_reference_redirects_the_dpo(world: World, login: Login) -> None:
    family, _ = world.open_family()
    client = login(world.dpo)
    url = reverse("audit:access_lookup")
    assert client.get(url).status_code == 200

    response = client.post(url, {"reference": family.reference})
    assert response.status_code == 302
    assert response["Location"] == access_url(family)

    # Read out over the phone: case, spaces and the hyphen do not matter.
    typed = family.reference.replace("-", " ").lower()
    assert client.post(url, {"reference": typed})["Location"] == access_url(family)


def test_lookup_gives_one_answer_for_missing_and_out_of_reach(world: World, login: Login) -> None:
    north_family, _ = world.open_family()
    client = login(world.manager_south)
    url = reverse("audit:access_lookup")
    missing = "EH-222222" if north_family.reference != "EH-222222" else "EH-333333"

    for reference in (missing, north_family.reference):
        response = client.post(url, {"reference": reference})
        assert response.status_code == 200
        page = response.content.decode()
        assert NOT_REVIEWABLE in page
        assert str(north_family.pk) not in page

    lookups = AuditEvent.objects.filter(object_type="access_log", action=Action.SEARCH)
    assert [e.detail["count"] for e in lookups] == [0, 0]
    assert all(north_family.reference not in str(e.detail) for e in lookups)


def test_lookup_rejects_something_that_is_not_a_reference(world: World, login: Login) -> None:
    response = login(world.dpo).post(reverse("audit:access_lookup"), {"reference": "Quillfeather"})
    assert response.status_code == 200
    assert "Enter a family reference like EH-7K2Q9" in response.content.decode()


def test_lookup_page_is_for_reviewers_only(world: World, login: Login) -> None:
    assert login(world.practitioner).get(reverse("audit:access_lookup")).status_code == 403
