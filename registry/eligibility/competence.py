"""Rules about evidenced experience: experienced, and special populations.

Counting is deliberately simple: an experience entry counts in full when its period overlaps the
window (for example the last 5 years), because assessors record counts per period, not per case.
Only entries whose purpose the assessment type accepts count at all.
"""

from __future__ import annotations

from datetime import date

from registry.eligibility.facts import ExperienceFact
from registry.eligibility.results import Inputs, RuleResult, verdict
from registry.eligibility.subject import required_populations, type_problem
from registry.eligibility.tools import checks_for, usable_words
from registry.eligibility.vocabulary import OffenceCategory, Population, RuleCode
from registry.eligibility.wording import (
    OFFENCE_WORDS,
    PURPOSE_WORDS,
    count_of,
    join,
    long_date,
    words,
    years_before,
)

Finding = tuple[bool, str, list[int | None]]


def experienced(i: Inputs) -> RuleResult:
    """Passes when every offence category of the case has enough recent assessments.

    The assessment type must fit the case first. For a type whose subject is a parent or carer
    (no offending to match), the count is of the type's own kind of assessment, in any category.
    """
    problem = type_problem(i.case, i.kind)
    if problem is not None:
        return verdict(RuleCode.EXPERIENCED, False, problem)
    if not i.kind.subject_is_offender:
        passed, text, evidence = _of_kind(i)
        return verdict(RuleCode.EXPERIENCED, passed, text, evidence)
    categories = [c for c in OffenceCategory if c in i.case.offence_categories]
    if not categories:
        return verdict(
            RuleCode.EXPERIENCED,
            False,
            "The case names no offence category, so experience cannot be matched to it",
        )
    findings = [_category(i, category) for category in categories]
    failed = [f for f in findings if not f[0]]
    shown = failed or findings
    text = "; ".join(f[1] for f in shown)
    if failed:
        purposes = join((words(PURPOSE_WORDS, p) for p in i.kind.experience_purposes), "or")
        text += f" (counting {purposes})"
    return verdict(RuleCode.EXPERIENCED, not failed, text, [e for f in shown for e in f[2]])


def _category(i: Inputs, category: OffenceCategory) -> Finding:
    kind = i.kind
    about = words(OFFENCE_WORDS, category)
    entries = [e for e in _relevant(i) if e.offence_category == category]
    counted = _in_window(entries, i.today, kind.window_years)
    total = sum(max(e.count, 0) for e in counted)
    latest = max((e for e in entries if e.last_case_on), key=_last_case, default=None)
    evidence = [e.evidence_id for e in counted]
    window = f"in the last {count_of(kind.window_years, 'year')}"
    if total < kind.min_assessments:
        return False, _too_few(total, f"involving {about} {window}", kind.min_assessments), evidence
    recent = f"{count_of(kind.last_case_within_years, 'year')}"
    if latest is None or _last_case(latest) < years_before(i.today, kind.last_case_within_years):
        when = f"was on {long_date(_last_case(latest))}" if latest else "is not recorded"
        return (
            False,
            f"the last case involving {about} {when}; it must be within {recent}",
            evidence + ([latest.evidence_id] if latest else []),
        )
    last = long_date(_last_case(latest))
    return (
        True,
        f"{count_of(total, 'assessment')} involving {about} {window}, the last on {last}",
        [*evidence, latest.evidence_id],
    )


def _of_kind(i: Inputs) -> Finding:
    """Enough recent assessments of the type's purposes, whatever the offence category."""
    kind = i.kind
    purposes = join((words(PURPOSE_WORDS, p) for p in kind.experience_purposes), "or")
    entries = _relevant(i)
    counted = _in_window(entries, i.today, kind.window_years)
    total = sum(max(e.count, 0) for e in counted)
    latest = max((e for e in entries if e.last_case_on), key=_last_case, default=None)
    evidence = [e.evidence_id for e in counted]
    window = f"in the last {count_of(kind.window_years, 'year')}"
    if total < kind.min_assessments:
        return False, _too_few(total, f"of {purposes} {window}", kind.min_assessments), evidence
    recent = count_of(kind.last_case_within_years, "year")
    if latest is None or _last_case(latest) < years_before(i.today, kind.last_case_within_years):
        when = f"was on {long_date(_last_case(latest))}" if latest else "is not recorded"
        return False, f"the last such assessment {when}; it must be within {recent}", evidence
    last = long_date(_last_case(latest))
    text = f"{count_of(total, 'assessment')} of {purposes} {window}, the last on {last}"
    return True, text, [*evidence, latest.evidence_id]


def special_populations(i: Inputs) -> RuleResult:
    """Passes when the assessor has experience (and training) for each special population."""
    special = [p for p in required_populations(i.case, i.kind) if i.policy.population(p).special]
    if not special:
        return verdict(
            RuleCode.SPECIAL_POPULATIONS, True, "No special population applies to this case"
        )
    findings = [_population(i, p) for p in special]
    failed = [f for f in findings if not f[0]]
    shown = failed or findings
    return verdict(
        RuleCode.SPECIAL_POPULATIONS,
        not failed,
        "; ".join(f[1] for f in shown),
        [e for f in shown for e in f[2]],
    )


def _population(i: Inputs, population: Population) -> Finding:
    rule = i.policy.population(population)
    entries = [e for e in _relevant(i) if e.population == population]
    counted = _in_window(entries, i.today, rule.window_years)
    total = sum(max(e.count, 0) for e in counted)
    evidence: list[int | None] = [e.evidence_id for e in counted]
    window = f"in the last {count_of(rule.window_years, 'year')}"
    if total < rule.min_assessments:
        return False, _too_few(total, f"of {rule.title} {window}", rule.min_assessments), evidence
    text = f"{count_of(total, 'assessment')} of {rule.title} {window}"
    if not rule.needs_tool:
        return True, text, evidence
    tools = [t for t in i.policy.tools if population in t.populations]
    checks = checks_for(i, tools)
    if checks and checks[0].problem is None:
        trained = usable_words(checks[0])
        text += f"; {trained[0].lower()}{trained[1:]}"
        return True, text, [*evidence, checks[0].training.evidence_id]
    names = join((t.name for t in tools), "or")
    return (
        False,
        f"{text}, but no current training (with the owner's approval where needed) in a tool "
        f"built for {rule.title} ({names})",
        evidence + [c.training.evidence_id for c in checks],
    )


def _too_few(total: int, what: str, needed: int) -> str:
    if total <= 0:
        return f"no assessments {what} are recorded; the policy needs {needed}"
    return f"only {count_of(total, 'assessment')} {what}; the policy needs {needed}"


def _relevant(i: Inputs) -> list[ExperienceFact]:
    return [e for e in i.facts.experience if e.assessment_purpose in i.kind.experience_purposes]


def _in_window(entries: list[ExperienceFact], today: date, years: int) -> list[ExperienceFact]:
    start = years_before(today, years)
    return [e for e in entries if e.period_to >= start and e.period_from <= today]


def _last_case(entry: ExperienceFact) -> date:
    return entry.last_case_on or date.min
