"""The expiries page's chart: items falling due per week over the next 90 days, as accessible SVG
with the same figures in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from registry.models import Role
from registry.vetting.trends import due_by_week


@dataclass
class _Item:
    due_on: date


@dataclass
class _Row:
    item: _Item


TODAY = date(2027, 1, 1)


def test_items_are_counted_by_week_from_today():
    rows = [_Row(_Item(date(2027, m, d))) for m, d in ((1, 1), (1, 7), (1, 8), (2, 1), (4, 1))]
    rows.append(_Row(_Item(date(2026, 12, 31))))  # overdue
    rows.append(_Row(_Item(date(2027, 4, 2))))  # 91 days: past the horizon
    due = due_by_week(rows, today=TODAY)
    assert len(due.weeks) == 13
    assert due.weeks[1] == date(2027, 1, 8)
    assert due.overdue == 1
    assert due.counts[:2] == (2, 1)
    assert due.counts[4] == 1  # 1 February, 31 days on
    assert due.counts[12] == 1  # 1 April, 90 days on
    assert due.total == 6


def test_the_expiries_page_shows_the_chart_and_the_table(logged_in, applicant, clock):
    clock.move_to(datetime(2027, 1, 1, 9, tzinfo=UTC))  # tool due in 31 days, insurance in 89
    page = logged_in(Role.REGISTER_MANAGER).get("/vetting/expiries").get_data(as_text=True)
    assert '<svg class="app-chart" id="due-by-week" role="img"' in page
    assert "Items falling due per week over the next 90 days" in page
    assert (
        "0 overdue, then per week from 1 January 2027: 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1."
        in page
    )
    assert "From 29 January 2027" in page
    only_insurance = logged_in(Role.REGISTER_MANAGER).get("/vetting/expiries?kind=insurance")
    assert "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1." in only_insurance.get_data(as_text=True)
