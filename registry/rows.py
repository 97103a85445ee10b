"""How many rows a conditional UPDATE or DELETE changed (the way two racing requests are told
apart: the one whose write changed a row won)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """The number of rows the statement behind this result changed."""
    return cast(CursorResult[Any], result).rowcount
