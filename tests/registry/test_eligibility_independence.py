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


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize(
    ("flags", "words"),
    [
        ({"treating_clinician": True}, "is or was the subject's treating clinician"),
        ({"prior_involvement": True}, "has had prior involvement in this case"),
    ],
)
def test_disqualifying_conflict_fails_at_every_stage(baseline, gate_policy, stage, flags, words):
    conflict = ConflictFact(declared_on=TODAY, no_conflict=False, evidence_id=77, **flags)
    rule = independence(baseline, gate_policy, conflict, stage).rule("independent")
    assert not rule.passed
    assert rule.sentence == f"The assessor declared that they {words}."
    assert rule.evidence_ids == (77,)


def test_declared_relationship_passes_but_goes_to_the_panel(baseline, gate_policy):
    conflict = ConflictFact(
        declared_on=TODAY,
        no_conflict=False,
        other=("Supervised a social worker on the family's team in 2019",),
        evidence_id=78,
    )
    result = independence(baseline, gate_policy, conflict, Stage.APPROVAL)
    assert result.eligible
    assert result.needs_panel_attention
    rule = result.rule("independent")
    assert rule.needs_panel_attention
    assert rule.sentence == (
        "The assessor declared: Supervised a social worker on the family's team in 2019. This "
        "does not disqualify them on its own, but the panel must consider it before approving."
    )


def test_declaration_of_no_conflict_passes_without_panel_attention(baseline, gate_policy):
    result = assess(
        baseline.facts(ADULT), baseline.case(ADULT), gate_policy, TODAY, stage=Stage.APPROVAL
    )
    assert not result.needs_panel_attention
    assert result.rule("independent").sentence == (
        "Declared no conflict with the named parties on 19 November 2026."
    )
