"""When a registration is next due for a check (pure).

Weekly by default; sooner when the registration period ends within 30 days; every HCPC
practitioner psychologist (PYL) on 1 June of odd years, when the two-yearly renewal window
closes and lapses appear (REGISTERS.md); every Social Work England registration on 1 December,
when the register updates after renewal; the next day after an unreadable check; 90 days after a
manual check, which then expires.
"""

from __future__ import annotations

from datetime import date, timedelta

WEEK = timedelta(days=7)


def next_due(
    *,
    body: str,
    number: str,
    outcome: str,
    checked_on: date,
    period_to: date | None = None,
    recheck_after: date | None = None,
    manual: bool = False,
    manual_days: int = 90,
) -> date:
    """The date of the next check of a registration checked on `checked_on`."""
    if manual:
        return checked_on + timedelta(days=manual_days)
    if outcome == "unreadable":
        return recheck_after or checked_on + timedelta(days=1)
    candidates = [checked_on + WEEK]
    if period_to is not None and period_to - checked_on <= timedelta(days=30):
        candidates.append(max(period_to + timedelta(days=1), checked_on + timedelta(days=1)))
    if recheck_after is not None:
        candidates.append(recheck_after)
    wave = _renewal_wave(body, number, checked_on)
    if wave is not None:
        candidates.append(wave)
    return min(candidates)


def _renewal_wave(body: str, number: str, checked_on: date) -> date | None:
    """The next mass-renewal date for this register after `checked_on`, if it has one."""
    if body == "hcpc" and number.upper().startswith("PYL"):
        year = checked_on.year if checked_on < date(checked_on.year, 6, 1) else checked_on.year + 1
        if year % 2 == 0:
            year += 1
        return date(year, 6, 1)
    if body == "swe":
        year = checked_on.year if checked_on < date(checked_on.year, 12, 1) else checked_on.year + 1
        return date(year, 12, 1)
    return None
