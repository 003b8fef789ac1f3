"""The headline needs: loaded by the migration, edited without code (command and page)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from earlyhelp.assessments.models import Headline
from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.models import CodeEntry
from tests.assessments.conftest import ready, start

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_ten_headlines_with_descriptors():
    headlines = list(Headline.objects.order_by("position"))
    assert [h.label for h in headlines][:2] == [
        "Getting a good education",
        "Good early years development",
    ]
    assert len(headlines) == 10
    assert all(h.active and h.descriptor for h in headlines)
    assert headlines[-1].code == "financial_stability"


def test_headline_codes_are_the_referral_reason_codes():
    reasons = set(
        CodeEntry.objects.filter(list_name="referral_reasons").values_list("code", flat=True)
    )
    assert set(Headline.objects.values_list("code", flat=True)) == reasons


def test_editing_a_descriptor_changes_what_the_pages_show(world, case, client):
    assessment = start(world, case)
    call_command(
        "headlines",
        "set-descriptor",
        "secure_housing",
        "Exampleshire plan: temporary accommodation for 6 weeks or more.",
        stdout=io.StringIO(),
    )
    client.force_login(world.practitioner)
    args = [case.family.pk, assessment.pk]
    for url in (
        reverse("assessments:need_new", args=args),
        reverse("assessments:detail", args=args),
    ):
        html = client.get(url).content.decode()
        assert "Exampleshire plan: temporary accommodation for 6 weeks or more." in html
        assert "lives in unsuitable, unsafe or overcrowded housing" not in html
    event = AuditEvent.objects.filter(object_type="headline").get()
    assert event.actor_id is None and event.detail["fields"] == ["descriptor"]


def test_the_command_lists_renames_retires_and_restores(world, tmp_path):
    out = io.StringIO()
    call_command("headlines", "list", stdout=out)
    assert "secure_housing\n  Secure housing" in out.getvalue()
    call_command("headlines", "set-label", "secure_housing", "A safe home", stdout=io.StringIO())
    call_command("headlines", "retire", "crime_prevention_and_tackling_crime", stdout=io.StringIO())
    descriptor = tmp_path / "descriptor.txt"
    descriptor.write_text("From the file.\n", encoding="utf-8")
    call_command(
        "headlines",
        "set-descriptor",
        "financial_stability",
        "--file",
        str(descriptor),
        stdout=io.StringIO(),
    )
    assert Headline.objects.get(code="secure_housing").label == "A safe home"
    assert not Headline.objects.get(code="crime_prevention_and_tackling_crime").active
    assert Headline.objects.get(code="financial_stability").descriptor == "From the file."
    out = io.StringIO()
    call_command("headlines", "list", stdout=out)
    assert "crime_prevention_and_tackling_crime (retired)" in out.getvalue()
    call_command(
        "headlines", "restore", "crime_prevention_and_tackling_crime", stdout=io.StringIO()
    )
    assert Headline.objects.get(code="crime_prevention_and_tackling_crime").active


def test_the_command_refuses_unknown_codes_and_empty_labels():
    with pytest.raises(CommandError, match="no headline"):
        call_command("headlines", "retire", "not_a_headline")
    with pytest.raises(CommandError, match="Enter the headline's name"):
        call_command("headlines", "set-label", "secure_housing", "  ")
    with pytest.raises(CommandError, match="either as text or with --file"):
        call_command("headlines", "set-descriptor", "secure_housing")


def test_a_retired_headline_is_not_offered_but_old_needs_still_show(world, case, client):
    assessment = ready(world, case)
    call_command("headlines", "retire", "secure_housing", stdout=io.StringIO())
    client.force_login(world.practitioner)
    args = [case.family.pk, assessment.pk]
    form = client.get(reverse("assessments:need_new", args=args)).content.decode()
    assert 'value="secure_housing"' not in form and 'value="financial_stability"' in form
    detail = client.get(reverse("assessments:detail", args=args)).content.decode()
    assert "Secure housing" in detail


def test_an_administrator_edits_a_headline_on_the_page(world, client):
    client.force_login(world.admin)
    listing = client.get(reverse("assessments:headlines")).content.decode()
    assert "Promoting recovery and reducing harm from substance use" in listing
    url = reverse("assessments:headline_edit", args=["financial_stability"])
    empty = client.post(url, {"label": "", "descriptor": "x", "active": "on"})
    assert "Enter the headline&#39;s name" in empty.content.decode()
    response = client.post(
        url, {"label": "Financial stability", "descriptor": "Local wording.", "active": "on"}
    )
    assert response["Location"] == reverse("assessments:headlines")
    headline = Headline.objects.get(code="financial_stability")
    assert (headline.descriptor, headline.active) == ("Local wording.", True)
    assert AuditEvent.objects.get(object_type="headline").actor_id == world.admin.pk
    assert client.get(reverse("assessments:headline_edit", args=["nope"])).status_code == 404
