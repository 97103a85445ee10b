"""The gate: every rule of the policy applied to one assessor for one described case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from registry.eligibility.competence import experienced, special_populations
from registry.eligibility.facts import AssessorFacts, CaseDescription
from registry.eligibility.policy_model import Policy
from registry.eligibility.qualification import qualified
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
from registry.eligibility.vocabulary import ItemType, RuleCode, Stage
from registry.eligibility.wording import join, sentence

# Which kinds of profile item each rule reads: an item of that kind awaiting review is named
# when the rule fails, so that "why not?" can say it does not count yet.
READS: dict[RuleCode, tuple[str, ...]] = {
    RuleCode.QUALIFIED: ("qualification",),
    RuleCode.EXPERIENCED: ("experience_entry",),
    RuleCode.TRAINED_IN_FITTING_TOOL: ("tool_training",),
    RuleCode.SPECIAL_POPULATIONS: ("experience_entry", "tool_training"),
    RuleCode.SAFEGUARDING_CHECK: ("dbs_check",),
    RuleCode.INSURED: ("insurance",),
    RuleCode.CPD_AND_SUPERVISION: ("cpd_record", "supervision"),
}
# The items the gate counts, in the words its sentences use ("a DBS certificate").
ITEM_WORDS = {
    item.value: item.words
    for item in (
        ItemType.QUALIFICATION,
        ItemType.EXPERIENCE_ENTRY,
        ItemType.TOOL_TRAINING,
        ItemType.DBS_CHECK,
        ItemType.INSURANCE,
        ItemType.CPD_RECORD,
        ItemType.SUPERVISION,
    )
}

# In RuleCode order: results are shown, and frozen into decisions, in this order.
RULES: tuple[tuple[RuleCode, Callable[[Inputs], RuleResult]], ...] = (
    (RuleCode.ADMITTED, admitted),
    (RuleCode.ATTESTED, attested),
    (RuleCode.REGULATED, regulated),
    (RuleCode.QUALIFIED, qualified),
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
    results = tuple(_awaiting(code, rule(inputs), facts) for code, rule in RULES)
    return Eligibility(all(r.passed for r in results), results, policy.version)


def _awaiting(code: RuleCode, result: RuleResult, facts: AssessorFacts) -> RuleResult:
    """A failed rule, told which of the items it reads are awaiting review or were rejected."""
    if result.passed:
        return result
    kinds = READS.get(code, ())
    items = [item for item in facts.awaiting_review if item.item_type in kinds]
    if not items:
        return result
    waiting = [i for i in items if not i.rejected]
    rejected = [i for i in items if i.rejected]
    notes = []
    if waiting:
        shown = join(f"{ITEM_WORDS.get(i.item_type, 'an item')} ({i.summary})" for i in waiting)
        notes.append(
            f"{shown[0].upper()}{shown[1:]} "
            + ("is" if len(waiting) == 1 else "are")
            + " awaiting review by a register manager and "
            + ("does" if len(waiting) == 1 else "do")
            + " not count until accepted"
        )
    if rejected:
        shown = join(f"{ITEM_WORDS.get(i.item_type, 'an item')} ({i.summary})" for i in rejected)
        notes.append(
            f"{shown[0].upper()}{shown[1:]} "
            + ("was" if len(rejected) == 1 else "were")
            + " rejected by a register manager and "
            + ("does" if len(rejected) == 1 else "do")
            + " not count"
        )
    text = result.sentence.rstrip(".") + ". " + ". ".join(sentence(n) for n in notes)
    return replace(result, sentence=text.rstrip(".") + ".")
