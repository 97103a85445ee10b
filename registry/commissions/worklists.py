"""The officer's and the panel member's work, read from the requests: what needs their action,
what is in progress, and what they decided. Reads only, each scoped to the user's authority."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select

from registry.clock import uk_date_of, utc_now
from registry.commissions.queries import visible_to
from registry.commissions.rules import OPEN
from registry.extensions import db
from registry.models import (
    Commission,
    CommissionStatus,
    ConflictDeclaration,
    PanelDecision,
    Role,
    User,
)

S = CommissionStatus


@dataclass(frozen=True)
class Item:
    """One request on a work list: why it is there, since when, and where to act."""

    commission: Commission
    what: str
    since: datetime
    age: str
    endpoint: str


def ago(since: datetime, now: datetime) -> str:
    """'today', 'yesterday', '3 days ago', '5 weeks ago' (UK dates)."""
    days = (uk_date_of(now) - uk_date_of(since)).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 28:
        return f"{days} days ago"
    weeks = days // 7
    return f"{weeks} weeks ago"


def _own(user: User) -> Select[Commission]:
    return visible_to(user).where(Commission.requester_id == user.id)


def _item(commission: Commission, what: str, since: datetime, now: datetime, endpoint: str) -> Item:
    return Item(commission, what, since, ago(since, now), endpoint)


def officer_needs_action(user: User, *, now: datetime | None = None) -> list[Item]:
    """The officer's own requests that wait for them, oldest first."""
    now = now or utc_now()
    today = uk_date_of(now)
    items: list[Item] = []
    show = "commissions.show"
    for c in db.session.scalars(_own(user).where(Commission.status == S.DRAFT)):
        items.append(_item(c, "Draft to finish", c.updated_at, now, show))
    declined = (
        select(ConflictDeclaration.commission_id, func.max(ConflictDeclaration.declared_at))
        .group_by(ConflictDeclaration.commission_id)
        .subquery()
    )
    for c, at in db.session.execute(
        _own(user)
        .add_columns(declined.c[1])
        .outerjoin(declined, declined.c.commission_id == Commission.id)
        .where(Commission.status == S.SHORTLISTING)
    ):
        what = (
            "Choose an assessor"
            if at is None
            else "The assessor declined or declared a conflict: choose another"
        )
        items.append(_item(c, what, at or c.updated_at, now, "commissions.search_results"))
    for c in db.session.scalars(_own(user).where(Commission.status == S.REJECTED)):
        items.append(_item(c, "Rejected by the panel", c.updated_at, now, show))
    for c in db.session.scalars(_own(user).where(Commission.status == S.APPROVED)):
        items.append(_item(c, "Approved: instruct the assessor", c.updated_at, now, show))
    for c in db.session.scalars(
        _own(user).where(Commission.status == S.INSTRUCTED, Commission.needed_by < today)
    ):
        items.append(_item(c, "Report overdue", c.updated_at, now, show))
    for c in db.session.scalars(
        _own(user).where(Commission.status.in_(OPEN), Commission.flagged_at.is_not(None))
    ):
        assert c.flagged_at is not None
        items.append(_item(c, "The assessor's credentials lapsed", c.flagged_at, now, show))
    return sorted(items, key=lambda i: i.since)


def officer_needs_action_count(user: User, *, now: datetime) -> int:
    """len(officer_needs_action(user)) in one small statement (it runs on every page): per
    status, the officer's requests, those flagged and those overdue; a request counts once for
    each of the lists above it appears in."""
    today = uk_date_of(now)
    rows = db.session.execute(
        _own(user)
        .with_only_columns(
            Commission.status,
            func.count(),
            func.count(Commission.flagged_at),
            func.count(case((Commission.needed_by < today, 1))),
        )
        .group_by(Commission.status)
    )
    count = 0
    for status, requests, flagged, overdue in rows:
        if status in (S.DRAFT, S.SHORTLISTING, S.REJECTED, S.APPROVED):
            count += requests
        if status is S.INSTRUCTED:
            count += overdue
        if status in OPEN:
            count += flagged
    return count


def officer_in_progress(user: User, *, now: datetime | None = None) -> list[Item]:
    """The officer's own requests waiting for someone else, oldest first."""
    now = now or utc_now()
    waiting = {
        S.AWAITING_ASSESSOR: "Waiting for the assessor",
        S.AWAITING_PANEL: "Waiting for the panel",
    }
    rows = db.session.scalars(
        _own(user).where(Commission.status.in_(waiting)).order_by(Commission.updated_at)
    )
    return [_item(c, waiting[c.status], c.updated_at, now, "commissions.show") for c in rows]


def panel_awaiting(user: User, *, now: datetime | None = None) -> list[Item]:
    """Requests awaiting this panel member's decision (never their own), oldest first."""
    now = now or utc_now()
    if user.role is not Role.PANEL_MEMBER:
        return []
    rows = db.session.scalars(_awaiting(user).order_by(Commission.updated_at))
    return [
        _item(c, f"Asked by {c.requester.full_name}", c.updated_at, now, "commissions.show")
        for c in rows
    ]


def _awaiting(user: User) -> Select[Commission]:
    decided = select(PanelDecision.commission_id).where(PanelDecision.decided_by_id == user.id)
    return visible_to(user).where(
        Commission.status == S.AWAITING_PANEL,
        Commission.requester_id != user.id,
        Commission.id.not_in(decided),
    )


def panel_decided(user: User, *, limit: int = 10) -> list[PanelDecision]:
    """This panel member's latest decisions, newest first."""
    return list(
        db.session.scalars(
            select(PanelDecision)
            .join(Commission)
            .where(
                PanelDecision.decided_by_id == user.id,
                Commission.organisation_id == user.organisation_id,
            )
            .order_by(PanelDecision.decided_at.desc())
            .limit(limit)
        )
    )


def navigation_count(user: User, *, now: datetime | None = None) -> int:
    """How many requests wait for this user: shown beside the navigation entry (on every page,
    so one statement: the officer's count is the number of officer_needs_action's items)."""
    now = now or utc_now()
    if user.role is Role.OFFICER:
        return officer_needs_action_count(user, now=now)
    if user.role is Role.PANEL_MEMBER:
        return int(db.session.scalar(_awaiting(user).with_only_columns(func.count())) or 0)
    return 0
