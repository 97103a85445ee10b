"""Each audit action in words: the one table the audit trail's pages and export read.

A page never shows an action's code. An action missing from the table reads as "Other event
recorded" (tests/registry/audit_trail/test_event_words.py fails until it is added here).
"""

from __future__ import annotations

from registry.vocabulary import AdmissionAction, ItemType, ReviewStatus

ACTION_WORDS: dict[str, str] = {
    # Commissions: each state change, search, choice, answer and decision.
    "commission.raised": "Commission request raised",
    "commission.updated": "Case description changed",
    "commission.status_changed": "Status changed",
    "commission.cancelled": "Commission request cancelled",
    "commission.viewed": "Case read",
    "commission.eligible_list_viewed": "Eligible assessors searched",
    "commission.why_not_asked": "Asked why an assessor is not eligible",
    "commission.why_not_viewed": "Asked why an assessor is not eligible",
    "commission.search_explained": "Search with no result explained",
    "commission.shortlisted": "Assessor shortlisted",
    "commission.shortlist_removed": "Assessor removed from the shortlist",
    "commission.assessor_selected": "Assessor selected and invited",
    "commission.invitation_viewed": "Invitation read by the assessor",
    "commission.accepted": "Assessor accepted and declared no conflict",
    "commission.declined": "Assessor declined",
    "commission.conflict_ended": "Assessor declared a conflict; selection ended",
    "commission.gate_refused": "Refused by the eligibility check",
    "commission.panel_approved": "Panel approved",
    "commission.panel_rejected": "Panel rejected",
    "commission.decision_record_viewed": "Decision record read",
    "commission.decision_record_pdf": "Decision record downloaded as a PDF",
    "commission.instructed": "Assessor instructed",
    "commission.report_received": "Report received",
    "commission.quality_reviewed": "Report quality reviewed",
    "commission.flagged": "Assessor's credentials lapsed: request flagged",
    "commission.history_viewed": "Commission history read",
    # The audit trail itself.
    "audit.trail_viewed": "Audit trail read",
    "audit.trail_exported": "Audit trail exported",
    "audit.chain_verified": "Audit trail's hash chain verified",
    "audit.chain_broken": "Audit trail's hash chain found broken",
    "audit.write_failed": "An audit row could not be written",
    "audit.purged": "Old security events removed",
    # Signing in and accounts.
    "auth.sign_in_failed": "Sign-in failed",
    "auth.password_accepted": "Password accepted",
    "auth.second_factor_accepted": "Signed in",
    "auth.second_factor_failed": "Two-factor code refused",
    "auth.recovery_code_used": "Signed in with a recovery code",
    "auth.recovery_code_failed": "Recovery code refused",
    "auth.signed_out": "Signed out",
    "auth.invitation_accepted": "Invitation accepted",
    "auth.mfa_enrolment_started": "Two-factor set-up started",
    "auth.mfa_enrolled": "Two-factor sign-in set up",
    "auth.mfa_enrolment_failed": "Two-factor set-up failed",
    "auth.password_changed": "Password changed",
    "auth.password_change_failed": "Password change refused",
    "auth.password_reset_requested": "Password reset asked for",
    "auth.password_reset": "Password reset",
    "auth.reauthentication_failed": "Fresh code refused",
    "auth.recovery_codes_replaced": "Recovery codes replaced",
    "user.created": "Account created",
    "user.invited": "Person invited",
    "user.invitation_resent": "Invitation sent again",
    "user.role_changed": "Role changed",
    "user.disabled": "Account disabled",
    "user.enabled": "Account enabled",
    "user.signed_out_everywhere": "Signed out everywhere",
    "user.mfa_reset": "Two-factor sign-in reset",
    "user.grant_proposed": "Role proposed",
    "user.grant_confirmed": "Role confirmed by a second person",
    "user.grant_confirm_refused": "Role confirmation refused",
    "user.grant_cancelled": "Proposed role cancelled",
    # Assessors and the register.
    "assessor.applied": "Assessor applied",
    "assessor.apply_existing_account": "Application with an existing account",
    "assessor.identity_saved": "Identity saved",
    "attestation.signed": "Profile attested",
    "profile.services_changed": "Services changed",
    "profile.exported": "Profile data exported",
    "vetting.submitted": "Profile submitted for vetting",
    "vetting.resubmitted": "Profile submitted again",
    "vetting.assessor_viewed": "Assessor's profile read",
    "admission.proposed": "Admission proposed",
    "admission.reinstate_proposed": "Reinstatement proposed",
    "admission.confirmed": "Admission confirmed by a second manager",
    "admission.confirm_refused": "Admission confirmation refused",
    "admission.refused": "Admission refused",
    "admission.reinstated": "Reinstated",
    "registration.added": "Registration added",
    "registration.duplicate_refused": "Duplicate registration refused",
    "registration.check_requested": "Register check asked for",
    "registration.check_retry": "Register check tried again",
    "registration.checked": "Registration checked on the public register",
    "registration.manual_check": "Manual register check recorded",
    "registration.lapse_notified": "Lapse notified",
    "registration.restriction_reviewed": "Restriction's conditions reviewed",
    "dbs.disclosure_decided": "Decision on a DBS disclosure recorded",
    "registration.corrected": "Registration corrected by the assessor",
    "registration.withdrawn": "Registration withdrawn by the assessor",
    "registers.canary": "Public registers' known entries checked",
    "evidence.capture_downloaded": "Register capture downloaded",
    "register_page.viewed": "Register page as seen read",
    "document.uploaded": "Document uploaded",
    "document.viewed": "Document read",
    "document.view_refused": "Document refused",
    "document.list_viewed": "Documents listed",
    "document.list_refused": "Documents list refused",
    "document.infected": "Uploaded document refused by the virus scan",
    "document.scan_unavailable": "Virus scan unavailable",
    "reminder.sent_by_manager": "Reminder sent by a manager",
    "reminders.sent": "Expiry reminders sent",
    # The service.
    "jobs.retried": "Failed job tried again",
    "email.sent": "Email sent",
    "email.failed": "Email failed",
    "security.csrf_refused": "Form refused (expired or forged)",
    "csrf.refused": "Form refused (expired or forged)",
    "request.throttled": "Too many requests refused",
    "request.refused": "Request refused",
}

for _item in ItemType:
    _noun = _item.label
    ACTION_WORDS[f"profile.{_item.value}_added"] = f"{_noun} added"
    ACTION_WORDS[f"profile.{_item.value}_changed"] = f"{_noun} changed"
    ACTION_WORDS[f"profile.{_item.value}_removed"] = f"{_noun} removed"
for _status in ReviewStatus:
    ACTION_WORDS[f"vetting.item_{_status.value}"] = f"Profile item {_status.label.lower()}"
for _action in AdmissionAction:
    ACTION_WORDS.setdefault(f"admission.{_action.value}", f"{_action.label}: decided")
ACTION_WORDS.update(
    {
        "admission.admit": "Admitted",
        "admission.refuse": "Admission refused",
        "admission.suspend": "Suspended",
        "admission.reinstate": "Reinstated",
        "admission.remove": "Removed from the register",
    }
)

OTHER = "Other event recorded"

OUTCOME_WORDS = {
    "success": "Done",
    "refused": "Refused",
    "failure": "Failed",
    "failed": "Failed",
}

# What an audit row is about, in words.
OBJECT_WORDS = {
    "commission": "Commission request",
    "user_account": "Account",
    "role_grant": "Role",
    "assessor": "Assessor",
    "registration": "Registration",
    "admission_decision": "Admission decision",
    "item_review": "Profile item review",
    "organisation": "Organisation",
    "document": "Document",
    "verification_check": "Register check",
    "register_page": "Register page",
    "outgoing_email": "Email",
    **{item.value: item.label for item in ItemType},
}


def action_words(code: str) -> str:
    """An action's words (never its code)."""
    return ACTION_WORDS.get(code, OTHER)


def outcome_words(code: str | None) -> str:
    """An outcome's words."""
    return OUTCOME_WORDS.get(code or "success", "Recorded")


def object_words(code: str | None) -> str:
    """What kind of thing a row is about, in words."""
    if not code:
        return ""
    return OBJECT_WORDS.get(code, "Record")


def event_choices(codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(code, words) for the event filter, sorted by words, one entry per wording."""
    seen: dict[str, str] = {}
    for code in codes if codes is not None else ACTION_WORDS:
        seen.setdefault(action_words(code), code)
    return sorted(((code, words) for words, code in seen.items()), key=lambda pair: pair[1])


def codes_like(code: str) -> list[str]:
    """Every code with the same words as this one (the event filter picks a wording)."""
    words = action_words(code)
    same = [c for c, w in ACTION_WORDS.items() if w == words]
    return same or [code]
