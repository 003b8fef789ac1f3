"""Programme eligibility from the configured threshold, and assessed_needs for other apps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.assessments import services
from earlyhelp.assessments.defaults import DEFAULT_DESCRIPTORS
from tests.assessments.conftest import add_needs, authorised, open_case, ready, start, submitted

CODES = sorted(DEFAULT_DESCRIPTORS)


@given(codes=st.lists(st.sampled_from(CODES), max_size=30), threshold=st.integers(1, 10))
def test_eligible_exactly_when_distinct_headlines_reach_the_threshold(codes, threshold):
    result = services.eligibility_for(codes, threshold)
    assert result.headline_count == len(set(codes))
    assert result.threshold == threshold
    assert result.eligible is (len(set(codes)) >= threshold)


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "eligible"), [(2, False), (3, True), (4, True)])
def test_the_default_threshold_is_three_headlines(world, count, eligible):
    case = open_case(world)
    assessment = start(world, case)
    add_needs(assessment, world.practitioner, case, CODES[:count])
    result = services.eligibility(assessment)
    assert (result.headline_count, result.threshold, result.eligible) == (count, 3, eligible)


@pytest.mark.django_db
def test_two_people_with_the_same_headline_count_once(world, case):
    assessment = start(world, case)
    for person in (case.child, case.parent):
        services.add_need(
            actor=world.practitioner,
            assessment=assessment,
            person_id=person.pk,
            headline_code="secure_housing",
            evidence="Overcrowded flat.",
            severity="medium",
        )
    assert services.eligibility(assessment).headline_count == 1


@pytest.mark.django_db
def test_the_threshold_comes_from_settings(world, case, settings):
    assessment = start(world, case)
    add_needs(assessment, world.practitioner, case, CODES[:2])
    assert not services.eligibility(assessment).eligible
    settings.EARLYHELP_PROGRAMME_MIN_HEADLINES = 2
    result = services.eligibility(assessment)
    assert (result.threshold, result.eligible) == (2, True)


@pytest.mark.django_db
def test_assessed_needs_come_from_the_latest_authorised_assessment(world, case):
    assert services.assessed_needs(case.family) == []
    first = authorised(world, case)
    # A later draft and a submitted one do not count until authorised.
    second = ready(world, case)
    add_needs(second, world.practitioner, case, ["financial_stability"], severity="high")
    assert {n.headline_code for n in services.assessed_needs(case.family)} == {
        n.headline.code for n in first.needs.all()
    }
    services.submit_assessment(actor=world.practitioner, assessment=second)
    services.authorise_assessment(actor=world.manager, assessment=second)
    needs = services.assessed_needs(case.family)
    assert len(needs) == 4
    housing = next(n for n in needs if n.headline_code == "secure_housing")
    assert housing.headline_label == "Secure housing"
    assert housing.person_id == case.parent.pk and housing.severity == "medium"
    finance = next(n for n in needs if n.headline_code == "financial_stability")
    assert finance.severity == "high"


@pytest.mark.django_db
def test_a_submitted_assessment_is_not_yet_assessed_needs(world, case):
    submitted(world, case)
    assert services.assessed_needs(case.family) == []
