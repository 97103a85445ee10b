"""Risk assessment tools: which fit a subject, and the rule "Trained in a fitting tool"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from registry.eligibility.facts import CaseDescription, ToolTrainingFact
from registry.eligibility.policy_model import Tool
from registry.eligibility.results import Inputs, RuleResult, verdict
from registry.eligibility.subject import primary_population, subject_populations
from registry.eligibility.vocabulary import RuleCode
from registry.eligibility.wording import join, long_date, years_after


def fits(tool: Tool, case: CaseDescription) -> bool:
    """Whether the policy says this tool is valid for the case's subject."""
    offences = case.offence_categories
    return (
        primary_population(case) in tool.populations
        and all(p in subject_populations(case) for p in tool.requires_populations)
        and case.age_band in tool.age_bands
        and case.conviction_status in tool.conviction_statuses
        and (not tool.requires_offences or any(o in offences for o in tool.requires_offences))
        and not (offences and all(o in tool.not_when_only for o in offences))
    )


@dataclass(frozen=True)
class TrainingCheck:
    """One training record weighed against its tool: usable, or the reason it is not."""

    training: ToolTrainingFact
    tool: Tool
    refresher_due: date | None
    problem: str | None


def check_training(training: ToolTrainingFact, tool: Tool, today: date) -> TrainingCheck:
    """Whether a training record makes the assessor currently trained (and approved) in a tool."""
    due = training.refresher_due or years_after(training.trained_on, tool.refresher_years)
    problem = None
    if training.trained_on > today:
        problem = f"training in {tool.name} is dated {long_date(training.trained_on)}, after today"
    elif tool.training_required and due < today:
        problem = f"training in {tool.name} needed a refresher by {long_date(due)}"
    elif tool.owner_approval_required and not training.owner_approved:
        problem = f"trained in {tool.name} but without the approval of {tool.owner}"
    return TrainingCheck(training, tool, due if tool.training_required else None, problem)


def checks_for(i: Inputs, tools: Iterable[Tool]) -> list[TrainingCheck]:
    """The assessor's training records in these tools, usable ones first, latest refresher first."""
    by_code = {tool.code: tool for tool in tools}
    checks = [
        check_training(t, by_code[t.tool_code], i.today)
        for t in i.facts.tool_trainings
        if t.tool_code in by_code
    ]
    return sorted(
        checks,
        key=lambda c: (c.problem is not None, -(c.refresher_due or date.max).toordinal()),
    )


def usable_words(check: TrainingCheck) -> str:
    """ "Trained in Static-99R on 3 March 2024; refresher due 3 March 2027"."""
    text = f"Trained in {check.tool.name} on {long_date(check.training.trained_on)}"
    if check.refresher_due is not None:
        text += f"; refresher due {long_date(check.refresher_due)}"
    if check.tool.owner_approval_required:
        text += f"; approved by {check.tool.owner}"
    return text


def trained_in_fitting_tool(i: Inputs) -> RuleResult:
    """Passes on current (and approved) training in a tool valid for this subject."""
    code = RuleCode.TRAINED_IN_FITTING_TOOL
    if not i.kind.tool_required:
        return verdict(code, True, f"No risk assessment tool is required for: {i.kind.title}")
    valid = [tool for tool in i.policy.tools if fits(tool, i.case)]
    if not valid:
        return verdict(code, False, "No tool in the policy is valid for this subject")
    checks = checks_for(i, valid)
    if checks and checks[0].problem is None:
        return verdict(code, True, usable_words(checks[0]), [checks[0].training.evidence_id])
    names = join((tool.name for tool in valid), "or")
    if not checks:
        return verdict(
            code, False, f"No training is recorded in a tool valid for this subject ({names})"
        )
    problems = "; ".join(dict.fromkeys(c.problem for c in checks if c.problem))
    return verdict(
        code,
        False,
        f"{problems}; no current training in a tool valid for this subject ({names})",
        [c.training.evidence_id for c in checks],
    )
