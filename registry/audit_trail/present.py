"""An audit row in words, for the trail's pages and its CSV export: never a code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from registry.audit_trail.events import action_words, object_words, outcome_words
from registry.audit_trail.queries import TrailPage
from registry.models import AuditEvent, CommissionStatus
from registry.vocabulary import Role, RuleCode, Stage, label_of

STATUS_WORDS = {
    CommissionStatus.DRAFT: "Draft",
    CommissionStatus.SHORTLISTING: "Finding an assessor",
    CommissionStatus.AWAITING_ASSESSOR: "Waiting for the assessor",
    CommissionStatus.AWAITING_PANEL: "Waiting for the panel",
    CommissionStatus.APPROVED: "Approved",
    CommissionStatus.REJECTED: "Rejected by the panel",
    CommissionStatus.INSTRUCTED: "Assessor instructed",
    CommissionStatus.REPORT_RECEIVED: "Report received",
    CommissionStatus.CLOSED: "Closed",
    CommissionStatus.CANCELLED: "Cancelled",
}


@dataclass(frozen=True)
class Line:
    """One row of the trail, as shown."""

    id: int
    occurred_at: datetime
    who: str
    role: str
    event: str
    about: str
    commission_id: int | None
    outcome: str
    refused: bool
    details: str
    decision_id: int | None


def lines(page: TrailPage) -> list[Line]:
    """The page's rows in words."""
    return [line_of(row, page) for row in page.rows]


def line_of(row: AuditEvent, page: TrailPage) -> Line:
    user = page.names.get(row.actor_id) if row.actor_id is not None else None
    if user is not None:
        who = user.full_name
    elif row.actor_id is not None:
        who = "A person no longer on the service"
    else:
        who = "Someone not signed in" if row.security_only and row.outcome != "success" else ""
        who = who or "The service"
    role = label_of(row.actor_role, Role) if row.actor_role else ""
    commission = (
        page.commissions.get(row.object_id)
        if row.object_type == "commission" and row.object_id is not None
        else None
    )
    if commission is not None:
        about = f"Commission {commission.case_reference}"
    else:
        about = object_words(row.object_type)
    after = row.after or {}
    decision_id = after.get("decision_id") if row.action.startswith("commission.panel_") else None
    return Line(
        id=row.id,
        occurred_at=row.occurred_at,
        who=who,
        role=role,
        event=action_words(row.action),
        about=about,
        commission_id=commission.id if commission is not None else None,
        outcome=outcome_words(row.outcome),
        refused=row.outcome not in (None, "success"),
        details=details_of(row, page),
        decision_id=decision_id if isinstance(decision_id, int) else None,
    )


def details_of(row: AuditEvent, page: TrailPage) -> str:
    """What changed, in a sentence, where the row holds more than its action says."""
    before, after = row.before or {}, row.after or {}
    action = row.action
    if action == "commission.status_changed":
        return f"From “{_status(before.get('status'))}” to “{_status(after.get('status'))}”"
    if action in ("commission.shortlisted", "commission.assessor_selected"):
        return _assessor(after.get("assessor_id"), page)
    if action == "commission.gate_refused":
        failed = [label_of(code, RuleCode) for code in after.get("failed", [])]
        stage = label_of(after.get("stage"), Stage)
        return f"{_assessor(after.get('assessor_id'), page)}, at {stage.lower()}: " + (
            "; ".join(failed) or "not eligible"
        )
    if action in ("commission.cancelled", "commission.flagged"):
        return str(after.get("reason", ""))
    if action == "commission.raised":
        return f"Case reference {after.get('case_reference', '')}"
    if action.startswith("commission.panel_"):
        return "Snapshot SHA-256 " + str(after.get("snapshot_sha256", ""))
    if action == "audit.chain_verified":
        if row.outcome == "success":
            return f"{after.get('events', 0)} events, no break"
        return f"First broken link: {after.get('first_break', '')}"
    return ""


def _status(value: object) -> str:
    try:
        return STATUS_WORDS[CommissionStatus(str(value))]
    except ValueError:
        return "Unknown"


def _assessor(value: object, page: TrailPage) -> str:
    if isinstance(value, int) and value in page.assessors:
        return page.assessors[value]
    return "An assessor"
