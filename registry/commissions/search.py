"""Finding eligible assessors for a case: SQL narrows to plausible candidates, the gate decides.

The SQL conditions are only necessary ones (admitted, a registration with an accepted body, an
experience entry in each offence category, insurance beyond the needed-by date, the officer's
filters); whether an assessor is eligible is decided by the gate alone, never here.

The ranked candidate ids are cached in the process (docs/decisions/0012), keyed by the case, the
filters, the policy version, the hour, and the token of the register's latest change: any write
to what the query reads appends a new token, so a cached list is never used after the register
changed. The gate's verdicts on those candidates are kept under the same key with the whole
case (docs/decisions/0014): the gate is a pure function of the facts, the case, the policy and
the UK date, and within one token and one hour none of them can change, so a verdict kept is the
verdict the gate would give again. A change to the register gives a new token, and the next
search judges afresh.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, String, and_, cast, exists, func, select

from registry.assessor_facts import Loaded, facts_for, load
from registry.clock import uk_date_of
from registry.commissions.case import case_description
from registry.commissions.verdicts import conflict_fact
from registry.eligibility import Eligibility, Stage, assess
from registry.extensions import db
from registry.models import (
    AdmissionStatus,
    Assessor,
    Attestation,
    Commission,
    CpdRecord,
    ExperienceEntry,
    Insurance,
    Registration,
    Supervision,
    ToolTraining,
    VerificationCheck,
)
from registry.policy_store import current_policy
from registry.register_state import register_token
from registry.vocabulary import REGIONS, Availability

PAGE_SIZE = 10
# Candidates judged per round trip, as a multiple of the results wanted: enough that one load
# (a fixed number of queries) usually fills the page, whatever the page or register size.
CHUNK_FACTOR = 3
# Ranked candidate lists kept per process (least recently used dropped first).
CACHE_ENTRIES = 256
_cache: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
_cache_lock = threading.Lock()
# How far the gate has got through a ranked list, kept per process: the eligible results found
# so far and how many candidates were judged (least recently used dropped first).
PROGRESS_ENTRIES = 256
_progress: OrderedDict[tuple[Any, ...], Progress] = OrderedDict()
# The filters offered: who is taking new work, fully or in part.
AVAILABILITY = {m.value: m.label for m in (Availability.AVAILABLE, Availability.LIMITED)}


@dataclass(frozen=True)
class Filters:
    """The officer's filters (not identifying: they may travel in the URL)."""

    region: str = ""
    language: str = ""
    availability: str = ""
    tool: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        """Filters from a query string, ignoring anything malformed."""
        page = args.get("page", "1")
        return cls(
            region=args.get("region", "") if args.get("region", "") in REGIONS else "",
            language=args.get("language", "").strip()[:40],
            availability=args.get("availability", "")
            if args.get("availability", "") in AVAILABILITY
            else "",
            tool=args.get("tool", "")[:40],
            page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
        )


@dataclass(frozen=True)
class Shown:
    """What the results page shows of an assessor: plain values, not a database row, so that a
    result can outlive the request that judged it."""

    id: int
    legal_name: str
    professional_title: str | None
    regions: tuple[str, ...]
    languages: tuple[str, ...]

    @classmethod
    def of(cls, assessor: Assessor) -> Shown:
        return cls(
            assessor.id,
            assessor.legal_name,
            assessor.professional_title,
            tuple(assessor.regions or ()),
            tuple(assessor.languages or ()),
        )


@dataclass(frozen=True)
class Result:
    """An eligible assessor with the reasons, and how well they fit the case."""

    assessor: Shown
    eligibility: Eligibility
    relevant_assessments: int
    last_relevant_case: Any


@dataclass(frozen=True)
class Progress:
    """The gate's way through one ranked candidate list: the eligible results in rank order,
    and how many candidates (from the top) have been judged."""

    results: tuple[Result, ...] = ()
    judged: int = 0


@dataclass(frozen=True)
class Page:
    """One page of eligible assessors; total is None when not every candidate was judged."""

    results: list[Result]
    total: int | None
    page: int
    has_next: bool


def filter_options() -> dict[str, Any]:
    """Choices for the filter form."""
    return {
        "regions": REGIONS,
        "availability": AVAILABILITY,
        "tools": [(t.code, t.name) for t in current_policy().tools],
    }


def candidate_ids(commission: Commission, filters: Filters, *, now: datetime) -> list[int]:
    """Assessors who could possibly be eligible (necessary conditions only), best fit first.

    Fit is the number of assessments in the case's offence categories, then the most recent
    such case: ranking in SQL lets the gate stop once a page is full.
    """
    case = case_description(commission)
    rule = current_policy().assessment_type(case.assessment_type)
    bodies = sorted({accepted.body for accepted in rule.registrations})
    freshness = current_policy().freshness
    longest = max(freshness.registration_check_days, freshness.manual_registration_check_days)
    # From the start of the hour: a window that starts earlier only lets more through, so the
    # condition stays a necessary one for the whole hour the cached list may be used.
    window = _hour(now) - timedelta(days=longest)
    # Two days' margin for the gate counting UK dates where the rows hold UTC instants.
    lenient = _hour(now) - timedelta(days=2)
    categories = sorted(str(c) for c in case.offence_categories)
    # Fit: assessments in the case's offence categories; for a type with no offending to match
    # (a parent or carer), assessments of the type's own kind in any category.
    relevant = (
        ExperienceEntry.offence_category.in_(categories)
        if rule.subject_is_offender
        else ExperienceEntry.assessment_purpose.in_([str(p) for p in rule.experience_purposes])
    )
    fit = (
        select(
            ExperienceEntry.assessor_id.label("assessor_id"),
            func.sum(ExperienceEntry.count).label("assessments"),
            func.max(ExperienceEntry.last_case_on).label("last_case"),
        )
        .where(relevant)
        .group_by(ExperienceEntry.assessor_id)
        .subquery()
    )
    query = (
        select(Assessor.id)
        .join(fit, fit.c.assessor_id == Assessor.id)
        .where(Assessor.admission_status == AdmissionStatus.ADMITTED)
        .where(
            exists().where(
                Registration.assessor_id == Assessor.id,
                Registration.body.in_(bodies),
                exists().where(
                    VerificationCheck.registration_id == Registration.id,
                    VerificationCheck.outcome == "clear",
                    VerificationCheck.checked_at >= window,
                ),
            )
        )
        .where(
            exists().where(
                Insurance.assessor_id == Assessor.id, Insurance.expires_on > commission.needed_by
            )
        )
        # "Attested", "CPD and supervision": the gate reads the latest accepted row; any row
        # inside a window a little wider than the policy's is necessary for that.
        .where(
            exists().where(
                Attestation.assessor_id == Assessor.id,
                Attestation.attested_at >= lenient - timedelta(days=freshness.attestation_days),
            )
        )
        .where(
            exists().where(
                CpdRecord.assessor_id == Assessor.id,
                CpdRecord.completed_on
                >= (lenient - timedelta(days=31 * freshness.cpd_months)).date(),
            )
        )
        .where(exists().where(Supervision.assessor_id == Assessor.id))
        .order_by(
            fit.c.assessments.desc(), fit.c.last_case.desc(), Assessor.legal_surname, Assessor.id
        )
    )
    for category in categories:
        query = query.where(
            exists().where(
                ExperienceEntry.assessor_id == Assessor.id,
                ExperienceEntry.offence_category == category,
            )
        )
    return list(db.session.scalars(_filtered(query, filters)))


def _ranked(
    commission: Commission, filters: Filters, key: tuple[Any, ...] | None, *, now: datetime
) -> list[int]:
    """candidate_ids, from the process's cache while the register has not changed this hour."""
    if key is None:
        return candidate_ids(commission, filters, now=now)
    with _cache_lock:
        ids = _cache.get(key)
        if ids is not None:
            _cache.move_to_end(key)
            return ids
    ids = candidate_ids(commission, filters, now=now)
    with _cache_lock:
        _cache[key] = ids
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return ids


def _cache_key(
    commission: Commission, filters: Filters, *, now: datetime
) -> tuple[Any, ...] | None:
    """What a ranked list depends on: the register's latest change, the hour, the policy, the
    case and the filters. None before any change is logged (nothing is cached then)."""
    token = register_token()
    if token is None:
        return None
    case = case_description(commission)
    policy = current_policy()  # loaded once per app: its identity stands for its content
    return (
        token,
        _hour(now),
        policy.version,
        id(policy),
        str(case.assessment_type),
        tuple(sorted(str(c) for c in case.offence_categories)),
        commission.needed_by,
        (filters.region, filters.language, filters.availability, filters.tool),
    )


def clear_cache() -> None:
    """Forget every cached candidate list and verdict (benchmarks measure the cold path)."""
    with _cache_lock:
        _cache.clear()
        _progress.clear()


def _hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def _filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    if filters.availability:
        query = query.where(Assessor.availability == filters.availability)
    if filters.region:
        query = query.where(cast(Assessor.regions, String).like(f"%{json.dumps(filters.region)}%"))
    if filters.language:
        pattern = f"%{filters.language.lower()}%"
        query = query.where(func.lower(cast(Assessor.languages, String)).like(pattern))
    if filters.tool:
        query = query.where(
            exists().where(
                and_(
                    ToolTraining.assessor_id == Assessor.id, ToolTraining.tool_code == filters.tool
                )
            )
        )
    return query


def find_eligible(commission: Commission, filters: Filters, *, now: datetime) -> Page:
    """Eligible assessors for the commission, best fit first, one page at a time.

    Candidates come ranked from SQL and are judged by the gate a chunk at a time, only until
    the requested page (and one more result, to know there is a next page) is filled; the
    total is exact once every candidate has been judged. How far the gate got is kept with the
    ranked list, so the next page, or the same page again, judges only candidates not yet
    judged while the register is unchanged.
    """
    key = _cache_key(commission, filters, now=now)
    ids = _ranked(commission, filters, key, now=now)
    case, policy, today = case_description(commission), current_policy(), uk_date_of(now)
    # The verdicts depend on the whole case and on the UK date, besides the ranked list's key.
    progress_key = None if key is None else (*key, case, today)
    progress = _remembered(progress_key)
    wanted = filters.page * PAGE_SIZE + 1
    results = list(progress.results)
    judged = progress.judged
    chunk_size = CHUNK_FACTOR * wanted
    while judged < len(ids) and len(results) < wanted:
        chunk = ids[judged : judged + chunk_size]
        judged += len(chunk)
        loaded = load(chunk)
        for assessor_id in chunk:
            eligibility = assess(
                facts_for(loaded, assessor_id, now=now), case, policy, today, stage=Stage.SEARCH
            )
            if eligibility.eligible:
                results.append(_result(loaded, assessor_id, eligibility, commission))
    if judged > progress.judged:
        _remember(progress_key, Progress(tuple(results), judged))
    exhausted = judged >= len(ids)
    last_page = max(1, -(-len(results) // PAGE_SIZE)) if exhausted else filters.page
    page = min(filters.page, last_page)
    start = (page - 1) * PAGE_SIZE
    return Page(
        results[start : start + PAGE_SIZE],
        len(results) if exhausted else None,
        page,
        has_next=len(results) > page * PAGE_SIZE,
    )


def _remembered(key: tuple[Any, ...] | None) -> Progress:
    if key is None:
        return Progress()
    with _cache_lock:
        progress = _progress.get(key)
        if progress is None:
            return Progress()
        _progress.move_to_end(key)
        return progress


def _remember(key: tuple[Any, ...] | None, progress: Progress) -> None:
    if key is None:
        return
    with _cache_lock:
        kept = _progress.get(key)
        if kept is None or kept.judged < progress.judged:
            _progress[key] = progress
            _progress.move_to_end(key)
        while len(_progress) > PROGRESS_ENTRIES:
            _progress.popitem(last=False)


def _result(
    loaded: Loaded, assessor_id: int, eligibility: Eligibility, commission: Commission
) -> Result:
    relevant = [
        e
        for e in loaded.rows(ExperienceEntry, assessor_id)
        if e.offence_category in commission.offence_categories
    ]
    return Result(
        Shown.of(loaded.assessors[assessor_id]),
        eligibility,
        sum(max(e.count, 0) for e in relevant),
        max((e.last_case_on for e in relevant), default=None),
    )


def why_not(
    commission: Commission, name: str, *, now: datetime
) -> list[tuple[Assessor, Eligibility]]:
    """Assessors whose name matches, each with the gate's verdict for this commission."""
    pattern = f"%{name.strip().lower()}%"
    ids = db.session.scalars(
        select(Assessor.id)
        .where(func.lower(Assessor.legal_given_names + " " + Assessor.legal_surname).like(pattern))
        .order_by(Assessor.legal_surname)
        .limit(10)
    ).all()
    loaded = load(ids)
    case, policy, today = case_description(commission), current_policy(), uk_date_of(now)
    return [
        (
            loaded.assessors[i],
            assess(
                facts_for(loaded, i, now=now, conflict=conflict_fact(commission, i)),
                case,
                policy,
                today,
                stage=Stage.SEARCH,
            ),
        )
        for i in ids
    ]
