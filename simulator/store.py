"""The register simulator's state: registrants, request counts and latency, behind one lock."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from simulator.data import (
    CONDITIONS_LABELS,
    CURRENT_PERIODS,
    DEFAULT_ENTRIES,
    Markup,
    SimRegistrant,
)

BODIES = ("hcpc", "swe", "gmc", "nmc")
CONTROL_FIELDS = frozenset(
    {"period_from", "period_to", "conditions", "name", "behaviour", "markup"}
)
NUMBERED = re.compile(r"([A-Z]+)0*([0-9]+)")


def canonical_number(body: str, number: str) -> str:
    """The key a simulated register files a number under: HCPC and SWE ignore leading zeros."""
    cleaned = "".join(number.split()).upper()
    match = NUMBERED.fullmatch(cleaned)
    if body in {"hcpc", "swe"} and match:
        return match.group(1) + str(int(match.group(2)))
    return cleaned


class RegistrantStore:
    """A thread-safe copy of a data set that can be changed while the simulator runs."""

    def __init__(self, seed: Iterable[SimRegistrant], latency: float = 0.0) -> None:
        self._seed = tuple(seed)
        self._initial_latency = latency
        self._lock = threading.Lock()
        self._registrants: dict[tuple[str, str], SimRegistrant] = {}
        self._counts: Counter[str] = Counter()
        self._latency = latency
        self._markup: Markup | None = None
        self.reset()

    def reset(self) -> None:
        """Restore the seed, the initial latency and zero request counts."""
        with self._lock:
            self._registrants = {
                (r.body, canonical_number(r.body, r.number)): r for r in self._seed
            }
            self._counts = Counter()
            self._latency = self._initial_latency
            self._markup = None

    def find(self, body: str, number: str) -> SimRegistrant | None:
        """The registrant filed under this number now, if any."""
        with self._lock:
            return self._registrants.get((body, canonical_number(body, number)))

    def serve(self, body: str, number: str) -> tuple[SimRegistrant | None, float]:
        """Count one request to a register; the registrant asked for and the latency to add."""
        with self._lock:
            self._counts[body] += 1
            found = self._registrants.get((body, canonical_number(body, number)))
            if found is not None and found.markup is None:
                found = replace(found, markup=self._markup or Markup.REGISTER)
            return found, self._latency

    def set_markup(self, markup: Markup | None) -> None:
        """Mark up every entry this way from now on, except a registrant given its own markup
        (None: each register's own)."""
        with self._lock:
            self._markup = markup

    def set_latency(self, seconds: float) -> None:
        """Delay every register answer by this many seconds. Raises ValueError if negative."""
        if seconds < 0:
            raise ValueError("latency cannot be negative")
        with self._lock:
            self._latency = seconds

    def request_counts(self) -> dict[str, int]:
        """Register requests served per body since the last reset (retries and redirects count)."""
        with self._lock:
            return {body: self._counts[body] for body in BODIES}

    def set_status(
        self, body: str, number: str, status: str | None = None, **changes: Any
    ) -> SimRegistrant:
        """Change or add a registrant. Raises ValueError for an unknown body or field."""
        if body not in BODIES:
            raise ValueError(f"unknown register {body!r}")
        unknown = set(changes) - CONTROL_FIELDS
        if unknown:
            raise ValueError(f"unknown fields {sorted(unknown)}")
        key = (body, canonical_number(body, number))
        with self._lock:
            current = self._registrants.get(key) or new_registrant(body, key[1])
            updated = apply_changes(current, status, changes)
            self._registrants[key] = updated
        return updated


def new_registrant(body: str, number: str) -> SimRegistrant:
    """A clear-looking registrant for a number added while running."""
    period_from, period_to = CURRENT_PERIODS[body]
    return SimRegistrant(
        body=body,
        number=number,
        register_name="Alex Taylor",
        legal_surname="Taylor",
        legal_given_names="Alex",
        status="Registered",
        expected=None,
        case="added while running",
        period_from=period_from,
        period_to=period_to,
        entries=DEFAULT_ENTRIES[body],
    )


def apply_changes(
    current: SimRegistrant, status: str | None, changes: dict[str, Any]
) -> SimRegistrant:
    """The registrant with a new status and fields; its seeded expectation no longer holds."""
    updates: dict[str, Any] = {"expected": None, "expected_sanction": None}
    if status is not None:
        updates["status"] = status
    for field in ("period_from", "period_to", "behaviour", "markup"):
        if field in changes:
            updates[field] = changes[field]
    if "name" in changes:
        words = str(changes["name"]).split()
        updates["register_name"] = str(changes["name"])
        updates["legal_surname"] = words[-1] if words else ""
        updates["legal_given_names"] = " ".join(words[:-1])
    if "conditions" in changes:
        label = CONDITIONS_LABELS[current.body]
        kept = tuple(row for row in current.restrictions if row[0] != label)
        text = str(changes["conditions"] or "")
        updates["restrictions"] = (*kept, (label, text)) if text else kept
    return replace(current, **updates)


def describe(registrant: SimRegistrant) -> dict[str, Any]:
    """A registrant as JSON-safe values."""
    return {
        "body": registrant.body,
        "number": registrant.number,
        "name": registrant.register_name,
        "status": registrant.status,
        "period_from": registrant.period_from.isoformat() if registrant.period_from else None,
        "period_to": registrant.period_to.isoformat() if registrant.period_to else None,
        "restrictions": [list(row) for row in registrant.restrictions],
        "behaviour": registrant.behaviour.value,
        "markup": registrant.markup.value if registrant.markup else None,
    }
