"""The expiries dashboard's reads, in SQL: a page of the dated items due within a window, how many
there are, and how many fall due per week (issue 14: the register's size must not cost each page).

The due dates are those of reminders.py (`dated_items`), computed by the database: the latest
attestation plus the attestation period (from its UK date), a DBS certificate off the Update
Service plus its years (29 February gives 28 February), insurance's expiry, a tool's refresher
date, and the end of the period the latest readable check of a registration showed. Each kind's
window is applied to its own column (an index can serve it); only the rows in the window get a
computed due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, Select

from registry.clock import UK, uk_date_of
from registry.extensions import db
from registry.models import (
    AdmissionStatus,
    Assessor,
    Attestation,
    DbsCheck,
    Insurance,
    Registration,
    ReminderSent,
    ToolTraining,
    VerificationCheck,
)
from registry.paging import fetch_page
from registry.policy_store import current_policy
from registry.vetting import trends
from registry.vetting.reminders import DueItem, ExpiryRow, _add_years

PAGE_SIZE = 25
# The order of the kinds on a day (after the assessor's surname), as reminders.dated_items.
KINDS = ("attestation", "dbs_check", "insurance", "tool_training", "registration")
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ExpiriesPage:
    """One page of the dated items due within the window, soonest first."""

    rows: list[ExpiryRow]
    total: int
    page: int
    pages: int


# --------------------------------------------------------------------------- dates in SQL


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _add_days(day: Any, days: int) -> ColumnElement[Any]:
    if _postgres():
        return type_coerce(day + literal_column(str(int(days)), Integer), Date)
    return type_coerce(func.date(day, f"{int(days):+d} days"), Date)


def _plus_years(day: Any, years: int) -> ColumnElement[Any]:
    """The date `years` later; 29 February gives 28 February in a common year (as _add_years)."""
    if _postgres():
        return cast(day + literal_column(f"interval '{int(years)} years'"), Date)
    later = func.date(day, f"+{int(years)} years")
    # SQLite rolls 29 February over to 1 March; step back to 28 February.
    rolled = and_(func.strftime("%m-%d", day) == "02-29", func.strftime("%m-%d", later) == "03-01")
    return type_coerce(case((rolled, func.date(later, "-1 day")), else_=later), Date)


def _uk_date(moment: Any) -> ColumnElement[Any]:
    """The UK calendar date of a UTC timestamp (uk_date_of), in the database."""
    if _postgres():
        return cast(func.timezone("Europe/London", moment), Date)
    # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'. British Summer Time runs from 01:00 UTC on
    # the last Sunday of March to 01:00 UTC on the last Sunday of October.
    # Only a moment in the last hour of a UTC day can fall on the next UK day, so the summer
    # time bounds are worked out for those alone.
    year = func.substr(moment, 1, 4)
    starts = func.datetime(year + "-03-31", "-6 days", "weekday 0", "+1 hour")
    ends = func.datetime(year + "-10-31", "-6 days", "weekday 0", "+1 hour")
    next_day = and_(func.substr(moment, 12, 2) == "23", moment >= starts, moment < ends)
    return type_coerce(
        case((next_day, func.date(moment, "+1 hour")), else_=func.date(moment)), Date
    )


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UK).astimezone(UTC)


def _years_before(day: date, years: int) -> date:
    """The latest date whose anniversary `years` on (_add_years) is on or before `day`."""
    earlier = _add_years(day, -years)
    while _add_years(earlier + timedelta(days=1), years) <= day:
        earlier += timedelta(days=1)
    return earlier


# --------------------------------------------------------------------------- the dated items


def _dated_items(horizon: date, kind: str | None) -> Any:
    """Every dated item due on or before the horizon, of the kind (or every kind), as rows of
    (assessor_id, item_type, rank, item_id, due_on, detail)."""
    policy = current_policy()
    branches: list[Select[Any]] = []

    def add(name: str, item_id: Any, due_on: Any, detail: Any) -> Select[Any]:
        return select(
            literal_column(f"'{name}'", String).label("item_type"),
            literal_column(str(KINDS.index(name)), Integer).label("rank"),
            item_id.label("item_id"),
            due_on.label("due_on"),
            detail.label("detail"),
        )

    wanted = [k for k in KINDS if kind is None or k == kind]
    if "attestation" in wanted:
        days = policy.freshness.attestation_days
        later = aliased(Attestation)
        newer = (
            select(later.id)
            .where(
                later.assessor_id == Attestation.assessor_id,
                or_(
                    later.attested_at > Attestation.attested_at,
                    and_(later.attested_at == Attestation.attested_at, later.id > Attestation.id),
                ),
            )
            .exists()
        )
        branches.append(
            add(
                "attestation",
                Attestation.id,
                _add_days(_uk_date(Attestation.attested_at), days),
                literal_column("''", String),
            )
            .add_columns(Attestation.assessor_id.label("assessor_id"))
            .where(
                Attestation.attested_at < _uk_midnight(horizon - timedelta(days=days - 1)),
                ~newer,
            )
        )
    if "dbs_check" in wanted:
        years = policy.safeguarding.dbs_certificate_years
        branches.append(
            add("dbs_check", DbsCheck.id, _plus_years(DbsCheck.issued_on, years), DbsCheck.level)
            .add_columns(DbsCheck.assessor_id.label("assessor_id"))
            .where(
                DbsCheck.update_service.is_(False),
                DbsCheck.issued_on <= _years_before(horizon, years),
            )
        )
    if "insurance" in wanted:
        branches.append(
            add("insurance", Insurance.id, Insurance.expires_on, Insurance.insurer)
            .add_columns(Insurance.assessor_id.label("assessor_id"))
            .where(Insurance.expires_on <= horizon)
        )
    if "tool_training" in wanted:
        branches.append(
            add(
                "tool_training",
                ToolTraining.id,
                ToolTraining.refresher_due,
                ToolTraining.tool_code,
            )
            .add_columns(ToolTraining.assessor_id.label("assessor_id"))
            .where(ToolTraining.refresher_due <= horizon)
        )
    if "registration" in wanted:
        later_check = aliased(VerificationCheck)
        newer_read = (
            select(later_check.id)
            .where(
                later_check.registration_id == VerificationCheck.registration_id,
                later_check.outcome != UNREADABLE,
                or_(
                    later_check.checked_at > VerificationCheck.checked_at,
                    and_(
                        later_check.checked_at == VerificationCheck.checked_at,
                        later_check.id > VerificationCheck.id,
                    ),
                ),
            )
            .exists()
        )
        branches.append(
            add(
                "registration",
                Registration.id,
                VerificationCheck.period_to,
                func.upper(Registration.body) + " " + Registration.number,
            )
            .add_columns(Registration.assessor_id.label("assessor_id"))
            .join(VerificationCheck, VerificationCheck.registration_id == Registration.id)
            .where(
                VerificationCheck.outcome != UNREADABLE,
                VerificationCheck.period_to <= horizon,
                ~newer_read,
            )
        )
    if not branches:
        return None
    # Materialised: each due date is worked out once, not once for each place the outer
    # statements name it (SQLite would otherwise fold the subquery into them).
    dated = branches[0] if len(branches) == 1 else union_all(*branches)
    return dated.cte("dated").prefix_with("MATERIALIZED")


def _on_register(items: Any) -> Select[Any]:
    return (
        select(Assessor)
        .join(items, items.c.assessor_id == Assessor.id)
        .where(Assessor.admission_status != AdmissionStatus.REMOVED)
    )


def expiries_page(
    *,
    now: datetime,
    within_days: int,
    kind: str | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> ExpiriesPage:
    """Dated items due within the window (overdue ones included), soonest first, then by the
    assessor's surname, a page at a time (a page past the end is the last page)."""
    per_page = per_page or PAGE_SIZE
    today = uk_date_of(now)
    items = _dated_items(today + timedelta(days=within_days), kind)
    if items is None:
        return ExpiriesPage([], 0, 1, 1)
    found, total, page, pages = fetch_page(
        _on_register(items)
        .add_columns(items.c.item_type, items.c.item_id, items.c.due_on, items.c.detail)
        .order_by(items.c.due_on, Assessor.legal_surname, items.c.rank, items.c.item_id),
        page,
        per_page,
    )
    dated = [
        DueItem(assessor, item_type, item_id, due_on, detail or "")
        for assessor, item_type, item_id, due_on, detail in found
    ]
    last = _last_reminders(dated)
    rows = [
        ExpiryRow(
            item,
            (item.due_on - today).days,
            last.get((item.assessor.id, item.item_type, item.item_id, item.due_on)),
        )
        for item in dated
    ]
    return ExpiriesPage(rows, total, page, pages)


def count_due(*, now: datetime, within_days: int, kind: str | None = None) -> int:
    """How many dated items fall due within the window (overdue ones included)."""
    items = _dated_items(uk_date_of(now) + timedelta(days=within_days), kind)
    if items is None:
        return 0
    listed = _on_register(items)
    return db.session.scalar(select(func.count()).select_from(listed.subquery())) or 0


def due_by_week(
    *, now: datetime, kind: str | None = None, days: int = trends.HORIZON_DAYS
) -> trends.DueWeeks:
    """Overdue items, then items due in each week from today up to the horizon (the chart's and
    its table's figures, as trends.due_by_week), counted in one statement."""
    today = uk_date_of(now)
    weeks = -(-(days + 1) // 7)
    starts = tuple(today + timedelta(weeks=i) for i in range(weeks))
    items = _dated_items(today + timedelta(days=days), kind)
    if items is None:
        return trends.DueWeeks(0, starts, (0,) * weeks)
    due = items.c.due_on
    bounds = [*starts[1:], today + timedelta(days=days + 1)]
    columns = [func.sum(case((due < today, 1), else_=0))]
    for i, start in enumerate(starts):
        columns.append(func.sum(case((and_(due >= start, due < bounds[i]), 1), else_=0)))
    counted = db.session.execute(
        select(*columns)
        .select_from(items)
        .join(Assessor, Assessor.id == items.c.assessor_id)
        .where(Assessor.admission_status != AdmissionStatus.REMOVED)
    ).one()
    overdue, *counts = (int(n or 0) for n in counted)
    return trends.DueWeeks(overdue, starts, tuple(counts))


def _last_reminders(items: list[DueItem]) -> dict[tuple, datetime]:
    """When each of these items was last reminded about (for its current due date)."""
    if not items:
        return {}
    assessor_ids = {i.assessor.id for i in items}
    rows = db.session.execute(
        select(
            ReminderSent.assessor_id,
            ReminderSent.item_type,
            ReminderSent.item_id,
            ReminderSent.due_on,
            func.max(ReminderSent.sent_at),
        )
        .where(ReminderSent.assessor_id.in_(assessor_ids))
        .group_by(
            ReminderSent.assessor_id,
            ReminderSent.item_type,
            ReminderSent.item_id,
            ReminderSent.due_on,
        )
    ).all()
    return {(a, t, i, d): _aware(sent) for a, t, i, d, sent in rows}


def _aware(moment: datetime) -> datetime:
    # max() of a UTCDateTime column comes back without the column's type on SQLite.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
