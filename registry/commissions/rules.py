"""The commission request's permission and state rules, in one public module.

Who may do what to a request, which status may follow which, and `allowed_actions`, which
templates read instead of repeating these rules. `transition` is the one way a status changes:
a conditional UPDATE (one winner when two people act at once); it never commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from registry.audit import record_audit
from registry.errors import InvalidTransition, NotAllowed, NotFound
from registry.extensions import db
from registry.models import Commission, CommissionStatus, Role, User

S = CommissionStatus

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

LABELS = {
    S.DRAFT: "Draft",
    S.SHORTLISTING: "Finding an assessor",
    S.AWAITING_ASSESSOR: "Waiting for the assessor",
    S.AWAITING_PANEL: "Waiting for the panel",
    S.APPROVED: "Approved",
    S.REJECTED: "Rejected by the panel",
    S.INSTRUCTED: "Assessor instructed",
    S.REPORT_RECEIVED: "Report received",
    S.CLOSED: "Closed",
    S.CANCELLED: "Cancelled",
}

# Until the report is received, the assessor's credentials are still watched (DOMAIN.md).
OPEN = frozenset({S.AWAITING_ASSESSOR, S.AWAITING_PANEL, S.APPROVED, S.INSTRUCTED})
# The case can be changed until an assessor is selected.
EDITABLE = frozenset({S.DRAFT, S.SHORTLISTING})
CANCELLABLE = frozenset(status for status, targets in TRANSITIONS.items() if S.CANCELLED in targets)

# The actions a template may offer, by name.
EDIT, START_SEARCH, SEARCH, SELECT, CANCEL = "edit", "start_search", "search", "select", "cancel"
DECIDE, INSTRUCT, RECORD_REPORT, QUALITY_REVIEW = (
    "decide",
    "instruct",
    "record_report",
    "quality_review",
)


def check_transition(current: S, target: S) -> None:
    """Raise InvalidTransition unless `target` may follow `current`."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"A request that is “{LABELS[current]}” cannot become “{LABELS[target]}”"
        )


def is_requester(user: User, commission: Commission) -> bool:
    """Whether the user is the officer who raised the request (and still an officer)."""
    return user.role is Role.OFFICER and user.id == commission.requester_id


def may_decide(user: User, commission: Commission) -> bool:
    """Whether the user is a panel member of the authority who may decide this request now
    (never the requester, never twice; AC-06). The settling period is checked on deciding."""
    return (
        commission.status is S.AWAITING_PANEL
        and user.role is Role.PANEL_MEMBER
        and user.organisation_id == commission.organisation_id
        and user.id != commission.requester_id
        and not any(d.decided_by_id == user.id for d in commission.decisions)
    )


def allowed_actions(user: User, commission: Commission) -> frozenset[str]:
    """What this user may do to this request now, for the pages to offer."""
    actions: set[str] = set()
    status = commission.status
    if is_requester(user, commission):
        if status in EDITABLE:
            actions.add(EDIT)
        if status is S.DRAFT:
            actions.add(START_SEARCH)
        if status is S.SHORTLISTING:
            actions |= {SEARCH, SELECT}
        if status is S.APPROVED:
            actions.add(INSTRUCT)
        if status is S.INSTRUCTED:
            actions.add(RECORD_REPORT)
        if status is S.REPORT_RECEIVED:
            actions.add(QUALITY_REVIEW)
        if status in CANCELLABLE:
            actions.add(CANCEL)
    if may_decide(user, commission):
        actions.add(DECIDE)
    return frozenset(actions)


def require_officer(user: User) -> None:
    """Only commissioning officers of an authority raise requests."""
    if user.role is not Role.OFFICER or not user.organisation_id:
        raise NotAllowed("Only commissioning officers can raise commission requests")


def require_requester(user: User, commission: Commission) -> None:
    """Only the officer who raised the request acts on it."""
    if not is_requester(user, commission):
        raise NotAllowed("Only the officer who raised this request can do that")


def require_panel_member(member: User, commission: Commission) -> None:
    """A panel member of the requesting authority, not the requester, deciding once (AC-06)."""
    if commission.organisation_id != member.organisation_id:
        raise NotFound("That commission request does not exist")
    if member.id == commission.requester_id:
        raise NotAllowed("You raised this request, so you cannot decide it")
    if member.role is not Role.PANEL_MEMBER:
        raise NotAllowed("Only panel members can decide commission requests")
    if any(d.decided_by_id == member.id for d in commission.decisions):
        raise NotAllowed("You have already decided this request")


def transition(actor: User, commission: Commission, target: S, *, now: datetime) -> None:
    """Move a request along the state machine with a conditional update (one winner), audited.
    The caller commits; when someone else moved it first, InvalidTransition (nothing written)."""
    current = commission.status
    check_transition(current, target)
    result = db.session.execute(
        update(Commission)
        .where(Commission.id == commission.id, Commission.status == current)
        .values(status=target, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise InvalidTransition("Someone else changed this request at the same time. Refresh it")
    db.session.refresh(commission)
    record_audit(
        actor,
        "commission.status_changed",
        commission,
        at=now,
        before={"status": str(current)},
        after={"status": str(target)},
    )
