"""The scheduled job: re-check every registration that is due, politely and concurrently.

Each register gets its own small pool (its politeness cap), so a slow register never holds up
the others and the slowest register bounds the whole run. Only the calling thread touches the
database: workers do HTTP and hand back results.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from registry.extensions import db
from registry.models import Registration
from registry.registers import LookupResult
from registry.registers.breakers import DEFAULT_MAX_CONCURRENCY
from registry.verification.service import (
    Recorded,
    adapter_for,
    due_registrations_query,
    load_registrations,
    lookup_request,
    notify_if_lapsed,
    record_results,
    run_lookup,
)

COMMIT_EVERY = 50


@dataclass
class DueSummary:
    """What a verify-due run did, per register and outcome."""

    outcomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    lapsed: int = 0

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.outcomes.values())

    @property
    def unreadable_registers(self) -> list[str]:
        return sorted(body for body, c in self.outcomes.items() if c["unreadable"])


def claim_due(*, now: datetime, limit: int | None) -> list[int]:
    """Claim due registrations for this run; a concurrent run never gets the same ones."""
    candidates = due_registrations_query(now).order_by(
        Registration.next_check_due.nulls_first(), Registration.id
    )
    if limit:
        candidates = candidates.limit(limit)
    minutes = current_app.config["VERIFY_CLAIM_MINUTES"]
    claimed = db.session.scalars(
        update(Registration)
        .where(Registration.id.in_(candidates.scalar_subquery()))
        .where((Registration.claimed_until.is_(None)) | (Registration.claimed_until < now))
        .values(claimed_until=now + timedelta(minutes=minutes))
        .returning(Registration.id)
    ).all()
    db.session.commit()
    return sorted(claimed)


def verify_due(
    *, now: datetime, limit: int | None = None, progress: Callable[[int], None] | None = None
) -> DueSummary:
    """Re-check every due registration (up to `limit`), recording results in batches as they arrive.

    Each batch of COMMIT_EVERY results is recorded against its registrations as the database has
    them then, loaded in one query, with one flush for the batch's checks, and committed.
    """
    ids = claim_due(now=now, limit=limit)
    registrations = {r.id: r for r in load_registrations(ids)}
    by_body: dict[str, list[Registration]] = defaultdict(list)
    for registration in registrations.values():
        by_body[registration.body].append(registration)
    pools = {
        body: ThreadPoolExecutor(max_workers=DEFAULT_MAX_CONCURRENCY, thread_name_prefix=body)
        for body in by_body
    }
    summary = DueSummary()
    try:
        futures: dict[Future, int] = {}
        for body, items in by_body.items():
            adapter = adapter_for(body)
            for registration in items:
                request = lookup_request(registration)
                futures[pools[body].submit(run_lookup, adapter, request, now)] = registration.id
        batch: list[tuple[int, LookupResult]] = []
        for done, future in enumerate(as_completed(futures), start=1):
            batch.append((futures[future], future.result()))
            if progress:
                progress(1)
            if done % COMMIT_EVERY == 0 or done == len(futures):
                _record_batch(batch, summary, now)
                batch = []
    finally:
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _record_batch(
    batch: list[tuple[int, LookupResult]], summary: DueSummary, now: datetime
) -> None:
    """Record (registration id, result) pairs, notify any lapse, and commit."""
    registrations = {r.id: r for r in load_registrations([rid for rid, _ in batch])}
    recorded = record_results(
        [(registrations[registration_id], result) for registration_id, result in batch],
        performed_by=None,
        label="Scheduled check (verify-due)",
        now=now,
    )
    for one in recorded:
        summary.outcomes[one.check.registration.body][one.check.outcome] += 1
    _commit_and_notify(recorded, summary, now)


def _commit_and_notify(pending: list[Recorded], summary: DueSummary, now: datetime) -> None:
    """Notify any lapse in the batch's unit of work, then commit it (emails follow the commit)."""
    for recorded in pending:
        if recorded.lapsed:
            summary.lapsed += 1
            notify_if_lapsed(recorded, now=now)
    db.session.commit()
    pending.clear()
