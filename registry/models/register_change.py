"""A log of changes to what the eligible search reads, so that its candidate cache stays exact.

Every flush or bulk statement that writes an assessor, a registration, a register check, a
profile item or an item review appends one row with a random token (docs/decisions/0012). The
latest row's token names the register's state: a search whose cached candidates were computed
under another token computes them again. The token is random, not a counter, so two databases
(or a database emptied and filled again) never share one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from registry.models.base import Base, UTCDateTime

# The tables whose rows the search's SQL or the gate's facts read.
WATCHED = frozenset(
    {
        "assessor",
        "registration",
        "verification_check",
        "qualification",
        "tool_training",
        "experience_entry",
        "dbs_check",
        "insurance",
        "cpd_record",
        "supervision",
        "attestation",
        "item_review",
        "admission_decision",
    }
)


class RegisterChange(Base):
    """One change to the register's searchable state."""

    __tablename__ = "register_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


def _row() -> dict[str, Any]:
    return {"token": uuid.uuid4().hex, "changed_at": datetime.now(UTC)}


def _touches(objects: Any) -> bool:
    return any(getattr(o, "__tablename__", None) in WATCHED for o in objects)


@event.listens_for(Session, "before_flush")
def _record_flush(session: Session, _context: Any, _instances: Any) -> None:
    """An ORM flush that writes a watched row appends a change in the same transaction."""
    if _touches(session.new) or _touches(session.dirty) or _touches(session.deleted):
        session.add(RegisterChange(**_row()))


@event.listens_for(Session, "do_orm_execute")
def _record_statement(state: Any) -> None:
    """A bulk INSERT, UPDATE or DELETE of a watched table appends a change before it runs."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED:
        state.session.execute(insert(RegisterChange).values(**_row()))
