"""The pure rules: a registration's standing from its checks, and when it is next due."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from registry.verification.cadence import next_due
from registry.verification.register_standing import standing_of

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@dataclass
class Check:
    id: int
    outcome: str
    checked_at: datetime
    is_manual: bool = False


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


def test_no_checks_means_unchecked():
    assert standing_of([], now=NOW).outcome == "unchecked"


def test_recent_clear_check_is_clear():
    assert standing_of([Check(1, "clear", days_ago(2))], now=NOW).is_clear


def test_reg06_clear_older_than_thirty_days_has_expired():
    standing = standing_of([Check(1, "clear", days_ago(31))], now=NOW)
    assert standing.outcome == "expired"
    assert not standing.is_clear


def test_reg06_unreadable_check_leaves_an_earlier_clear_in_force():
    checks = [Check(1, "clear", days_ago(10)), Check(2, "unreadable", days_ago(1))]
    standing = standing_of(checks, now=NOW)
    assert standing.is_clear
    assert standing.check_id == 1
    assert standing.last_attempt_unreadable


def test_reg06_the_earlier_clear_still_ages_out_behind_unreadable_checks():
    checks = [Check(1, "clear", days_ago(31)), Check(2, "unreadable", days_ago(1))]
    assert standing_of(checks, now=NOW).outcome == "expired"


def test_a_register_answer_after_clear_replaces_it():
    checks = [Check(1, "clear", days_ago(3)), Check(2, "blocked", days_ago(1))]
    assert standing_of(checks, now=NOW).outcome == "blocked"


def test_only_unreadable_checks_is_unreadable():
    assert standing_of([Check(1, "unreadable", days_ago(1))], now=NOW).outcome == "unreadable"


def test_manual_clear_counts_for_ninety_days():
    checks = [Check(1, "clear", days_ago(89), is_manual=True)]
    assert standing_of(checks, now=NOW).is_clear
    checks = [Check(1, "clear", days_ago(91), is_manual=True)]
    assert standing_of(checks, now=NOW).outcome == "expired"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"body": "gmc", "number": "7012345"}, date(2026, 11, 9)),
        ({"body": "gmc", "number": "7012345", "period_to": date(2026, 11, 20)}, date(2026, 11, 9)),
        ({"body": "nmc", "number": "12A3456E", "period_to": date(2026, 11, 4)}, date(2026, 11, 5)),
        ({"body": "gmc", "number": "7012345", "outcome": "unreadable"}, date(2026, 11, 3)),
        ({"body": "gmc", "number": "7012345", "manual": True}, date(2027, 1, 31)),
        ({"body": "sssc", "number": "SC1", "manual": True, "manual_days": 30}, date(2026, 12, 2)),
    ],
)
def test_next_due(kwargs, expected):
    args = {"outcome": "clear", "checked_on": date(2026, 11, 2), **kwargs}
    assert next_due(**args) == expected


def test_every_hcpc_psychologist_is_due_on_1_june_of_an_odd_year():
    due = next_due(body="hcpc", number="PYL043541", outcome="clear", checked_on=date(2027, 5, 28))
    assert due == date(2027, 6, 1)


def test_hcpc_june_wave_skips_even_years():
    due = next_due(body="hcpc", number="PYL043541", outcome="clear", checked_on=date(2026, 5, 28))
    assert due == date(2026, 6, 4)


def test_other_hcpc_professions_have_no_june_wave():
    due = next_due(body="hcpc", number="OT12345", outcome="clear", checked_on=date(2027, 5, 28))
    assert due == date(2027, 6, 4)


def test_social_work_england_is_due_on_1_december():
    due = next_due(body="swe", number="SW123", outcome="clear", checked_on=date(2026, 11, 28))
    assert due == date(2026, 12, 1)


def test_renewal_window_recheck_date_from_the_register_is_kept():
    due = next_due(
        body="swe",
        number="SW2006",
        outcome="unreadable",
        checked_on=date(2026, 12, 3),
        recheck_after=date(2027, 1, 1),
    )
    assert due == date(2027, 1, 1)
