"""The audit trail's hash chain (LOG-05): each row holds the SHA-256 of its content and of the
row before it, so an edited, removed or reordered row breaks the chain at that point.

There are two chains, one for pure security events and one for evidence, because the retention
purge (LOG-06) deletes old security events only: each chain is then purged from its oldest end,
and its head records where it now starts (base_seq, base_hash).

Rows are chained when the session flushes them. The flush first locks the chain's head row
(SELECT ... FOR UPDATE on PostgreSQL), so concurrent transactions chain one after the other; the
lock is held until the transaction ends. SQLite serialises writers anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, scoped_session

from registry.models.audit import AuditChainHead, AuditEvent

GENESIS = "0" * 64
CHAINS = ("evidence", "security")
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_role",
    "actor_organisation_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "outcome",
    "ip",
    "request_id",
    "security_only",
)

# The app's scoped session or a plain one (the owner role's, in the purge).
AnySession = Session | scoped_session[Any]


def chain_of(row: AuditEvent) -> str:
    """The chain a row belongs to."""
    return "security" if row.security_only else "evidence"


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict | list):
        # As the JSON column will give it back: string keys, lists for tuples.
        return json.loads(json.dumps(value, default=str))
    return value


def row_hash(row: AuditEvent, *, chain_seq: int, prev_hash: str) -> str:
    """The SHA-256 (hex) of a row's content, its position and the previous row's hash."""
    content = {name: _canonical(getattr(row, name)) for name in HASHED_FIELDS}
    content["security_only"] = bool(content["security_only"])
    content.update(chain=chain_of(row), chain_seq=chain_seq, prev_hash=prev_hash)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def lock_head(session: AnySession, chain: str) -> AuditChainHead:
    """The chain's head row, locked until the transaction ends (created if missing)."""
    if session.connection().dialect.name == "sqlite":
        # SQLite has no row locks, and its driver runs a SELECT outside any transaction: read
        # the head with a write that changes nothing, which takes the database's write lock, so
        # that no other process can move the head before this transaction ends.
        head = session.scalar(
            update(AuditChainHead)
            .where(AuditChainHead.chain == chain)
            .values(last_seq=AuditChainHead.last_seq)
            .returning(AuditChainHead)
            .execution_options(populate_existing=True, synchronize_session=False)
        )
    else:
        head = session.scalar(
            select(AuditChainHead)
            .where(AuditChainHead.chain == chain)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    if head is None:
        head = AuditChainHead(
            chain=chain, last_seq=0, last_hash=GENESIS, base_seq=1, base_hash=GENESIS
        )
        session.add(head)
    return head


@event.listens_for(Session, "before_flush")
def _chain_new_rows(session: Session, _flush_context, _instances) -> None:
    """Give every new audit row its place in its chain before it is inserted."""
    new = [o for o in session.new if isinstance(o, AuditEvent) and o.row_hash is None]
    if not new:
        return
    with session.no_autoflush:
        for chain in CHAINS:
            rows = [row for row in new if chain_of(row) == chain]
            if rows:
                _append(lock_head(session, chain), rows)


def _append(head: AuditChainHead, rows: Iterable[AuditEvent]) -> None:
    for row in rows:
        # The column defaults, applied now so that the hash covers the stored values.
        row.outcome = row.outcome or "success"
        row.security_only = bool(row.security_only)
        seq = head.last_seq + 1
        row.chain_seq, row.prev_hash = seq, head.last_hash
        row.row_hash = row_hash(row, chain_seq=seq, prev_hash=head.last_hash)
        head.last_seq, head.last_hash = seq, row.row_hash


@dataclass(frozen=True)
class ChainReport:
    """The result of walking both chains: how many rows, and the first broken link if any."""

    events: int
    first_break: str | None
    broken_event_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def as_dict(self) -> dict[str, Any]:
        return {"events": self.events, "first_break": self.first_break}


def verify_chain(session: AnySession) -> ChainReport:
    """Walk each chain from its base (after any purge) to its head."""
    events = 0
    for chain in CHAINS:
        count, problem, event_id = _verify_one(session, chain)
        events += count
        if problem is not None:
            return ChainReport(events, problem, event_id)
    return ChainReport(events, None)


def _verify_one(session: AnySession, chain: str) -> tuple[int, str | None, int | None]:
    head = session.get(AuditChainHead, chain)
    expected_seq = head.base_seq if head else 1
    expected_prev = head.base_hash if head else GENESIS
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.security_only.is_(chain == "security"))
        .order_by(AuditEvent.chain_seq.nulls_first(), AuditEvent.id)
        .execution_options(yield_per=1000)
    )
    count = 0
    try:
        for row in rows:
            problem = _check_link(row, expected_seq, expected_prev)
            if problem is not None:
                return count, f"{chain} chain, event {row.id}: {problem}", row.id
            count += 1
            # _check_link has just found both equal to what was expected, so neither is None.
            expected_seq, expected_prev = (row.chain_seq or 0) + 1, row.row_hash or ""
    finally:
        rows.close()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    if (last_seq, last_hash) != (expected_seq - 1, expected_prev):
        return count, f"{chain} chain: its newest events are missing (up to #{last_seq})", None
    return count, None, None


def _check_link(row: AuditEvent, expected_seq: int, expected_prev: str) -> str | None:
    if row.chain_seq is None or row.row_hash is None:
        return "it has no hash (inserted outside the application)"
    if row.chain_seq != expected_seq:
        return f"it is #{row.chain_seq} where #{expected_seq} was expected (events missing)"
    if row.prev_hash != expected_prev:
        return "its link to the previous event does not match (an earlier event was changed)"
    if row_hash(row, chain_seq=row.chain_seq, prev_hash=row.prev_hash) != row.row_hash:
        return "its content does not match its hash (the event was changed)"
    return None


VERIFIED = "audit.chain_verified"


def record_verification(report: ChainReport, *, now: datetime) -> None:
    """Append the result of a verification to the trail (the dashboard shows the latest)."""
    from registry.audit import record_security_event
    from registry.extensions import db

    record_security_event(
        None,
        VERIFIED,
        at=now,
        outcome="success" if report.ok else "failure",
        after=report.as_dict(),
    )
    db.session.commit()


def latest_verification(session: AnySession) -> AuditEvent | None:
    """The newest recorded verification of the chain, if any."""
    return session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == VERIFIED)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
