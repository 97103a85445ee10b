"""Why few or no assessors are eligible for a case: the gate run over the admitted register,
its failures counted per rule. Counts only, never who (an ineligible assessor is not named).

The assessors' facts are loaded a chunk at a time (a fixed number of queries per chunk), and
the gate judges each one at the search stage, as the search does. The phrases are written here
from the rule and the case, never taken from an assessor's own sentence (which can name them).

Counting runs the gate over the whole register, about 2 ms an assessor: on a register of more
than INLINE_LIMIT admitted assessors the search page does not count in the request; a job counts
(`count_in_background`) and keeps the counts in Redis, and the page shows the latest counts for
the case with the time they were made, or says that they are being counted (docs/decisions/0014).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from registry import figures_cache
from registry.assessor_facts import facts_for, load
from registry.clock import uk_date_of
from registry.commissions.case import case_description
from registry.eligibility import Stage, assess
from registry.extensions import db
from registry.models import AdmissionStatus, Assessor, Commission
from registry.policy_store import current_policy
from registry.register_state import register_token
from registry.vocabulary import OffenceCategory, RuleCode, label_of

CHUNK = 500
# Counts kept per process until the register changes or the hour turns (as the search's
# candidate lists are): the same case asked again costs one query.
CACHE_ENTRIES = 64
_cache: OrderedDict[tuple[Any, ...], tuple[int, int, Counter[str]]] = OrderedDict()
_cache_lock = threading.Lock()
# Below this many eligible assessors, the search page explains who is missing and why.
FEW = 3
# Up to this many admitted assessors the page counts in the request (well under a second).
INLINE_LIMIT = 200
# Counts kept in Redis for the page, and how long a count in progress holds off another one.
KEPT_SECONDS = 24 * 3600
COUNTING_SECONDS = 15 * 60


@dataclass(frozen=True)
class Shortfall:
    """How many admitted assessors fail each rule for this case (an assessor can fail several).

    `counted_at` is set when the counts were made by a job (shown with their time); `current` is
    False when the register has changed since (a new count is on its way); `counting` with no
    counts yet means only that a count has been asked for."""

    admitted: int
    eligible: int
    # (rule code, number failing, phrase, the case answer the officer could check or None)
    reasons: list[tuple[str, int, str, str | None]]
    counted_at: datetime | None = None
    current: bool = True
    counting: bool = False
    unavailable: bool = False


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
    key = _key(commission, now=now)
    with _cache_lock:
        cached = _cache.get(key) if key[0] is not None else None
    if cached is None:
        cached = _count(commission, now=now)
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
    return _shortfall(commission, cached)


def for_page(commission: Commission, *, now: datetime) -> Shortfall:
    """What the search page shows: counted now on a small register (or where jobs run at once),
    else the latest counts a job made for this case, and a new count asked for if the register
    changed since."""
    from flask import current_app

    key = _key(commission, now=now)
    with _cache_lock:
        cached = _cache.get(key) if key[0] is not None else None
    if cached is not None:
        return _shortfall(commission, cached)
    if current_app.config.get("JOBS_INLINE") or _admitted() <= INLINE_LIMIT:
        return explain(commission, now=now)
    return _from_background(commission, key, now=now)


def count_in_background(commission_id: int) -> str:
    """The job: count for the commission's case now and keep the counts for the page."""
    from registry.clock import utc_now

    commission = db.session.get(Commission, commission_id)
    if commission is None:
        return "gone"
    now = utc_now()
    key = _key(commission, now=now)
    admitted, eligible, failing = _count(commission, now=now)
    kept = {
        "token": key[0],
        "counted_at": now.isoformat(),
        "admitted": admitted,
        "eligible": eligible,
        "failing": dict(failing),
    }
    client = _redis()
    client.set(_store_key(key), json.dumps(kept), ex=KEPT_SECONDS)
    client.delete(_counting_key(key))
    return f"{admitted} admitted, {eligible} eligible"


def _from_background(commission: Commission, key: tuple[Any, ...], *, now: datetime) -> Shortfall:
    import redis

    from registry.jobs.queue import enqueue

    try:
        client = _redis()
        raw = client.get(_store_key(key))
        kept = json.loads(raw) if raw else None
        current = kept is not None and kept["token"] == key[0]
        counting = False
        if not current:
            # One count at a time per case: the first page to ask starts it.
            if client.set(_counting_key(key), "1", nx=True, ex=COUNTING_SECONDS):
                counting = enqueue(
                    "registry.jobs.tasks.count_shortfall",
                    commission.id,
                    description="count why few assessors are eligible for a case",
                )
                if not counting:
                    client.delete(_counting_key(key))
            else:
                counting = True
    except redis.RedisError:
        return Shortfall(0, 0, [], unavailable=True)
    if kept is None:
        return Shortfall(0, 0, [], counting=counting, unavailable=not counting)
    failing = Counter({code: int(n) for code, n in kept["failing"].items()})
    counted = (int(kept["admitted"]), int(kept["eligible"]), failing)
    if current:
        with _cache_lock:
            _cache[key] = counted
    return replace(
        _shortfall(commission, counted),
        counted_at=datetime.fromisoformat(kept["counted_at"]),
        current=current,
        counting=counting,
    )


def _key(commission: Commission, *, now: datetime) -> tuple[Any, ...]:
    """What the counts depend on: the register's latest change, the hour (and so the UK date),
    the policy and the case."""
    return (
        register_token(),
        now.replace(minute=0, second=0, microsecond=0),
        current_policy().version,
        stable_case(case_description(commission)),
    )


def stable_case(case: Any) -> str:
    """The case as text that is the same in every process (a key shared through Redis): its
    sets in sorted order, since the order of a set's repr changes with the process's hash seed."""
    values = {
        name: sorted(str(v) for v in value) if isinstance(value, frozenset | set) else str(value)
        for name, value in sorted(vars(case).items())
    }
    return json.dumps(values, sort_keys=True)


def _store_key(key: tuple[Any, ...]) -> str:
    """The Redis key of the latest counts for a case (whatever the register's token then)."""
    case = hashlib.sha256(repr(key[1:]).encode()).hexdigest()[:32]
    return f"shortfall:{case}"


def _counting_key(key: tuple[Any, ...]) -> str:
    return _store_key(key) + ":counting"


def _redis() -> Any:
    from registry.jobs.queue import connection

    return connection()


def _admitted() -> int:
    """How many assessors are admitted, counted once per state of the register."""
    return figures_cache.cached(
        ("shortfall.admitted",),
        lambda: int(
            db.session.scalar(
                select(func.count()).where(Assessor.admission_status == AdmissionStatus.ADMITTED)
            )
            or 0
        ),
    )


def _shortfall(commission: Commission, counted: tuple[int, int, Counter[str]]) -> Shortfall:
    admitted, eligible, failing = counted
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
