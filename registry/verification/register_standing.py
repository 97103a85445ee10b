"""A registration's current standing, derived from its checks (never stored twice).

Pure: plain values in, a Standing out. The rules (DOMAIN.md "Verification outcomes", REG-06):
the latest check that read the register decides; an `unreadable` check never erases the last
result; a `clear` result counts only while it is younger than the freshness window (30 days, 90
for a manual check), after which the standing is `expired`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from registry.vocabulary import Outcome

UNREADABLE = "unreadable"
CLEAR = "clear"

# The words for each standing: a check's outcomes (registry/vocabulary.py), and two more.
LABELS = {
    **{outcome.value: outcome.label for outcome in Outcome},
    "expired": "Check out of date",
    "unchecked": "Not yet checked",
}
COLOURS = {
    "clear": "green",
    "restricted": "orange",
    "blocked": "red",
    "not_found": "red",
    "name_mismatch": "red",
    "unreadable": "yellow",
    "expired": "yellow",
    "unchecked": "grey",
}


class CheckLike(Protocol):
    id: int
    outcome: str
    checked_at: datetime

    @property
    def is_manual(self) -> bool: ...


@dataclass(frozen=True)
class Standing:
    """Where a registration stands now, and which check says so."""

    outcome: str
    check_id: int | None
    checked_at: datetime | None
    manual: bool
    last_attempt_unreadable: bool

    @property
    def is_clear(self) -> bool:
        return self.outcome == CLEAR

    @property
    def label(self) -> str:
        return LABELS[self.outcome]

    @property
    def colour(self) -> str:
        return COLOURS[self.outcome]


def standing_of(
    checks: Iterable[CheckLike], *, now: datetime, automatic_days: int = 30, manual_days: int = 90
) -> Standing:
    """The standing at `now` from every check of one registration, in any order."""
    ordered = sorted(checks, key=lambda c: (c.checked_at, c.id))
    if not ordered:
        return Standing("unchecked", None, None, False, False)
    last_unreadable = ordered[-1].outcome == UNREADABLE
    read = [c for c in ordered if c.outcome != UNREADABLE]
    if not read:
        last = ordered[-1]
        return Standing(UNREADABLE, last.id, last.checked_at, last.is_manual, True)
    latest = read[-1]
    outcome = latest.outcome
    if outcome == CLEAR:
        limit = timedelta(days=manual_days if latest.is_manual else automatic_days)
        if now - latest.checked_at > limit:
            outcome = "expired"
    return Standing(outcome, latest.id, latest.checked_at, latest.is_manual, last_unreadable)
