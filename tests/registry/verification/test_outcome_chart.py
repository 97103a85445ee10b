"""The registrations page's chart: check outcomes per register per week over the last 12 weeks,
as accessible SVG with the same figures in a table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from registry.models import CheckMethod, Registration, Role, VerificationCheck
from registry.verification import trends
from registry.vocabulary import Outcome

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


@pytest.fixture
def checked(db, make_assessor):
    assessor = make_assessor("Cleo", "Check")
    registration = Registration(
        assessor=assessor,
        body="hcpc",
        number="PYL000123",
        profession="practitioner_psychologist",
        created_at=NOW,
    )
    db.session.add(registration)
    for when, outcome in [
        (NOW, "clear"),
        (NOW - timedelta(days=1), "restricted"),  # Sunday: last week
        (NOW - timedelta(days=8), "restricted"),  # the Sunday before: two weeks ago
        (NOW - timedelta(weeks=11), "unreadable"),  # the first week shown
        (NOW - timedelta(weeks=12), "blocked"),  # too old: not counted
    ]:
        db.session.add(
            VerificationCheck(
                registration=registration,
                method=CheckMethod.AUTOMATIC,
                performed_by_label="test",
                checked_at=when,
                outcome=outcome,
                source_url="https://register.invalid/",
                adapter_version="test",
            )
        )
    db.session.commit()
    return registration


def test_weeks_start_on_monday_and_end_with_this_week():
    weeks = trends.week_starts(date(2026, 11, 4))
    assert (len(weeks), weeks[-1], weeks[0]) == (12, date(2026, 11, 2), date(2026, 8, 17))


def test_checks_are_counted_per_register_week_and_outcome(checked):
    (hcpc,) = trends.outcomes_by_week(now=NOW)
    assert hcpc.body == "hcpc"
    assert hcpc.counts[Outcome.CLEAR][-1] == 1
    assert hcpc.counts[Outcome.RESTRICTED][-3:] == (1, 1, 0)
    assert sum(hcpc.counts[Outcome.RESTRICTED]) == 2
    assert hcpc.counts[Outcome.UNREADABLE][0] == 1
    assert sum(hcpc.counts[Outcome.BLOCKED]) == 0
    assert hcpc.total == 4


def test_the_page_shows_the_chart_and_the_table(checked, logged_in):
    page = logged_in(Role.REGISTER_MANAGER).get("/verification").get_data(as_text=True)
    assert '<svg class="app-chart" id="outcomes-hcpc" role="img"' in page
    title = "Health and Care Professions Council: check outcomes per week"
    assert f'<title id="outcomes-hcpc-title">{title}</title>' in page
    assert "1 clear, 2 restricted: needs review, 1 register could not be read" in page
    assert "checks per week by outcome" in page
    assert 'data-label="Restricted: needs review"' in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_no_checks_no_chart(db, logged_in):
    page = logged_in(Role.REGISTER_MANAGER).get("/verification").get_data(as_text=True)
    assert "No register has been checked in the last 12 weeks." in page
