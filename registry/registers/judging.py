"""Turning what a register page says into one outcome, by the rules of REGISTERS.md."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from registry.registers.base import Outcome
from registry.registers.names import name_matches

# How bad each outcome of a found entry is; the worst one found decides.
_SEVERITY = {Outcome.CLEAR: 0, Outcome.RESTRICTED: 1, Outcome.UNREADABLE: 2, Outcome.BLOCKED: 3}


@dataclass(frozen=True)
class Reading:
    """The labelled fields read from one entry; restrictions hold only fields with content."""

    status_text: str
    name: str
    period_from: date | None = None
    period_to: date | None = None
    entries: tuple[str, ...] = ()
    restrictions: tuple[tuple[str, str], ...] = ()
    data_valid_on: str | None = None

    @property
    def conditions(self) -> str | None:
        """Every restriction field, verbatim, one per line ("Conditions: ..."), or None."""
        if not self.restrictions:
            return None
        return "\n".join(f"{label}: {text}" for label, text in self.restrictions)


@dataclass(frozen=True)
class StatusRules:
    """A register's status words: the one clear wording, and fragments that block or restrict."""

    clear: str
    blocked: tuple[str, ...]
    restricted: tuple[str, ...]
    # Restriction fields by label, and the outcome when one has content.
    restriction_labels: Mapping[str, Outcome]


@dataclass(frozen=True)
class Verdict:
    """An outcome with the sentence that explains it."""

    outcome: Outcome
    detail: str
    recheck_after: date | None = None


PeriodRule = Callable[[Reading, date], "Verdict | None"]


def uk_long_date(day: date) -> str:
    """A date the GOV.UK way: 31 May 2027."""
    return f"{day.day} {day:%B %Y}"


def classify_status(status_text: str, rules: StatusRules) -> Outcome | None:
    """The outcome a status wording implies, or None when we do not recognise it."""
    wording = " ".join(status_text.split())
    lowered = wording.casefold()
    if any(fragment in lowered for fragment in rules.blocked):
        return Outcome.BLOCKED
    if any(fragment in lowered for fragment in rules.restricted):
        return Outcome.RESTRICTED
    if wording == rules.clear:
        return Outcome.CLEAR
    return None


def restriction_verdicts(reading: Reading, rules: StatusRules) -> list[Verdict]:
    """One verdict per restriction field with content; words like "suspension" make it blocked."""
    verdicts = []
    for label, text in reading.restrictions:
        outcome = rules.restriction_labels.get(label, Outcome.RESTRICTED)
        if any(fragment in text.casefold() for fragment in rules.blocked):
            outcome = Outcome.BLOCKED
        stop = "" if text.endswith((".", "!", "?")) else "."
        verdicts.append(Verdict(outcome, f"The register shows {label}: “{text}”{stop}"))
    return verdicts


def period_verdict(reading: Reading, today: date) -> Verdict | None:
    """Blocked when today lies outside the period shown; None when it lies inside or none shows."""
    if reading.period_from is not None and today < reading.period_from:
        return Verdict(
            Outcome.BLOCKED,
            f"The registration period shown starts on {uk_long_date(reading.period_from)}.",
        )
    if reading.period_to is not None and today > reading.period_to:
        return Verdict(
            Outcome.BLOCKED,
            f"The registration period shown ended on {uk_long_date(reading.period_to)}.",
        )
    return None


def _status_verdict(outcome: Outcome, reading: Reading, surname: str | None) -> Verdict:
    status = " ".join(reading.status_text.split())
    if outcome is Outcome.BLOCKED:
        return Verdict(outcome, f"The register shows the status “{status}”.")
    if outcome is Outcome.RESTRICTED:
        return Verdict(
            outcome, f"The register shows the status “{status}”: a person must review it."
        )
    in_period = reading.period_from is not None or reading.period_to is not None
    return Verdict(
        outcome,
        f"The register shows “{status}”"
        + (", the period shown includes today" if in_period else "")
        + ", no restriction field has content, and "
        + ("the name matches." if surname is not None else "the name was not checked."),
    )


def judge(
    reading: Reading,
    rules: StatusRules,
    *,
    today: date,
    surname: str | None,
    given_names: str | None,
    period_rule: PeriodRule = period_verdict,
) -> Verdict:
    """The outcome of a found entry: clear only if every rule of REGISTERS.md holds."""
    if not reading.status_text.strip():
        return Verdict(Outcome.UNREADABLE, "The register page had an empty status.")
    status = classify_status(reading.status_text, rules)
    if status is None:
        return Verdict(
            Outcome.UNREADABLE,
            f"The register showed a status we do not recognise: “{reading.status_text}”.",
        )
    # A different name means the entry may not be the assessor's, so its status says nothing.
    if not name_matches(reading.name, surname, given_names):
        return Verdict(
            Outcome.NAME_MISMATCH,
            f"The name on the register, {reading.name}, does not match the assessor's legal name.",
        )
    candidates = [_status_verdict(status, reading, surname), *restriction_verdicts(reading, rules)]
    period = period_rule(reading, today)
    if period is not None:
        candidates.append(period)
    return max(candidates, key=lambda verdict: _SEVERITY[verdict.outcome])
