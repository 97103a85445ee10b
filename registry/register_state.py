"""The name of the register's current state, for what is kept while the register is unchanged
(the eligible search's lists and verdicts, the why-nobody counts, the managers' charts).

Every write to what the search or the gate reads appends a row with a random token to
register_change (registry/models/register_change.py, decision 0012).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from registry.extensions import db
from registry.models import RegisterChange

# How far back a change may be numbered and still commit after the latest one (PostgreSQL hands
# out ids when rows are inserted, so two writers can commit in the other order).
LATE_WINDOW = 1000


def register_token() -> str | None:
    """What names the register's state (None before any change is logged): the latest change's
    token, with the number of changes among the last LATE_WINDOW ids, so that a change given a
    lower id but committed after the latest one still changes the name."""
    later = aliased(RegisterChange)
    row = db.session.execute(
        select(
            RegisterChange.token,
            select(func.count())
            .where(later.id > RegisterChange.id - LATE_WINDOW)
            .scalar_subquery(),
        )
        .order_by(RegisterChange.id.desc())
        .limit(1)
    ).first()
    return None if row is None else f"{row[0]}:{row[1]}"
