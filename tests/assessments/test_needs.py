"""add_need, update_need, remove_need: family members only, active headlines, evidence."""

from __future__ import annotations

import pytest

from earlyhelp.assessments import services
from earlyhelp.assessments.models import AssessmentNeed, Headline
from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from tests.api.conftest import audit_text
from tests.assessments.conftest import open_case, start, submitted

pytestmark = pytest.mark.django_db


def _add(world, assessment, person, code="secure_housing", **kwargs):
    values = {"evidence": "Eviction notice seen on the visit.", "severity": "high", **kwargs}
    return services.add_need(
        actor=world.practitioner,
        assessment=assessment,
        person_id=person.pk,
        headline_code=code,
        **values,
    )


def test_a_need_names_a_member_a_headline_evidence_and_severity(world, case):
    assessment = start(world, case)
    need = _add(world, assessment, case.parent)
    assert need.person == case.parent and need.headline.code == "secure_housing"
    assert need.severity == "high" and need.evidence == "Eviction notice seen on the visit."
    assert need.history.get().history_user == world.practitioner
    # The evidence, names and the headline stay out of the audit trail.
    text = audit_text()
    assert "eviction" not in text and "secure_housing" not in text


def test_someone_outside_the_family_cannot_have_a_need_here(world, case):
    other = open_case(world, last_name="Elsewhere")
    assessment = start(world, case)
    with pytest.raises(InvalidInput) as caught:
        _add(world, assessment, other.child)
    assert caught.value.field == "person"
    assert not AssessmentNeed.objects.exists()


def test_an_unknown_or_retired_headline_is_refused(world, case):
    assessment = start(world, case)
    with pytest.raises(InvalidInput) as caught:
        _add(world, assessment, case.child, code="not_a_headline")
    assert caught.value.field == "headline"
    Headline.objects.filter(code="secure_housing").update(active=False)
    with pytest.raises(InvalidInput):
        _add(world, assessment, case.child, code="secure_housing")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"evidence": "   "}, "evidence"), ({"severity": "extreme"}, "severity")],
)
def test_evidence_and_a_known_severity_are_required(world, case, kwargs, field):
    assessment = start(world, case)
    with pytest.raises(InvalidInput) as caught:
        _add(world, assessment, case.child, **kwargs)
    assert caught.value.field == field


def test_one_need_per_person_and_headline(world, case):
    assessment = start(world, case)
    _add(world, assessment, case.child)
    with pytest.raises(InvalidInput, match="already recorded"):
        _add(world, assessment, case.child)
    # The same headline for another member is a separate need.
    _add(world, assessment, case.parent)
    assert assessment.needs.count() == 2


def test_a_need_is_changed_and_removed_while_in_draft(world, case):
    assessment = start(world, case)
    need = _add(world, assessment, case.child)
    services.update_need(
        actor=world.practitioner,
        need=need,
        headline_code="financial_stability",
        severity="low",
    )
    need.refresh_from_db()
    assert (need.headline.code, need.severity) == ("financial_stability", "low")
    assert need.evidence == "Eviction notice seen on the visit."
    services.remove_need(actor=world.practitioner, need=need)
    assert not AssessmentNeed.objects.exists()
    assert AuditEvent.objects.filter(object_type="assessment_need").count() == 3
    # The removed need is still in the history, with who removed it.
    removal = AssessmentNeed.history.filter(history_type="-").get()
    assert removal.history_user == world.practitioner


def test_changing_a_need_onto_a_headline_already_recorded_is_refused(world, case):
    assessment = start(world, case)
    _add(world, assessment, case.child, code="secure_housing")
    other = _add(world, assessment, case.child, code="financial_stability")
    with pytest.raises(InvalidInput):
        services.update_need(actor=world.practitioner, need=other, headline_code="secure_housing")


def test_needs_cannot_change_after_submitting(world, case):
    assessment = submitted(world, case)
    need = assessment.needs.first()
    with pytest.raises(Conflict):
        _add(world, assessment, case.parent, code="financial_stability")
    with pytest.raises(Conflict):
        services.update_need(actor=world.practitioner, need=need, severity="low")
    with pytest.raises(Conflict):
        services.remove_need(actor=world.practitioner, need=need)
    assert assessment.needs.count() == 3


def test_only_the_team_adds_needs(world, case):
    assessment = start(world, case)
    with pytest.raises(PermissionDenied):
        services.add_need(
            actor=world.practitioner_south,
            assessment=assessment,
            person_id=case.child.pk,
            headline_code="secure_housing",
            evidence="Not my family.",
            severity="low",
        )
