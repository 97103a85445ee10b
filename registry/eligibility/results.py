"""What the gate returns: one result per rule, and the verdict over all of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from registry.eligibility.facts import AssessorFacts, CaseDescription
from registry.eligibility.policy_model import AssessmentTypeRule, Policy
from registry.eligibility.vocabulary import RULE_TITLES, RuleCode, Stage
from registry.eligibility.wording import sentence


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict, a sentence a commissioning officer understands, and its evidence."""

    code: str
    title: str
    passed: bool
    sentence: str
    evidence_ids: tuple[int, ...] = ()
    needs_panel_attention: bool = False
    # Something the officer and the panel should see although the rule passed (a registration
    # period ending before the report is due); never a reason to refuse.
    warning: str | None = None


@dataclass(frozen=True)
class Eligibility:
    """The gate's verdict: eligible only when every rule passed, under one policy version."""

    eligible: bool
    rules: tuple[RuleResult, ...]
    policy_version: str

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(rule for rule in self.rules if not rule.passed)

    @property
    def failed_reasons(self) -> list[str]:
        return [rule.sentence for rule in self.failed]

    @property
    def failed_codes(self) -> tuple[str, ...]:
        return tuple(rule.code for rule in self.failed)

    @property
    def needs_panel_attention(self) -> bool:
        return any(rule.needs_panel_attention for rule in self.rules)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(rule.warning for rule in self.rules if rule.warning)

    @property
    def evidence_ids(self) -> tuple[int, ...]:
        """Every evidence id any rule relied on, once each, in ascending order."""
        return tuple(sorted({i for rule in self.rules for i in rule.evidence_ids}))

    def rule(self, code: str) -> RuleResult:
        """The result of one rule by its code. Raises KeyError for an unknown code."""
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)


@dataclass(frozen=True)
class Inputs:
    """Everything one evaluation of the gate reads, handed to each rule."""

    facts: AssessorFacts
    case: CaseDescription
    policy: Policy
    today: date
    stage: Stage

    @property
    def kind(self) -> AssessmentTypeRule:
        return self.policy.assessment_type(self.case.assessment_type)


def verdict(
    code: RuleCode,
    passed: bool,
    text: str,
    evidence: Iterable[int | None] = (),
    *,
    panel: bool = False,
    warning: str | None = None,
) -> RuleResult:
    """A RuleResult with the rule's title, `text` as a sentence, and each evidence id once."""
    ids = tuple(dict.fromkeys(i for i in evidence if i is not None))
    return RuleResult(
        code.value,
        RULE_TITLES[code],
        passed,
        sentence(text),
        ids,
        panel,
        sentence(warning) if warning else None,
    )
