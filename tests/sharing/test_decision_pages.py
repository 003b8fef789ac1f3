"""Sharing decision pages over HTTP: record with every field, gateway required without
agreement, four-eyes authorisation by the team's manager, overdue emergency releases flagged,
and the team dashboard and overdue list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.sharing.decisions import DecisionInput, record_decision
from earlyhelp.sharing.models import AuthorisationStatus, SharingDecision
from tests.factories import agree_to_share

pytestmark = pytest.mark.django_db


def _date(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def record_gateway_decision(world, setup, *, actor=None, emergency=False) -> SharingDecision:
    """A decision to share with the school without agreement, under the safeguarding gateway."""
    return record_decision(
        actor=actor or world.practitioner,
        family=setup.family,
        data=DecisionInput(
            outcome="share",
            decided_on=timezone.localdate(),
            people=[setup.child.pk],
            recipient_organisation=setup.school.pk,
            recipient_contact=setup.teacher.pk,
            purpose="The designated safeguarding lead needs the plan.",
            scopes=["plan"],
            gateway="safeguarding",
            consent_status="not_sought",
            consent_not_sought_reason="Asking would increase the risk to the child.",
            family_told=False,
            family_not_told_reason="Telling them now would increase the risk.",
            necessity="Only the plan; nothing about the household.",
            items_shared="Family plan version 1",
            transfer_method="encrypted_file",
            emergency=emergency,
        ),
    )


def make_overdue(decision: SharingDecision) -> None:
    SharingDecision.objects.filter(pk=decision.pk).update(
        released_at=timezone.now() - timedelta(hours=30),
        authorisation_due_at=timezone.now() - timedelta(hours=6),
    )


def _form(setup, **overrides) -> dict:
    data = {
        "outcome": "share",
        **_date("decided_on", timezone.localdate()),
        "people": [str(setup.child.pk)],
        "recipient_organisation": str(setup.school.pk),
        "recipient_contact": str(setup.teacher.pk),
        "purpose": "Safeguarding lead at the school needs the plan.",
        "scopes": ["plan"],
        "consent_status": "refused",
        "gateway": "safeguarding",
        "family_told": "yes",
        "necessity": "Risk of significant harm; only the plan goes.",
        "items_shared": "Family plan version 2",
        "identities_protected": "Household members other than the child removed.",
        "onward_restrictions": "Not to be passed to anyone outside the school.",
        "transfer_method": "encrypted_file",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_has_every_field_and_explains_emergencies(world, setup, login):
    html = (
        login(world.practitioner)
        .get(reverse("sharing:decision_new", args=[setup.family.pk]))
        .content.decode()
    )
    for label in (
        "Decision",
        "Date of the decision",
        "Whose information is it about?",
        "Recipient organisation",
        "Recipient person",
        "Purpose",
        "What kinds of information?",
        "Did the family agree?",
        "If agreement was not sought, why not?",
        "Gateway for sharing without agreement",
        "Has the family been told about the sharing?",
        "If not, why not?",
        "Why is this necessary and proportionate?",
        "Exactly what is shared",
        "Identities protected",
        "Restrictions on onward sharing",
        "How is it sent?",
        "Emergency: release now, before a manager has authorised it",
    ):
        assert label in html, label
    assert "a team manager must authorise it within 24 hours" in html
    assert "Safeguarding: risk of significant harm" in html
    assert "No agreement to share stands for this family" in html


def test_sharing_without_agreement_needs_a_gateway_and_keeps_the_input(world, setup, login):
    client = login(world.practitioner)
    response = client.post(
        reverse("sharing:decision_new", args=[setup.family.pk]), _form(setup, gateway="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "information can only be shared through a gateway" in html
    assert 'href="#id_gateway"' in html
    assert "Risk of significant harm; only the plan goes." in html
    assert "Not to be passed to anyone outside the school." in html
    assert not SharingDecision.objects.exists()


def test_an_invalid_person_is_shown_on_the_people_field(world, setup, login):
    stranger_family, _ = world.open_family(last_name="Ashgrove")
    stranger = stranger_family.members.first()
    response = login(world.practitioner).post(
        reverse("sharing:decision_new", args=[setup.family.pk]),
        _form(setup, people=[str(stranger.pk)]),
    )
    assert 'href="#id_people"' in response.content.decode()
    assert not SharingDecision.objects.exists()


def test_recording_a_gateway_decision_waits_for_a_manager(world, setup, login):
    client = login(world.practitioner)
    response = client.post(reverse("sharing:decision_new", args=[setup.family.pk]), _form(setup))
    decision = SharingDecision.objects.get()
    assert response["Location"] == reverse("sharing:decision", args=[setup.family.pk, decision.pk])
    assert decision.gateway == "safeguarding" and decision.consent_status == "refused"
    assert decision.authorisation == AuthorisationStatus.PENDING
    assert decision.family_told is True
    assert decision.onward_restrictions == "Not to be passed to anyone outside the school."
    assert list(decision.people.all()) == [setup.child]

    html = client.get(response["Location"]).content.decode()
    assert "Waiting for a team manager" in html
    assert "Nothing can be released under this decision until a team manager authorises it" in html
    assert "Ms Hollis Partridge" in html and "Household members other than the child" in html
    assert "Record your decision" not in html  # the decider does not authorise their own


def test_a_decision_with_agreement_needs_no_authorisation(world, setup, login):
    agreement = agree_to_share(
        world.practitioner,
        setup.family,
        setup.child,
        organisation=setup.school,
        given_by=setup.parent,
    )
    client = login(world.practitioner)
    response = client.post(
        reverse("sharing:decision_new", args=[setup.family.pk]),
        _form(setup, consent_status="given", gateway="", agreements=[str(agreement.pk)]),
    )
    decision = SharingDecision.objects.get()
    assert response.status_code == 302
    assert decision.authorisation == AuthorisationStatus.NOT_REQUIRED
    assert list(decision.agreements.all()) == [agreement]
    html = client.get(response["Location"]).content.decode()
    assert "Not required (shared with agreement)" in html
    manager_view = login(world.manager).get(response["Location"]).content.decode()
    assert "Record your decision" not in manager_view


def test_the_teams_manager_authorises_with_a_reason_to_refuse(world, setup, login):
    decision = record_gateway_decision(world, setup)
    client = login(world.manager)
    detail = reverse("sharing:decision", args=[setup.family.pk, decision.pk])
    authorise = reverse("sharing:authorise", args=[setup.family.pk, decision.pk])
    assert authorise in client.get(detail).content.decode()

    refused = client.post(authorise, {"decision": "refuse", "note": ""})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Say why you are refusing to authorise this" in html and "There is a problem" in html
    decision.refresh_from_db()
    assert decision.authorisation == AuthorisationStatus.PENDING

    done = client.post(authorise, {"decision": "authorise", "note": "Proportionate."})
    assert done.status_code == 302 and done["Location"] == detail
    decision.refresh_from_db()
    assert decision.authorisation == AuthorisationStatus.AUTHORISED
    assert decision.authorised_by == world.manager
    page = client.get(detail).content.decode()
    assert "Authorised" in page and world.manager.display_name in page
    assert "Record your decision" not in page

    again = client.post(authorise, {"decision": "refuse", "note": "Changed my mind."})
    assert again.status_code == 302
    assert "already been authorised or refused" in client.get(detail).content.decode()


def test_refusing_records_the_reason(world, setup, login):
    decision = record_gateway_decision(world, setup)
    login(world.manager).post(
        reverse("sharing:authorise", args=[setup.family.pk, decision.pk]),
        {"decision": "refuse", "note": "Ask the family first."},
    )
    decision.refresh_from_db()
    assert decision.authorisation == AuthorisationStatus.REFUSED
    assert decision.authorisation_note == "Ask the family first."


def test_only_a_manager_who_did_not_decide_can_authorise(world, setup, login):
    own = record_gateway_decision(world, setup, actor=world.manager)
    client = login(world.manager)
    page = client.get(reverse("sharing:decision", args=[setup.family.pk, own.pk]))
    assert "Record your decision" not in page.content.decode()
    response = client.post(
        reverse("sharing:authorise", args=[setup.family.pk, own.pk]), {"decision": "authorise"}
    )
    assert response.status_code == 403

    theirs = record_gateway_decision(world, setup)
    practitioner = login(world.practitioner).post(
        reverse("sharing:authorise", args=[setup.family.pk, theirs.pk]), {"decision": "authorise"}
    )
    assert practitioner.status_code == 403
    for decision in (own, theirs):
        decision.refresh_from_db()
        assert decision.authorisation == AuthorisationStatus.PENDING


@pytest.mark.parametrize("user", ["practitioner_south", "manager_south", "duty", "dpo"])
def test_other_teams_do_not_find_decisions(world, setup, login, user):
    decision = record_gateway_decision(world, setup)
    client = login(getattr(world, user))
    family = setup.family.pk
    for url in (
        reverse("sharing:decisions", args=[family]),
        reverse("sharing:decision_new", args=[family]),
        reverse("sharing:decision", args=[family, decision.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("sharing:authorise", args=[family, decision.pk]), {"decision": "authorise"}
    )
    assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.authorisation == AuthorisationStatus.PENDING


def test_an_overdue_emergency_release_is_flagged(world, setup, login):
    decision = record_gateway_decision(world, setup, emergency=True)
    client = login(world.practitioner)
    detail = reverse("sharing:decision", args=[setup.family.pk, decision.pk])
    on_time = client.get(detail).content.decode()
    assert "Emergency release: a team manager must authorise it by" in on_time
    assert "Authorisation overdue" not in on_time

    make_overdue(decision)
    assert "Authorisation overdue" in client.get(detail).content.decode()
    listing = client.get(reverse("sharing:decisions", args=[setup.family.pk])).content.decode()
    assert "Authorisation overdue" in listing


def test_the_team_dashboard_counts_sharing_authorisations(world, setup, login):
    record_gateway_decision(world, setup)
    late = record_gateway_decision(world, setup, emergency=True)
    make_overdue(late)
    record_gateway_decision(world, setup, actor=world.manager)  # the manager's own: not theirs
    html = login(world.manager).get(reverse("dashboards:team")).content.decode()
    assert (
        '<span class="govuk-heading-xl govuk-!-margin-bottom-1">2</span>'
        "Sharing decisions awaiting authorisation"
    ) in html
    assert (
        '<span class="govuk-heading-xl govuk-!-margin-bottom-1">1</span>'
        "Emergency releases overdue for authorisation"
    ) in html
    assert reverse("sharing:overdue") in html


def test_the_overdue_list_for_managers_and_the_dpo(world, setup, login):
    late = record_gateway_decision(world, setup, emergency=True)
    make_overdue(late)
    waiting = record_gateway_decision(world, setup)
    url = reverse("sharing:overdue")

    manager = login(world.manager).get(url).content.decode()
    assert reverse("sharing:decision", args=[setup.family.pk, late.pk]) in manager
    assert reverse("sharing:decision", args=[setup.family.pk, waiting.pk]) in manager
    assert "Sharing decisions awaiting your authorisation" in manager

    south = login(world.manager_south).get(url).content.decode()
    assert setup.family.reference not in south

    dpo = login(world.dpo).get(url).content.decode()
    assert setup.family.reference in dpo and "This list covers every team" in dpo
    # The DPO does not open case records: the row links to who accessed the family instead.
    assert reverse("sharing:decision", args=[setup.family.pk, late.pk]) not in dpo
    assert reverse("audit:family_access", args=[setup.family.pk]) in dpo


@pytest.mark.parametrize("user", ["practitioner", "duty", "analyst", "admin", "partner"])
def test_the_overdue_list_is_for_managers_and_the_dpo_only(world, login, user):
    assert login(getattr(world, user)).get(reverse("sharing:overdue")).status_code == 403


def test_the_navigation_links_sharing_authorisations(world, login):
    for user, shown in ((world.manager, True), (world.dpo, True), (world.practitioner, False)):
        html = login(user).get(reverse("core:home")).content.decode()
        assert ("Sharing authorisations" in html) is shown


DECISIONS_QUERIES = {"sqlite": 20, "postgresql": 22}
OVERDUE_QUERIES = {"sqlite": 14, "postgresql": 15}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_decision_lists_have_fixed_query_counts(world, setup, client):
    for _ in range(2):
        make_overdue(record_gateway_decision(world, setup, emergency=True))
    decisions = reverse("sharing:decisions", args=[setup.family.pk])
    overdue = reverse("sharing:overdue")
    client.force_login(world.manager)
    few = (_count(client, decisions), _count(client, overdue))
    assert few == (DECISIONS_QUERIES[connection.vendor], OVERDUE_QUERIES[connection.vendor])
    for _ in range(5):
        make_overdue(record_gateway_decision(world, setup, emergency=True))
        record_gateway_decision(world, setup)
    assert (_count(client, decisions), _count(client, overdue)) == few


def test_a_decision_not_to_share_is_recorded_from_the_form(world, setup, login):
    client = login(world.practitioner)
    response = client.post(
        reverse("sharing:decision_new", args=[setup.family.pk]),
        _form(
            setup,
            outcome="not_share",
            scopes=None,
            gateway="",
            items_shared="",
            transfer_method="",
            necessity="The request is not proportionate to the concern.",
        ),
    )
    decision = SharingDecision.objects.get()
    assert response.status_code == 302
    assert decision.outcome == "not_share" and decision.scopes == []
    assert decision.authorisation == AuthorisationStatus.NOT_REQUIRED
    html = client.get(response["Location"]).content.decode()
    assert "Sharing decision: do not share" in html and "Not sent" in html
