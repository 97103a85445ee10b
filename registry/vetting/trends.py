"""Items falling due per week over the next 90 days: the figures behind the expiries page's chart
and its table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from registry.vetting.reminders import ExpiryRow

HORIZON_DAYS = 90


@dataclass(frozen=True)
class DueWeeks:
    """Overdue items, then items due in each week from today (week 1 is today and the next six
    days), up to the horizon."""

    overdue: int
    weeks: tuple[date, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.overdue + sum(self.counts)


def due_by_week(rows: Iterable[ExpiryRow], *, today: date, days: int = HORIZON_DAYS) -> DueWeeks:
    """Count the rows by the week they fall due in; those past the horizon are left out."""
    weeks = -(-(days + 1) // 7)
    counts = [0] * weeks
    overdue = 0
    for row in rows:
        left = (row.item.due_on - today).days
        if left < 0:
            overdue += 1
        elif left <= days:
            counts[left // 7] += 1
    starts = tuple(today + timedelta(weeks=i) for i in range(weeks))
    return DueWeeks(overdue, starts, tuple(counts))
