"""Why few or no assessors are eligible for a case: the gate run over the admitted register,
its failures counted per rule. Counts only, never who (an ineligible assessor is not named).

The assessors' facts are loaded a chunk at a time (a fixed number of queries per chunk), and
the gate judges each one at the search stage, as the search does. The phrases are written here
from the rule and the case, never taken from an assessor's own sentence (which can name them).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from registry.assessor_facts import facts_for, load
from registry.clock import uk_date_of
from registry.commissions.case import case_description
from registry.commissions.search import register_token
from registry.eligibility import Stage, assess
from registry.extensions import db
from registry.models import AdmissionStatus, Assessor, Commission
from registry.policy_store import current_policy
from registry.vocabulary import OffenceCategory, RuleCode, label_of

CHUNK = 500
# Counts kept per process until the register changes or the hour turns (as the search's
# candidate lists are): the same case asked again costs one query.
CACHE_ENTRIES = 64
_cache: OrderedDict[tuple[Any, ...], tuple[int, int, Counter[str]]] = OrderedDict()
_cache_lock = threading.Lock()
# Below this many eligible assessors, the search page explains who is missing and why.
FEW = 3


@dataclass(frozen=True)
class Shortfall:
    """How many admitted assessors fail each rule for this case (an assessor can fail several)."""

    admitted: int
    eligible: int
    # (rule code, number failing, phrase, the case answer the officer could check or None)
    reasons: list[tuple[str, int, str, str | None]]


# The case answer behind each rule, for "what you could check" (a form field's id).
CASE_FIELD = {
    RuleCode.EXPERIENCED.value: "offence_categories",
    RuleCode.TRAINED_IN_FITTING_TOOL.value: "assessment_type",
    RuleCode.QUALIFIED.value: "assessment_type",
    RuleCode.REGULATED.value: "assessment_type",
    RuleCode.SPECIAL_POPULATIONS.value: "learning_disability",
    RuleCode.INSURED.value: "needed_by",
}


def explain(commission: Commission, *, now: datetime) -> Shortfall:
    """Count, per rule, the admitted assessors the gate refuses for this case."""
    case = case_description(commission)
    token = register_token()
    key = (
        token,
        now.replace(minute=0, second=0, microsecond=0),
        current_policy().version,
        repr(case),
    )
    with _cache_lock:
        cached = _cache.get(key) if token is not None else None
    if cached is None:
        cached = _count(commission, now=now)
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
    admitted, eligible, failing = cached
    order = [code.value for code in RuleCode]
    reasons = [
        (code, failing[code], phrase(code, commission), CASE_FIELD.get(code))
        for code in sorted(failing, key=lambda c: (-failing[c], order.index(c)))
    ]
    return Shortfall(admitted, eligible, reasons)


def _count(commission: Commission, *, now: datetime) -> tuple[int, int, Counter[str]]:
    """The gate over every admitted assessor, a chunk at a time: (admitted, eligible, failing)."""
    ids = list(
        db.session.scalars(
            select(Assessor.id)
            .where(Assessor.admission_status == AdmissionStatus.ADMITTED)
            .order_by(Assessor.id)
        )
    )
    case, policy, today = case_description(commission), current_policy(), uk_date_of(now)
    failing: Counter[str] = Counter()
    eligible = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        loaded = load(chunk)
        for assessor_id in chunk:
            verdict = assess(
                facts_for(loaded, assessor_id, now=now), case, policy, today, stage=Stage.SEARCH
            )
            if verdict.eligible:
                eligible += 1
            failing.update(set(verdict.failed_codes))
    return len(ids), eligible, failing


def phrase(code: str, commission: Commission) -> str:
    """What the assessors failing a rule lack, for this case, after a count ("41 have …")."""
    kind = current_policy().assessment_type(case_description(commission).assessment_type)
    categories = " or ".join(
        label_of(c, "OffenceCategory", lower=True)
        for c in commission.offence_categories
        if c in {m.value for m in OffenceCategory}
    )
    if code == RuleCode.EXPERIENCED.value:
        what = f"assessments of {categories}" if categories else "assessments of this kind"
        return (
            f"have fewer than {kind.min_assessments} {what} in the last {kind.window_years} "
            f"years, or none in the last {kind.last_case_within_years}"
        )
    return {
        "admitted": "are not admitted to the register now",
        "attested": "have not attested their profile recently",
        "regulated": "have no registration with a body accepted for this type of assessment",
        "qualified": "have no qualification accepted for this type of assessment",
        "freshly_verified": "have no recent clear check of their registration",
        "no_restriction": "have a restriction on their registration",
        "trained_in_fitting_tool": "have no current training in a tool that fits this case",
        "special_populations": "have too little experience with the subject's needs "
        "(for example a learning disability or a young subject)",
        "safeguarding_check": "have no current enhanced DBS check",
        "insured": "have no insurance that lasts until the date the assessment is needed by",
        "cpd_and_supervision": "have no recent CPD or supervision",
        "independent": "are not independent for this case",
    }.get(code, "fail the rule “" + label_of(code, "RuleCode") + "”")
