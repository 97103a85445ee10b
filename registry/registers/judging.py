"""Turning what a register page says into one outcome, by the rules of REGISTERS.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from registry.registers.base import Outcome
from registry.registers.names import name_matches

# How bad each outcome of a found entry is; the worst one found decides.
_SEVERITY = {Outcome.CLEAR: 0, Outcome.RESTRICTED: 1, Outcome.UNREADABLE: 2, Outcome.BLOCKED: 3}

# Words that name a sanction on any UK register (issue 8: suspension, interim order, conditions,
# undertakings, warning, caution, striking-off, removal on fitness-to-practise grounds). Wording
# is compared case-folded, with hyphens and dashes read as spaces.
SANCTION_WORDS = (
    "suspen",
    "struck off",
    "striking off",
    "interim order",
    "interim suspension",
    "interim conditions",
    "condition",
    "undertaking",
    "warning",
    "caution",
    "fitness to practise",
    "misconduct",
    "sanction",
    "removal order",
    "striking off order",
    "disciplinary",
)
# Wordings that make it certain that a registration ended without a sanction. A status is a lapse
# only when one of these is in it and nothing else in it names a sanction or is left unexplained.
LAPSE_WORDS = (
    "lapsed",
    "not renewed",
    "did not renew",
    "registration expired",
    "voluntary removal",
    "voluntarily removed",
    "removed at own request",
    "removed at their own request",
    "removed at the registrant's request",
    "deregistered at own request",
    "deregistered at their own request",
)
# Words of a blocked status that say only that the person is not (or not fully) on the register,
# not why: they neither name a sanction nor leave one unexplained next to a lapse wording.
NEUTRAL_WORDS = ("not registered", "no longer registered", "not on the register")
UNCERTAIN_SANCTION = (
    "the register does not say whether this was a sanction, so it is treated as one"
)
_DASHES = re.compile(r"[-‐‑‒–—]")


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
    # Fragments of a status that name a sanction, and wordings that make it certain that a
    # blocked status is a lapse without one (see sanction_of).
    sanction: tuple[str, ...] = SANCTION_WORDS
    lapse: tuple[str, ...] = LAPSE_WORDS


@dataclass(frozen=True)
class Verdict:
    """An outcome with the sentence that explains it.

    `sanction` says whether a blocked or restricted outcome is (or may be) a sanction; it is
    False for a lapse without a sanction and for every other outcome.
    """

    outcome: Outcome
    detail: str
    recheck_after: date | None = None
    sanction: bool = False


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


def _wording(text: str) -> str:
    """Text as status words are compared: case-folded, dashes as spaces, single spaces."""
    return " ".join(_DASHES.sub(" ", text).casefold().split())


def _names_any(text: str, fragments: tuple[str, ...]) -> bool:
    wording = _wording(text)
    return any(_wording(fragment) in wording for fragment in fragments)


def sanction_of(status_text: str, rules: StatusRules) -> bool | None:
    """Whether a blocked status names a sanction (True), is certainly a lapse without one
    (False), or does not say (None, which callers treat as a sanction).

    The lapse wordings are taken out first, so "Erased for administrative reasons" is a lapse
    while "Lapsed; suspended" is a sanction. A lapse wording next to any other blocking word that
    is not merely "not registered" (such as "removed") leaves it uncertain.
    """
    rest = _wording(status_text)
    lapse = False
    for phrase in sorted((_wording(p) for p in rules.lapse), key=len, reverse=True):
        if phrase in rest:
            lapse = True
            rest = rest.replace(phrase, " ")
    if _names_any(rest, rules.sanction):
        return True
    for neutral in NEUTRAL_WORDS:
        rest = rest.replace(neutral, " ")
    unexplained = _names_any(rest, rules.blocked) or _names_any(rest, rules.restricted)
    return False if lapse and not unexplained else None


def restriction_verdicts(reading: Reading, rules: StatusRules) -> list[Verdict]:
    """One verdict per restriction field with content; words like "suspension" make it blocked.

    Every restriction field with content is a sanction; when neither its label nor its text
    names one (an annotation, say), the sentence says it is treated as one.
    """
    verdicts = []
    for label, text in reading.restrictions:
        outcome = rules.restriction_labels.get(label, Outcome.RESTRICTED)
        if any(fragment in text.casefold() for fragment in rules.blocked):
            outcome = Outcome.BLOCKED
        stop = "" if text.endswith((".", "!", "?")) else "."
        detail = f"The register shows {label}: “{text}”{stop}"
        if not (_names_any(label, rules.sanction) or _names_any(text, rules.sanction)):
            detail = f"The register shows {label}: “{text}”; {UNCERTAIN_SANCTION}."
        verdicts.append(Verdict(outcome, detail, sanction=True))
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


def _status_verdict(
    outcome: Outcome, reading: Reading, surname: str | None, rules: StatusRules
) -> Verdict:
    status = " ".join(reading.status_text.split())
    if outcome is Outcome.BLOCKED:
        sanction = sanction_of(status, rules)
        if sanction is None:
            return Verdict(
                outcome,
                f"The register shows the status “{status}”; {UNCERTAIN_SANCTION}.",
                sanction=True,
            )
        kind = "a sanction" if sanction else "not a sanction"
        return Verdict(
            outcome,
            f"The register shows the status “{status}”, which is {kind}.",
            sanction=sanction,
        )
    if outcome is Outcome.RESTRICTED:
        return Verdict(
            outcome,
            f"The register shows the status “{status}”: a person must review it.",
            sanction=True,
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
    candidates = [
        _status_verdict(status, reading, surname, rules),
        *restriction_verdicts(reading, rules),
    ]
    period = period_rule(reading, today)
    if period is not None:
        candidates.append(period)
    return _worst(candidates)


def _worst(candidates: list[Verdict]) -> Verdict:
    """The worst verdict; if it is blocked or restricted and another shows a sanction, it
    carries that sanction too, and says so."""
    worst = max(candidates, key=lambda verdict: _SEVERITY[verdict.outcome])
    if worst.outcome not in {Outcome.BLOCKED, Outcome.RESTRICTED}:
        return replace(worst, sanction=False)
    if worst.sanction:
        return worst
    other = next((v for v in candidates if v.sanction), None)
    if other is None:
        return worst
    return replace(worst, detail=f"{worst.detail} {other.detail}", sanction=True)
