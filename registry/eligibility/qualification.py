"""The rule "Qualified": a qualification the policy counts for the assessor's profession."""

from __future__ import annotations

from registry.eligibility.facts import QualificationFact
from registry.eligibility.registration import acceptable
from registry.eligibility.results import Inputs, RuleResult, verdict
from registry.eligibility.vocabulary import RuleCode
from registry.eligibility.wording import join, long_date


def qualified(i: Inputs) -> RuleResult:
    """Passes when an accepted qualification counts for the profession of a registration this
    assessment type accepts (the policy lists them per type and profession)."""
    professions = list(dict.fromkeys(r.profession for r in acceptable(i)))
    if not professions:
        professions = list(dict.fromkeys(a.profession for a in i.kind.registrations))
    counted = {code for p in professions for code in i.kind.qualifications_for(p)}
    fitting = [q for q in i.facts.qualifications if q.kind in counted]
    if fitting:
        best = max(fitting, key=lambda q: (q.awarded_on, q.evidence_id or 0))
        return verdict(
            RuleCode.QUALIFIED,
            True,
            f"{_name(i, best)}, awarded on {long_date(best.awarded_on)}, accepted by a register "
            "manager",
            [best.evidence_id],
        )
    needed = join(
        (_title(i, code) for p in professions for code in i.kind.qualifications_for(p)), "or"
    )
    held = list(i.facts.qualifications)
    if held:
        shown = join(_name(i, q) for q in held)
        return verdict(
            RuleCode.QUALIFIED,
            False,
            f"The accepted qualifications ({shown}) do not count for this assessment; it needs "
            f"{needed}",
            [q.evidence_id for q in held],
        )
    return verdict(
        RuleCode.QUALIFIED,
        False,
        f"No accepted qualification is recorded; this assessment needs {needed}",
    )


def _title(i: Inputs, code: str) -> str:
    kind = i.policy.qualification(code)
    title = kind.title if kind else code
    return title[0].lower() + title[1:]


def _name(i: Inputs, qualification: QualificationFact) -> str:
    kind = i.policy.qualification(qualification.kind)
    if kind is None:
        return qualification.title
    return qualification.title if qualification.title else kind.title
