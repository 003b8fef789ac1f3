"""Restricting one person (issue 6, section 2): the person and every family they belong to
close to everyone not on the person's access list; break-glass opens one family, alerted,
reviewed; lifting reopens. One mechanism with restricted families (same tables, same scope
subquery, same interstitial and review list)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.casework.permissions import can_view_family, visible_families
from earlyhelp.core.errors import Conflict, NotFound
from earlyhelp.people.models import FamilyMembership, FamilyRole, Person
from earlyhelp.people.selectors import RESTRICTED_STUB, SearchCriteria, search_people
from earlyhelp.restricted.models import BreakGlassAccess, Notice, Restriction
from earlyhelp.restricted.permissions import can_break_glass
from earlyhelp.restricted.scope import active_restrictions, restricted_family_ids
from earlyhelp.restricted.selectors import review_list
from earlyhelp.restricted.services import (
    break_glass,
    lift_person_restriction,
    lift_restriction,
    restrict_family,
    restrict_person,
    review_access,
)
from tests.restricted.conftest import GLASS_REASON, REASON, Setup

pytestmark = pytest.mark.django_db

PARENT_EXACT = SearchCriteria(name="Marigold Thistlewood", date_of_birth=date(1988, 7, 2))
CHILD_EXACT = SearchCriteria(name="Zoë Thistlewood", date_of_birth=date(2015, 3, 14))


def _parent(setup: Setup) -> Person:
    return Person.objects.get(memberships__family=setup.family, first_name="Marigold")


def _restrict_parent(setup: Setup, *allowed) -> Person:  # type: ignore[no-untyped-def]
    parent = _parent(setup)
    restrict_person(
        actor=setup.world.manager,
        person=parent,
        reason=REASON,
        allowed=[u.username for u in (allowed or (setup.named,))],
    )
    return parent


def _second_family(setup: Setup, parent: Person):  # type: ignore[no-untyped-def]
    """Another North family the restricted parent also belongs to (e.g. a new partner's)."""
    other, _ = setup.world.open_family(last_name="Wrenfield")
    FamilyMembership.objects.create(family=other, person=parent, role=FamilyRole.PARENT_OR_CARER)
    return other


# --- who may restrict -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_family_managers_and_the_dpo_restrict_a_person(setup, who):
    parent = _parent(setup)
    restriction = restrict_person(
        actor=getattr(setup.world, who), person=parent, reason=REASON, allowed=["nell"]
    )
    assert restriction.person == parent and restriction.family is None
    assert list(restriction.allowed_users.values_list("user__username", flat=True)) == ["nell"]


@pytest.mark.parametrize("who", ["practitioner", "manager_south", "duty", "analyst", "admin"])
def test_nobody_else_may_restrict_a_person(setup, who):
    with pytest.raises(NotFound):
        restrict_person(
            actor=getattr(setup.world, who), person=_parent(setup), reason=REASON, allowed=[]
        )
    assert not Restriction.objects.exists()


def test_a_restriction_is_of_a_family_or_a_person_never_both(setup):
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.create(
            family=setup.family,
            person=_parent(setup),
            reason=REASON,
            set_by=setup.world.dpo,
            set_at=timezone.now(),
        )


# --- what it closes -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["practitioner", "manager"])
def test_colleagues_can_no_longer_open_the_person_or_any_of_their_families(setup, who):
    parent = _restrict_parent(setup)
    other = _second_family(setup, parent)
    user = getattr(setup.world, who)
    for family in (setup.family, other):
        assert not can_view_family(user, family)
        assert not visible_families(user).filter(pk=family.pk).exists()
        assert can_break_glass(user, family)
    # Partial searches show nothing, for the restricted person and their family members.
    for criteria in (
        SearchCriteria(name="Thistlewood"),
        SearchCriteria(name="Marigold"),
        SearchCriteria(name="Wrenfield"),
        SearchCriteria(postcode="AB1 2XY"),
    ):
        assert search_people(user, criteria) == []


def test_named_user_opens_the_person_and_their_families(setup):
    parent = _restrict_parent(setup)
    other = _second_family(setup, parent)
    assert can_view_family(setup.named, setup.family) and can_view_family(setup.named, other)
    assert not can_break_glass(setup.named, setup.family)
    [match] = search_people(setup.named, PARENT_EXACT)
    assert not match.restricted and match.name == "Marigold Thistlewood"


def test_other_families_and_other_teams_are_untouched(setup):
    _restrict_parent(setup)
    unrelated, _ = setup.world.open_family(last_name="Quillfeather")
    assert can_view_family(setup.world.practitioner, unrelated)
    # South never saw the family: it stays invisible, and there is no glass to break.
    assert not can_break_glass(setup.world.practitioner_south, setup.family)
    assert search_people(setup.world.practitioner_south, PARENT_EXACT) == []


def test_home_list_and_caseload_leave_the_family_out(setup, client, api_as):
    api = api_as(setup.world.practitioner)
    assert str(setup.family.pk) in {f["family_id"] for f in api.get("/caseload").json()["families"]}
    _restrict_parent(setup)
    client.force_login(setup.world.practitioner)
    assert setup.family.reference not in client.get(reverse("core:home")).content.decode()
    assert str(setup.family.pk) not in {
        f["family_id"] for f in api.get("/caseload").json()["families"]
    }
    client.force_login(setup.named)
    assert client.get(reverse("casework:family", args=[setup.family.pk])).status_code == 200


def test_home_list_query_count_does_not_change_with_a_person_restriction(setup, client):
    setup.world.open_family(last_name="Wrenfield")
    client.force_login(setup.world.manager)
    client.get(reverse("core:home"))  # warm the session
    with CaptureQueriesContext(connection) as unrestricted:
        client.get(reverse("core:home"))
    _restrict_parent(setup)
    with CaptureQueriesContext(connection) as restricted:
        html = client.get(reverse("core:home")).content.decode()
    assert "Wrenfield" in html and setup.family.reference not in html
    assert len(restricted) == len(unrestricted)


@pytest.mark.parametrize("criteria", [PARENT_EXACT, CHILD_EXACT])
def test_exact_search_shows_a_stub_with_the_family_to_break_into(setup, criteria):
    _restrict_parent(setup)
    [stub] = search_people(setup.world.practitioner, criteria)
    assert stub.restricted and stub.name == RESTRICTED_STUB
    assert stub.family_id is None and stub.year_of_birth is None and stub.current_team is None
    assert stub.break_glass_family_id == setup.family.pk


def test_duty_worker_never_sees_a_restricted_person_even_in_no_family(setup):
    loner = Person.objects.create(
        first_name="Odette", last_name="Brambleton", date_of_birth=date(1979, 1, 5)
    )
    assert [m.name for m in search_people(setup.world.duty, SearchCriteria(name="Brambleton"))]
    restrict_person(actor=setup.world.dpo, person=loner, reason=REASON, allowed=[])
    assert search_people(setup.world.duty, SearchCriteria(name="Brambleton")) == []
    [stub] = search_people(
        setup.world.duty,
        SearchCriteria(name="Odette Brambleton", date_of_birth=date(1979, 1, 5)),
    )
    assert stub.restricted and stub.break_glass_family_id is None
    # Restricting someone in no family closes no family (and no NULL leaks into the subquery).
    assert not Restriction.objects.filter(family__in=restricted_family_ids()).exists()
    assert list(restricted_family_ids()) == []
    # Partners' exclusion reads active_restrictions().values("family_id"): family rows only.
    assert list(active_restrictions().values_list("family_id", flat=True)) == []


def test_search_page_stub_links_to_the_interstitial(setup, client):
    _restrict_parent(setup)
    client.force_login(setup.world.practitioner)
    html = client.post(
        reverse("people:search"),
        {
            "name": "Marigold Thistlewood",
            "date_of_birth-day": "2",
            "date_of_birth-month": "7",
            "date_of_birth-year": "1988",
        },
    ).content.decode()
    assert RESTRICTED_STUB in html
    assert reverse("restricted:break_glass", args=[setup.family.pk]) in html
    assert "Marigold" not in html.split("</form>")[-1]


def test_people_search_api_shows_only_the_stub(setup, api_as):
    _restrict_parent(setup)
    api = api_as(setup.world.practitioner)
    assert api.post("/people/search", dict(q="Thistlewood")).json() == []
    [stub] = api.post(
        "/people/search", dict(q="Marigold Thistlewood", date_of_birth="1988-07-02")
    ).json()
    assert stub["name"] == RESTRICTED_STUB and stub["family_id"] is None
    assert api.get(f"/families/{setup.family.pk}").status_code == 404


# --- break-glass, alerts, review, lift ------------------------------------------------------


def test_family_page_sends_to_the_interstitial(setup, client):
    _restrict_parent(setup)
    client.force_login(setup.world.practitioner)
    response = client.get(reverse("casework:family", args=[setup.family.pk]))
    url = reverse("restricted:break_glass", args=[setup.family.pk])
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "Restricted record" in html and "Thistlewood" not in html


def test_break_glass_opens_that_family_alerts_and_waits_for_review(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    parent = _restrict_parent(setup)
    other = _second_family(setup, parent)
    user = setup.world.practitioner
    with django_capture_on_commit_callbacks(execute=True):
        result = break_glass(actor=user, family=setup.family, reason=GLASS_REASON)
    assert result.alerted == 2
    assert can_view_family(user, setup.family)
    assert not can_view_family(user, other)  # glass is broken into one case file at a time
    # The opened family's other members show again in search; the restricted parent is still
    # a stub, pointing at the family that is still closed.
    [child] = search_people(user, CHILD_EXACT)
    assert not child.restricted and child.family_id == setup.family.pk
    [stub] = search_people(user, PARENT_EXACT)
    assert stub.restricted and stub.break_glass_family_id == other.pk
    # Alerted exactly as for a restricted family: DPO and the team's manager, app and e-mail.
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {"dana", "morgan"}
    assert sorted(m.to[0] for m in mailoutbox) == ["dpo@example.org", "morgan@example.org"]
    for message in mailoutbox:
        assert setup.family.reference in message.subject
        assert "Marigold" not in message.subject + message.body
    event = AuditEvent.objects.get(action=Action.BREAK_GLASS)
    assert event.object_type == "family" and event.object_id == str(setup.family.pk)
    # On the same review list, reviewed the same way.
    assert list(review_list(setup.world.dpo, pending_only=True)) == [result.access]
    review_access(actor=setup.world.manager, access=result.access, outcome="appropriate")
    assert list(review_list(setup.world.dpo, pending_only=True)) == []
    assert BreakGlassAccess.objects.get().reviewed_by == setup.world.manager


def test_break_glass_into_their_only_family_shows_the_person_in_search(setup):
    _restrict_parent(setup)
    setup.break_glass(setup.world.practitioner)
    [match] = search_people(setup.world.practitioner, PARENT_EXACT)
    assert not match.restricted and match.family_id == setup.family.pk
    assert [
        m.name for m in search_people(setup.world.practitioner, SearchCriteria(name="Marigold"))
    ]


def test_expired_break_glass_closes_it_again(setup):
    _restrict_parent(setup)
    access = setup.break_glass(setup.world.practitioner)
    setup.expire(access)
    assert not can_view_family(setup.world.practitioner, setup.family)
    assert search_people(setup.world.practitioner, SearchCriteria(name="Thistlewood")) == []


def test_lifting_reopens_the_person_and_their_families(setup):
    parent = _restrict_parent(setup)
    other = _second_family(setup, parent)
    lift_person_restriction(actor=setup.world.dpo, person=parent)
    assert can_view_family(setup.world.practitioner, setup.family)
    assert can_view_family(setup.world.practitioner, other)
    assert search_people(setup.world.practitioner, SearchCriteria(name="Marigold"))
    with pytest.raises(Conflict):
        lift_person_restriction(actor=setup.world.dpo, person=parent)
    # Restricting again reuses the row.
    _restrict_parent(setup)
    assert Restriction.objects.count() == 1
    assert not can_view_family(setup.world.practitioner, setup.family)


def test_family_and_person_restrictions_are_independent(setup):
    """Named on the person's list but not the family's: the family stays closed; lifting the
    person's restriction leaves the family's in force."""
    restrict_family(actor=setup.world.manager, family=setup.family, reason=REASON, allowed=[])
    parent = _restrict_parent(setup)
    assert not can_view_family(setup.named, setup.family)
    lift_person_restriction(actor=setup.world.manager, person=parent)
    assert not can_view_family(setup.world.practitioner, setup.family)
    lift_restriction(actor=setup.world.manager, family=setup.family)
    assert can_view_family(setup.world.practitioner, setup.family)


def test_restricting_and_lifting_are_audited_without_the_reason(setup):
    parent = _restrict_parent(setup)
    restrict_person(actor=setup.world.manager, person=parent, reason=REASON, allowed=[])
    lift_person_restriction(actor=setup.world.manager, person=parent)
    events = list(AuditEvent.objects.filter(object_type="person_restriction").order_by("seq"))
    assert [e.action for e in events] == [Action.CREATE, Action.UPDATE, Action.DELETE]
    assert {e.object_id for e in events} == {str(parent.pk)}
    assert events[0].detail == {"allowed": 1} and events[1].detail == {"allowed": 0}
    assert "parent" not in str([e.detail for e in events])


# --- pages ----------------------------------------------------------------------------------


def test_family_restriction_page_offers_to_restrict_each_member(setup, client):
    client.force_login(setup.world.manager)
    html = client.get(reverse("restricted:manage", args=[setup.family.pk])).content.decode()
    parent = _parent(setup)
    assert "Restrict one member" in html
    assert reverse("restricted:person", args=[parent.pk]) in html
    assert "Marigold Thistlewood (parent or carer)" in html  # the manager may open the family
    # The DPO does not open case records: members are described, not named.
    client.force_login(setup.world.dpo)
    html = client.get(reverse("restricted:manage", args=[setup.family.pk])).content.decode()
    assert "Parent or carer, born 1988" in html and "Marigold" not in html


def test_person_page_restricts_changes_and_lifts(setup, client):
    parent = _parent(setup)
    url = reverse("restricted:person", args=[parent.pk])
    client.force_login(setup.world.manager)
    page = client.get(url)
    assert page.status_code == 200 and "Restrict this person" in page.content.decode()
    html = client.post(url, {"reason": "staff", "allowed": "nell"}).content.decode()
    assert "at least 20 characters" in html and not Restriction.objects.exists()
    html = client.post(url, {"reason": REASON, "allowed": "nobody-here"}).content.decode()
    assert "There is no active user named" in html
    response = client.post(url, {"reason": REASON, "allowed": "nell"})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "Restricted person" in html and "nell" in html and setup.family.reference in html
    manage = reverse("restricted:manage", args=[setup.family.pk])
    assert "Restricted" in client.get(manage).content.decode()
    assert not can_view_family(setup.world.practitioner, setup.family)
    response = client.post(reverse("restricted:person_lift", args=[parent.pk]))
    assert response.status_code == 302
    assert can_view_family(setup.world.practitioner, setup.family)


@pytest.mark.parametrize("who", ["practitioner", "manager_south", "duty", "partner", "analyst"])
def test_person_pages_are_404_to_everyone_else(setup, client, who):
    parent = _parent(setup)
    client.force_login(getattr(setup.world, who))
    assert client.get(reverse("restricted:person", args=[parent.pk])).status_code == 404
    response = client.post(
        reverse("restricted:person", args=[parent.pk]), {"reason": REASON, "allowed": ""}
    )
    assert response.status_code == 404
    assert client.post(reverse("restricted:person_lift", args=[parent.pk])).status_code == 404
    assert not Restriction.objects.exists()


def test_the_family_page_tells_a_named_user_which_member_is_restricted(setup, client):
    client.force_login(setup.named)
    url = reverse("casework:family", args=[setup.family.pk])
    assert "Restricted member" not in client.get(url).content.decode()
    _restrict_parent(setup)
    page = client.get(url).content.decode()
    assert "Restricted member" in page
    assert "Marigold Thistlewood is restricted" in page
    lift_person_restriction(actor=setup.world.manager, person=_parent(setup))
    assert "Restricted member" not in client.get(url).content.decode()
