"""A register manager's decision on a disclosure shown on an assessor's DBS certificate.

The gate passes a DBS certificate with a disclosure only once a decision on it is recorded. The
decision belongs to that certificate: a new certificate (or a changed disclosure) clears it, and
the assessor never sets it. Once recorded it is not edited here; the recording is audited.
"""

from __future__ import annotations

from datetime import datetime

from registry.audit import record_audit
from registry.errors import InvalidTransition, NotAllowed, ValidationFailed
from registry.extensions import db
from registry.models import DbsCheck, Role, User

DECISION_MAX = 2000


def record_disclosure_decision(
    manager: User, dbs: DbsCheck, decision: str, *, now: datetime
) -> None:
    """Record the decision on the certificate's disclosure (audited; committed).

    Raises NotAllowed for anyone but a register manager, InvalidTransition when there is no
    disclosure or a decision is already recorded, and ValidationFailed for an empty or overlong
    decision.
    """
    if manager.role is not Role.REGISTER_MANAGER:
        raise NotAllowed("Only register managers record disclosure decisions")
    if not dbs.disclosure:
        raise InvalidTransition("This certificate has no disclosure to decide on")
    if dbs.disclosure_decision:
        raise InvalidTransition("A decision on this disclosure is already recorded")
    text = decision.strip()
    if not text:
        raise ValidationFailed("Enter your decision on the disclosure", "decision")
    if len(text) > DECISION_MAX:
        raise ValidationFailed(f"Enter {DECISION_MAX} characters or fewer", "decision")
    dbs.disclosure_decision = text
    record_audit(
        manager,
        "dbs.disclosure_decided",
        dbs,
        at=now,
        after={"assessor_id": dbs.assessor_id, "decision": text},
    )
    db.session.commit()
