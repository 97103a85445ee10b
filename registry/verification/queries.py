"""Reads for the register managers' verification pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql import Subquery

from registry.extensions import db
from registry.models import AuditEvent, Registration, VerificationCheck
from registry.paging import fetch_page
from registry.policy_store import current_policy
from registry.registers import AUTOMATED_BODIES
from registry.verification.register_standing import CLEAR, UNREADABLE, Standing
from registry.verification.service import standing
from registry.vocabulary import CheckMethod


@dataclass(frozen=True)
class RegistrationRow:
    """A registration with its standing, for a list."""

    registration: Registration
    standing: Standing


# The standings that need attention, worst first (the list's order, then the registration's id).
ATTENTION_ORDER = (
    "blocked",
    "not_found",
    "name_mismatch",
    "restricted",
    "unreadable",
    "expired",
    "unchecked",
)
PAGE_SIZE = 25


@dataclass(frozen=True)
class AttentionPage:
    """One page of the registrations that are not clear, worst first."""

    rows: list[RegistrationRow]
    total: int
    page: int
    pages: int


def _ranked(now: datetime) -> Subquery:
    """Every registration's id with the rank of its standing in ATTENTION_ORDER (-1 for clear):
    the standing of register_standing.standing_of, worked out by the database. The latest check
    that read the register decides; a clear one counts only while fresh."""
    freshness = current_policy().freshness
    read = aliased(VerificationCheck)
    latest_read = (
        select(read.id)
        .where(read.registration_id == Registration.id, read.outcome != UNREADABLE)
        .order_by(read.checked_at.desc(), read.id.desc())
        .limit(1)
        .correlate(Registration)
        .scalar_subquery()
    )
    checked = (
        select(VerificationCheck.id)
        .where(VerificationCheck.registration_id == Registration.id)
        .correlate(Registration)
        .exists()
    )
    latest = aliased(VerificationCheck)
    stale = and_(
        latest.outcome == CLEAR,
        or_(
            and_(
                latest.method == CheckMethod.MANUAL,
                latest.checked_at < now - timedelta(days=freshness.manual_registration_check_days),
            ),
            and_(
                latest.method != CheckMethod.MANUAL,
                latest.checked_at < now - timedelta(days=freshness.registration_check_days),
            ),
        ),
    )
    rank = case(
        (latest.id.is_(None) & ~checked, ATTENTION_ORDER.index("unchecked")),
        (latest.id.is_(None), ATTENTION_ORDER.index("unreadable")),
        (stale, ATTENTION_ORDER.index("expired")),
        *(
            (latest.outcome == outcome, ATTENTION_ORDER.index(outcome))
            for outcome in ATTENTION_ORDER
            if outcome not in ("unchecked", "expired")
        ),
        else_=-1,  # clear and fresh
    ).label("rank")
    return (
        select(Registration.id.label("id"), rank)
        .outerjoin(latest, latest.id == latest_read)
        .subquery("ranked")
    )


def count_needing_attention(*, now: datetime) -> int:
    """How many registrations are not clear."""
    ranked = _ranked(now)
    return db.session.scalar(select(func.count()).where(ranked.c.rank >= 0)) or 0


def needing_attention(
    *, now: datetime, page: int = 1, per_page: int | None = None
) -> AttentionPage:
    """The registrations whose standing is not clear, worst first, a page at a time (a page past
    the end is the last page)."""
    per_page = per_page or PAGE_SIZE
    ranked = _ranked(now)
    found, total, page, pages = fetch_page(
        select(ranked.c.id).where(ranked.c.rank >= 0).order_by(ranked.c.rank, ranked.c.id),
        page,
        per_page,
    )
    ids = [registration_id for (registration_id,) in found]
    loaded = {
        r.id: r
        for r in db.session.scalars(
            select(Registration)
            .where(Registration.id.in_(ids))
            .options(selectinload(Registration.assessor), selectinload(Registration.checks))
        )
    }
    rows = [RegistrationRow(loaded[i], standing(loaded[i], now=now)) for i in ids]
    return AttentionPage(rows, total, page, pages)


def canary_states() -> dict[str, AuditEvent | None]:
    """The latest canary result per automatically checked register."""
    states: dict[str, AuditEvent | None] = {}
    for body in AUTOMATED_BODIES:
        states[body] = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "registers.canary")
            .where(AuditEvent.object_type == body)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(1)
        )
    return states
