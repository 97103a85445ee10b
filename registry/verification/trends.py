"""Check outcomes per register, week by week: the figures behind the registrations page's chart
and its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, select

from registry.clock import UK, uk_date_of
from registry.extensions import db
from registry.models import Registration, VerificationCheck
from registry.registers import BODY_NAMES
from registry.vocabulary import Outcome

WEEKS = 12
# Every outcome a check can have, in the order the chart stacks them.
OUTCOMES = (
    Outcome.CLEAR,
    Outcome.RESTRICTED,
    Outcome.BLOCKED,
    Outcome.NOT_FOUND,
    Outcome.NAME_MISMATCH,
    Outcome.UNREADABLE,
)


@dataclass(frozen=True)
class RegisterWeeks:
    """One register's checks per week (weeks start on Monday, UK time), per outcome."""

    body: str
    name: str
    weeks: tuple[date, ...]
    counts: dict[Outcome, tuple[int, ...]]

    @property
    def total(self) -> int:
        return sum(sum(values) for values in self.counts.values())


def week_starts(today: date, weeks: int = WEEKS) -> tuple[date, ...]:
    """The Mondays of the last `weeks` weeks, this week's last."""
    this_monday = today - timedelta(days=today.weekday())
    return tuple(this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks))


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UK).astimezone(UTC)


def outcomes_by_week(*, now: datetime, weeks: int = WEEKS) -> list[RegisterWeeks]:
    """Each register with at least one check in the last `weeks` weeks, in the order of the
    registers' list, with its checks counted per week and outcome (counted in the database)."""
    starts = week_starts(uk_date_of(now), weeks)
    bounds = [_uk_midnight(day) for day in starts] + [_uk_midnight(starts[-1] + timedelta(7))]
    # Each check's week, worked out once per check (the first bound it falls before), then
    # counted per register, outcome and week by the database.
    week = case(
        *((VerificationCheck.checked_at < bounds[i + 1], i) for i in range(weeks)),
        else_=weeks,
    ).label("week")
    found = db.session.execute(
        select(Registration.body, VerificationCheck.outcome, week, func.count())
        .join(Registration, Registration.id == VerificationCheck.registration_id)
        .where(VerificationCheck.checked_at >= bounds[0], VerificationCheck.checked_at < bounds[-1])
        .group_by(Registration.body, VerificationCheck.outcome, week)
    ).all()
    per_body: dict[str, dict[Outcome, tuple[int, ...]]] = {}
    for body, outcome, index, count in found:
        known = next((o for o in OUTCOMES if o.value == outcome), Outcome.UNREADABLE)
        table = per_body.setdefault(body, {o: (0,) * weeks for o in OUTCOMES})
        counts = list(table[known])
        counts[index] += int(count)
        table[known] = tuple(counts)
    order = list(BODY_NAMES)
    return [
        RegisterWeeks(body, BODY_NAMES.get(body, body), starts, per_body[body])
        for body in sorted(per_body, key=lambda b: order.index(b) if b in order else len(order))
    ]
