"""Dated items and their reminders: attestation, DBS certificate, insurance, tool refreshers and
registration periods (DOMAIN.md journey 2).

A ReminderSent row (unique on assessor, item, due date and lead time) is written in the same
transaction as the notification, so a reminder is never sent twice, even by two runs at once.
Automatic reminders store the lead time (90, 30, 7 or 1; 30, 14, 7 or 1 for attestation).
A manager's one-click reminder stores the days left on the day it is sent, so it can be repeated
on another day but not twice on the same day (and it counts as that day's automatic one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.errors import InvalidTransition
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
    User,
)
from registry.notifications import Link, notify
from registry.policy_store import current_policy
from registry.vetting.service import require_manager

KIND_LABELS = {
    "attestation": "Attestation of the profile",
    "dbs_check": "DBS certificate",
    "insurance": "Indemnity insurance",
    "tool_training": "Tool training refresher",
    "registration": "Registration period",
}
ATTESTATION_LEADS = (30, 14, 7, 1)
ITEM_LEADS = (90, 30, 7, 1)


@dataclass(frozen=True)
class DueItem:
    """One dated item of one assessor and the date it falls due."""

    assessor: Assessor
    item_type: str
    item_id: int
    due_on: date
    detail: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.item_type]

    @property
    def leads(self) -> tuple[int, ...]:
        return ATTESTATION_LEADS if self.item_type == "attestation" else ITEM_LEADS


@dataclass(frozen=True)
class ExpiryRow:
    """A line of the expiries dashboard."""

    item: DueItem
    days_left: int
    last_reminded_at: datetime | None


def dated_items(assessors: Iterable[Assessor]) -> list[DueItem]:
    """Every dated item of the assessors, with its due date."""
    by_id = {a.id: a for a in assessors}
    items: list[DueItem] = []
    items += _attestations(by_id)
    items += _dbs_checks(by_id)
    for row in _rows(Insurance, by_id):
        items.append(
            DueItem(by_id[row.assessor_id], "insurance", row.id, row.expires_on, row.insurer)
        )
    for row in _rows(ToolTraining, by_id):
        if row.refresher_due:
            items.append(
                DueItem(
                    by_id[row.assessor_id],
                    "tool_training",
                    row.id,
                    row.refresher_due,
                    row.tool_code,
                )
            )
    for assessor in by_id.values():
        items += _registration_periods(assessor)
    return items


def send_due_reminders(*, now: datetime) -> int:
    """Send every reminder due today that has not been sent; returns how many were sent."""
    today = uk_date_of(now)
    sent = 0
    for item in dated_items(_on_register()):
        days_left = (item.due_on - today).days
        lead = min((d for d in item.leads if days_left <= d), default=None)
        if lead is None or days_left < 0 or not _claim(item, lead, None, now):
            continue
        _notify(item, days_left, now)
        sent += 1
    if sent:
        record_audit(
            None, "reminders.sent", at=now, object_type="reminder_sent", after={"count": sent}
        )
    db.session.commit()
    return sent


def send_reminder_now(
    manager: User, assessor: Assessor, item_type: str, item_id: int, *, now: datetime
) -> DueItem:
    """A manager's one-click reminder about one dated item (audited).

    Raises NotAllowed, or InvalidTransition when the item has no due date or was reminded today.
    """
    require_manager(manager)
    item = next(
        (i for i in dated_items([assessor]) if (i.item_type, i.item_id) == (item_type, item_id)),
        None,
    )
    if item is None:
        raise InvalidTransition("This item has no date to remind the assessor about")
    days_left = (item.due_on - uk_date_of(now)).days
    if not _claim(item, days_left, manager, now):
        raise InvalidTransition("The assessor has already been reminded about this today")
    _notify(item, days_left, now)
    after = {"item_type": item_type, "item_id": item_id, "due_on": item.due_on.isoformat()}
    record_audit(manager, "reminder.sent_by_manager", assessor, at=now, after=after)
    db.session.commit()
    return item


def _on_register() -> list[Assessor]:
    return list(
        db.session.scalars(
            select(Assessor)
            .where(Assessor.admission_status != AdmissionStatus.REMOVED)
            .options(
                selectinload(Assessor.user),
                selectinload(Assessor.registrations).selectinload(Registration.checks),
            )
        )
    )


def _rows(model: Any, by_id: dict[int, Assessor]) -> list:
    if not by_id:
        return []
    return list(
        db.session.scalars(select(model).where(model.assessor_id.in_(by_id)).order_by(model.id))
    )


def _attestations(by_id: dict[int, Assessor]) -> list[DueItem]:
    latest: dict[int, Attestation] = {}
    for row in sorted(_rows(Attestation, by_id), key=lambda a: (a.attested_at, a.id)):
        latest[row.assessor_id] = row
    days = timedelta(days=current_policy().freshness.attestation_days)
    return [
        DueItem(by_id[a.assessor_id], "attestation", a.id, uk_date_of(a.attested_at) + days, "")
        for a in latest.values()
    ]


def _dbs_checks(by_id: dict[int, Assessor]) -> list[DueItem]:
    # A certificate counts for N years from issue, unless the Update Service keeps it current.
    years = current_policy().safeguarding.dbs_certificate_years
    return [
        DueItem(by_id[r.assessor_id], "dbs_check", r.id, _add_years(r.issued_on, years), r.level)
        for r in _rows(DbsCheck, by_id)
        if not r.update_service
    ]


def _registration_periods(assessor: Assessor) -> list[DueItem]:
    items = []
    for registration in assessor.registrations:
        read = [c for c in registration.checks if c.outcome != "unreadable"]
        latest = max(read, key=lambda c: (c.checked_at, c.id), default=None)
        if latest is not None and latest.period_to is not None:
            detail = f"{registration.body.upper()} {registration.number}"
            items.append(
                DueItem(assessor, "registration", registration.id, latest.period_to, detail)
            )
    return items


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _claim(item: DueItem, days_before: int, sender: User | None, now: datetime) -> bool:
    """Write the ReminderSent row; False if it exists (the unique constraint decides races)."""
    key = {
        "assessor_id": item.assessor.id,
        "item_type": item.item_type,
        "item_id": item.item_id,
        "due_on": item.due_on,
        "days_before": days_before,
    }
    if db.session.scalar(select(ReminderSent.id).filter_by(**key)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                ReminderSent(**key, sent_at=now, sent_by_id=sender.id if sender else None)
            )
    except IntegrityError:
        return False
    return True


def _notify(item: DueItem, days_left: int, now: datetime) -> None:
    when = f"{item.due_on.day} {item.due_on:%B %Y}"
    what = f"{item.label} ({item.detail})" if item.detail else item.label
    subject = f"Reminder: {item.label.lower()} due on {when}"
    body = (
        f"{what} is due on {when} ({_in_days(days_left)}). Update your profile before then: "
        "after that date you are not eligible for new commissions until it is renewed."
    )
    link = Link("assessors.attestation" if item.item_type == "attestation" else "assessors.vetting")
    notify([item.assessor.user], subject, body, link=link, now=now)


def _in_days(days: int) -> str:
    if days < 0:
        return "overdue"
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def _last_reminders(assessor_ids: set[int]) -> dict[tuple, datetime]:
    if not assessor_ids:
        return {}
    last: dict[tuple, datetime] = {}
    rows = db.session.scalars(
        select(ReminderSent).where(ReminderSent.assessor_id.in_(assessor_ids))
    )
    for r in rows:
        key = (r.assessor_id, r.item_type, r.item_id, r.due_on)
        if key not in last or r.sent_at > last[key]:
            last[key] = r.sent_at
    return last
