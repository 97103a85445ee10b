"""Events one feature announces and another reacts to, without importing each other.

The reactions are wired once, in create_app (registry.register_reactions), so that the whole
table of who reacts to what can be read in one place. A handler runs inside the announcer's unit
of work and must not commit: the announcer's public function commits once for both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

KEY = "reactions"

# An assessor stopped being eligible for a reason the register knows: a registration lapsed on
# its public register, or a register manager suspended or removed them.
# Payload: assessor_id (int), reason (str), now (aware datetime).
ASSESSOR_LAPSED = "assessor_lapsed"
# A panel decision froze its snapshot; the register checks it cites must keep their evidence
# (the pages as seen) for as long as the decision. Payload: check_ids (list[int]).
DECISION_FROZEN = "decision_frozen"


def init_reactions(app: Flask) -> None:
    """An empty reactions table for the app."""
    app.extensions[KEY] = {}


def on(app: Flask, event: str, handler: Callable[..., Any]) -> None:
    """Wire a handler to an event (create_app only)."""
    app.extensions[KEY].setdefault(event, []).append(handler)


def announce(event: str, **payload: Any) -> None:
    """Run every handler of an event, in the order they were wired."""
    for handler in current_app.extensions[KEY].get(event, []):
        handler(**payload)
