"""The independence rule across the stages of a commission."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from registry.eligibility import AssessmentType, ConflictFact, Stage, assess

TODAY = date(2026, 11, 20)
ADULT = AssessmentType.ADULT_MALE
BEFORE_DECLARATION = [Stage.SEARCH, Stage.SHORTLIST, Stage.SELECTION]
FROM_DECLARATION = [Stage.DECLARATION, Stage.APPROVAL]


def independence(baseline, policy, conflict, stage):
    facts = replace(baseline.facts(ADULT), conflict=conflict)
    return assess(facts, baseline.case(ADULT), policy, TODAY, stage=stage)


@pytest.mark.parametrize("stage", BEFORE_DECLARATION)
def test_declaration_is_not_yet_due_before_the_assessor_accepts(baseline, gate_policy, stage):
    result = independence(baseline, gate_policy, None, stage)
    assert result.eligible
    assert result.rule("independent").sentence == (
        "A conflict declaration will be required when the assessor accepts."
    )


@pytest.mark.parametrize("stage", FROM_DECLARATION)
def test_missing_declaration_fails_once_it_is_due(baseline, gate_policy, stage):
    result = independence(baseline, gate_policy, None, stage)
    assert result.failed_codes == ("independent",)
    assert result.failed_reasons == ["The assessor has not declared conflicts for this commission."]


CONFLICTS = [
    "a treating relationship with the subject",
    "prior involvement in this case",
    "a professional or personal relationship with a party",
    "a financial interest",
    "details given: supervised a social worker on the family's team in 2019",
]


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("conflict", CONFLICTS)
def test_any_declared_conflict_fails_independent_at_every_stage(
    baseline, gate_policy, stage, conflict
):
    """DOMAIN decision "Any declared conflict": whatever its kind, it fails the rule."""
    declared = ConflictFact(
        declared_on=TODAY, no_conflict=False, conflicts=(conflict,), evidence_id=77
    )
    result = independence(baseline, gate_policy, declared, stage)
    rule = result.rule("independent")
    assert not result.eligible
    assert not rule.passed
    assert conflict in rule.sentence
    assert "the panel cannot override it" in rule.sentence
    assert rule.evidence_ids == (77,)


def test_a_conflict_beside_an_explicit_no_conflict_answer_still_fails(baseline, gate_policy):
    declared = ConflictFact(
        declared_on=TODAY, no_conflict=True, conflicts=("a financial interest",), evidence_id=78
    )
    result = independence(baseline, gate_policy, declared, Stage.APPROVAL)
    assert result.failed_codes == ("independent",)
    assert not result.needs_panel_attention


def test_declaration_naming_nothing_and_not_confirming_fails(baseline, gate_policy):
    declared = ConflictFact(declared_on=TODAY, no_conflict=False, evidence_id=79)
    result = independence(baseline, gate_policy, declared, Stage.APPROVAL)
    assert result.failed_reasons == [
        "The conflict declaration neither confirms no conflict nor names one."
    ]


def test_declaration_of_no_conflict_passes_without_panel_attention(baseline, gate_policy):
    result = assess(
        baseline.facts(ADULT), baseline.case(ADULT), gate_policy, TODAY, stage=Stage.APPROVAL
    )
    assert not result.needs_panel_attention
    assert result.rule("independent").sentence == (
        "Declared no conflict with the named parties on 19 November 2026."
    )
