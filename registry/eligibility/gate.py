"""The gate: every rule of the policy applied to one assessor for one described case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from registry.eligibility.competence import experienced, special_populations
from registry.eligibility.facts import AssessorFacts, CaseDescription
from registry.eligibility.policy_model import Policy
from registry.eligibility.registration import freshly_verified, no_restriction, regulated
from registry.eligibility.results import Eligibility, Inputs, RuleResult
from registry.eligibility.standing import (
    admitted,
    attested,
    cpd_and_supervision,
    independent,
    insured,
    safeguarding_check,
)
from registry.eligibility.tools import trained_in_fitting_tool
from registry.eligibility.vocabulary import RuleCode, Stage

# In RuleCode order: results are shown, and frozen into decisions, in this order.
RULES: tuple[tuple[RuleCode, Callable[[Inputs], RuleResult]], ...] = (
    (RuleCode.ADMITTED, admitted),
    (RuleCode.ATTESTED, attested),
    (RuleCode.REGULATED, regulated),
    (RuleCode.FRESHLY_VERIFIED, freshly_verified),
    (RuleCode.NO_RESTRICTION, no_restriction),
    (RuleCode.EXPERIENCED, experienced),
    (RuleCode.TRAINED_IN_FITTING_TOOL, trained_in_fitting_tool),
    (RuleCode.SPECIAL_POPULATIONS, special_populations),
    (RuleCode.SAFEGUARDING_CHECK, safeguarding_check),
    (RuleCode.INSURED, insured),
    (RuleCode.CPD_AND_SUPERVISION, cpd_and_supervision),
    (RuleCode.INDEPENDENT, independent),
)


def assess(
    facts: AssessorFacts,
    case: CaseDescription,
    policy: Policy,
    today: date,
    *,
    stage: Stage = Stage.SEARCH,
) -> Eligibility:
    """Apply every rule to this assessor and case; eligible only when all of them pass."""
    inputs = Inputs(facts, case, policy, today, Stage(stage))
    results = tuple(rule(inputs) for _, rule in RULES)
    return Eligibility(all(r.passed for r in results), results, policy.version)
