"""The commission request's state machine (pure): which status may follow which."""

from __future__ import annotations

from registry.errors import InvalidTransition
from registry.models.commissions import CommissionStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SHORTLISTING, S.CANCELLED}),
    S.SHORTLISTING: frozenset({S.AWAITING_ASSESSOR, S.CANCELLED}),
    S.AWAITING_ASSESSOR: frozenset({S.AWAITING_PANEL, S.SHORTLISTING, S.CANCELLED}),
    S.AWAITING_PANEL: frozenset({S.APPROVED, S.REJECTED, S.SHORTLISTING, S.CANCELLED}),
    S.APPROVED: frozenset({S.INSTRUCTED, S.CANCELLED}),
    S.REJECTED: frozenset({S.SHORTLISTING, S.CANCELLED}),
    S.INSTRUCTED: frozenset({S.REPORT_RECEIVED, S.CANCELLED}),
    S.REPORT_RECEIVED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

# The words for each status (registry/vocabulary.py).
LABELS = {status: status.label for status in S}

# Until the report is received, the assessor's credentials are still watched (DOMAIN.md).
OPEN = frozenset({S.AWAITING_ASSESSOR, S.AWAITING_PANEL, S.APPROVED, S.INSTRUCTED})


def check_transition(current: S, target: S) -> None:
    """Raise InvalidTransition unless `target` may follow `current`."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"A request that is “{LABELS[current]}” cannot become “{LABELS[target]}”"
        )
