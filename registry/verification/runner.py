"""The scheduled job: re-check every registration that is due, politely and concurrently.

Each register gets its own small pool, behind its politeness cap (the register's gate allows at
most its max_concurrency requests at once), so a slow register never holds up the others and the
slowest register bounds the whole run. Only the calling thread touches the database: workers do
HTTP and parsing and hand back results.

Memory stays flat however many registrations are due: the registrations are read in small
batches by id as their register's pool needs more work, each register has only a few lookups
queued at a time, and each batch of results is recorded, committed and let go.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from registry.extensions import db
from registry.models import Registration
from registry.registers import LookupResult, RegisterAdapter
from registry.registers.breakers import DEFAULT_MAX_CONCURRENCY
from registry.verification.service import (
    LookupRequest,
    Recorded,
    adapter_for,
    due_registrations_query,
    load_registrations,
    lookup_requests,
    notify_if_lapsed,
    record_results,
    registration_bodies,
    run_lookup,
)

COMMIT_EVERY = 50
# Registrations read per query as a register's pool needs more lookups.
LOAD_EVERY = 100
# Lookups handed to a register's pool and not yet taken back, per lookup thread.
QUEUED_PER_THREAD = 4


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


def lookup_threads(adapter: RegisterAdapter) -> int:
    """Threads for a register's pool: one more than the requests its gate lets run at once.

    The gate holds a request slot only while a page is fetched; the extra thread is ready to take
    a slot the moment one frees, while another thread reads the page it just fetched. So the
    register is asked no more often at once than before, and its slots are never idle for
    parsing.
    """
    gate = getattr(getattr(adapter, "client", None), "gate", None)
    return getattr(gate, "max_concurrency", DEFAULT_MAX_CONCURRENCY) + 1


class _Register:
    """One register's part of a run: the ids still to read, the lookups ready, its pool."""

    def __init__(self, body: str, ids: list[int]) -> None:
        self.body = body
        self.ids = deque(ids)
        self.ready: deque[LookupRequest] = deque()
        self.adapter = adapter_for(body)
        threads = lookup_threads(self.adapter)
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=body)
        self.queue_limit = threads * QUEUED_PER_THREAD
        self.queued = 0

    def next_request(self) -> LookupRequest | None:
        """The next lookup to hand out, reading the next few registrations when none is ready."""
        while not self.ready and self.ids:
            chunk = [self.ids.popleft() for _ in range(min(LOAD_EVERY, len(self.ids)))]
            self.ready.extend(lookup_requests(chunk))
        return self.ready.popleft() if self.ready else None

    def top_up(self, in_flight: InFlight, now: datetime) -> None:
        """Hand the pool lookups until it has its fill queued, or none is left."""
        while self.queued < self.queue_limit:
            request = self.next_request()
            if request is None:
                return
            future = self.pool.submit(run_lookup, self.adapter, request, now)
            in_flight[future] = (self, request.registration_id)
            self.queued += 1


InFlight = dict[Future[LookupResult], tuple[_Register, int]]


def verify_due(
    *, now: datetime, limit: int | None = None, progress: Callable[[int], None] | None = None
) -> DueSummary:
    """Re-check every due registration (up to `limit`), recording results in batches as they arrive.

    Each batch of COMMIT_EVERY results is recorded against its registrations as the database has
    them then, loaded in one query, with one flush for the batch's checks, and committed.
    """
    ids = claim_due(now=now, limit=limit)
    registers = {body: _Register(body, found) for body, found in registration_bodies(ids).items()}
    del ids
    summary = DueSummary()
    in_flight: InFlight = {}
    try:
        for register in registers.values():
            register.top_up(in_flight, now)
        _collect(in_flight, summary, now, progress)
    finally:
        for register in registers.values():
            register.pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _collect(
    in_flight: InFlight,
    summary: DueSummary,
    now: datetime,
    progress: Callable[[int], None] | None,
) -> None:
    """Take results as they come, record them in batches, and keep each register's pool fed."""
    batch: list[tuple[int, LookupResult]] = []
    while in_flight:
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        answered: dict[str, _Register] = {}
        for future in done:
            register, registration_id = in_flight.pop(future)
            register.queued -= 1
            answered[register.body] = register
            batch.append((registration_id, future.result()))
            if progress:
                progress(1)
            if len(batch) >= COMMIT_EVERY:
                _record_batch(batch, summary, now)
                batch = []
        for register in answered.values():
            register.top_up(in_flight, now)
    if batch:
        _record_batch(batch, summary, now)


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
