"""The commissioning journey at service level: describe, find, select, declare, approve."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from commission_support import case_data
from sqlalchemy import func, select
from sqlalchemy import update as sa_update

from registry.commissions import after_approval, queries, requests, search, selection
from registry.commissions import panel as panel_decisions
from registry.commissions.snapshot import is_intact
from registry.errors import InvalidTransition, NotAllowed, NotEligible, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    AuditEvent,
    CommissionStatus,
    Notification,
    PanelDecision,
    Role,
)

NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _fresh_now() -> None:
    """NOW is the moment each test starts: checks made by fixtures at real time come first."""
    global NOW
    NOW = datetime.now(UTC)


def accept(**flags):
    values = dict(
        accept=True,
        decline_reason="",
        prior_involvement=False,
        treating_relationship=False,
        professional_or_personal_relationship=False,
        financial_interest=False,
        details="",
        no_conflict=True,
    )
    values.update(flags)
    return selection.Answer(**values)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER).user


@pytest.fixture
def panel(make_user):
    return make_user(Role.PANEL_MEMBER).user


def raised(officer):
    commission = requests.raise_request(officer, case_data(), now=NOW)
    requests.start_search(officer, commission, now=NOW)
    return commission


def test_search_lists_only_eligible_assessors_with_reasons(
    registers_app, officer, make_eligible_assessor, make_registration
):
    eligible = make_eligible_assessor()
    make_registration("hcpc", "PYL31200")  # registered, but nothing else: not eligible
    page = search.find_eligible(raised(officer), search.Filters(), now=NOW)
    assert [r.assessor.id for r in page.results] == [eligible.id]
    assert all(rule.passed for rule in page.results[0].eligibility.rules)


def test_why_not_names_the_failing_rules(registers_app, officer, make_registration):
    make_registration("hcpc", "PYL31200")
    ((_, eligibility),) = search.why_not(raised(officer), "O’Neill", now=NOW)
    assert not eligibility.eligible
    assert "safeguarding_check" in eligibility.failed_codes


def test_ac07_selecting_an_ineligible_assessor_is_refused_and_audited(
    registers_app, officer, make_registration
):
    ineligible = make_registration("hcpc", "PYL31200").assessor
    commission = raised(officer)
    with pytest.raises(NotEligible):
        selection.select_assessor(officer, commission, ineligible.id, now=NOW)
    assert commission.status is CommissionStatus.SHORTLISTING
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "commission.gate_refused")
    )


def test_the_whole_journey_freezes_a_tamper_evident_snapshot(
    registers_app, officer, panel, make_eligible_assessor
):
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.add_to_shortlist(officer, commission, assessor.id, now=NOW)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    assert selection.respond(assessor.user, commission, accept(), now=NOW) == "accepted"
    decision = panel_decisions.decide(panel, commission, True, "", now=NOW)

    assert commission.status is CommissionStatus.APPROVED
    snapshot = json.loads(decision.snapshot)
    assert snapshot["eligible"] is True
    assert snapshot["policy_version"] == "2026.2"
    assert {r["code"] for r in snapshot["rules"]} >= {"regulated", "independent"}
    regulated = next(r for r in snapshot["rules"] if r["code"] == "regulated")
    assert regulated["evidence_ids"]
    assert is_intact(decision.snapshot, decision.snapshot_sha256)
    assert not is_intact(decision.snapshot.replace("true", "false", 1), decision.snapshot_sha256)


def test_the_requester_can_never_decide_their_own_request(
    registers_app, make_user, make_eligible_assessor
):
    requester = make_user(Role.OFFICER).user
    assessor = make_eligible_assessor()
    commission = raised(requester)
    selection.select_assessor(requester, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    requester.role = Role.PANEL_MEMBER  # even with another role
    with pytest.raises(NotAllowed):
        panel_decisions.decide(requester, commission, True, "", now=NOW)


def test_ac04_a_panel_member_of_another_authority_gets_not_found(
    registers_app, officer, make_user, make_organisation, make_eligible_assessor
):
    other = make_organisation("Eastborough City Council")
    outsider = make_user(Role.PANEL_MEMBER, organisation=other).user
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    with pytest.raises(NotFound):
        queries.get_commission(outsider, commission.id)
    with pytest.raises(NotFound):
        panel_decisions.decide(outsider, commission, True, "", now=NOW)


def test_approval_re_runs_the_gate_and_refuses_after_a_suspension(
    registers_app, register_simulator, officer, panel, make_eligible_assessor
):
    from registry.verification import service as verification

    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    register_simulator.app.set_status("hcpc", "PYL043541", "Suspended")
    verification.verify(assessor.registrations[0], actor=None, now=NOW + timedelta(minutes=1))

    with pytest.raises(NotEligible, match="not eligible"):
        panel_decisions.decide(panel, commission, True, "", now=NOW + timedelta(minutes=2))
    assert commission.status is CommissionStatus.AWAITING_PANEL
    assert commission.flagged_at is not None


@pytest.mark.parametrize(
    "conflict",
    [
        {"prior_involvement": True},
        {"treating_relationship": True},
        {"professional_or_personal_relationship": True, "details": "Met Mr A at a conference"},
        {"financial_interest": True},
    ],
)
def test_any_declared_conflict_ends_the_selection_and_tells_the_officer(
    registers_app, officer, make_eligible_assessor, conflict
):
    """Decision 0007, point 2: whatever its kind, a conflict makes the assessor not independent."""
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    outcome = selection.respond(assessor.user, commission, accept(**conflict), now=NOW)
    assert outcome == "ended"
    assert commission.status is CommissionStatus.SHORTLISTING
    assert commission.selected_assessor_id is None
    told = db.session.scalars(
        db.select(Notification).where(Notification.user_id == officer.id)
    ).all()
    assert any("Any declared conflict makes an assessor not independent" in n.body for n in told)
    # The conflicted assessor cannot be selected again for this commission.
    with pytest.raises(NotEligible, match="declared a conflict"):
        selection.select_assessor(officer, commission, assessor.id, now=NOW)


def test_accepting_without_an_explicit_answer_about_conflicts_is_refused(
    registers_app, officer, make_eligible_assessor
):
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    with pytest.raises(ValidationFailed, match="no conflict with any of these parties"):
        selection.respond(assessor.user, commission, accept(no_conflict=False), now=NOW)
    assert commission.status is CommissionStatus.AWAITING_ASSESSOR


def test_rejection_needs_a_reason(registers_app, officer, panel, make_eligible_assessor):
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    with pytest.raises(ValidationFailed):
        panel_decisions.decide(panel, commission, False, " ", now=NOW)
    panel_decisions.decide(panel, commission, False, "Too far away", now=NOW)
    assert commission.status is CommissionStatus.REJECTED


def test_invalid_transitions_are_refused(registers_app, officer):
    commission = requests.raise_request(officer, case_data(), now=NOW)
    with pytest.raises(InvalidTransition):
        after_approval.instruct(officer, commission, now=NOW)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"context": "care_proceedings"}, "court_permission_on"),
        ({"needed_by": NOW.date()}, "needed_by"),
        ({"offence_categories": []}, "offence_categories"),
        ({"case_reference": "Jane Smith's case"}, "case_reference"),
    ],
)
def test_a_case_description_is_checked(registers_app, officer, changes, field):
    with pytest.raises(ValidationFailed) as refusal:
        requests.raise_request(officer, case_data(**changes), now=NOW)
    assert refusal.value.field == field


def test_after_approval_report_and_quality_review_close_the_request(
    registers_app, officer, panel, make_eligible_assessor
):
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    panel_decisions.decide(panel, commission, True, "", now=NOW)
    after_approval.instruct(officer, commission, now=NOW)
    after_approval.record_report(officer, commission, NOW.date(), now=NOW)
    review = after_approval.Review(
        on_time=True,
        answered_questions=True,
        criticised_by_court=True,
        court_citation=None,
        rating=2,
        notes="",
    )
    with pytest.raises(ValidationFailed):
        after_approval.record_quality_review(officer, commission, review, now=NOW)
    review = after_approval.Review(
        on_time=True,
        answered_questions=True,
        criticised_by_court=True,
        court_citation="[2027] EWFC 12",
        rating=2,
        notes="",
    )
    after_approval.record_quality_review(officer, commission, review, now=NOW)
    assert commission.status is CommissionStatus.CLOSED


def test_panel_decisions_are_append_only(registers_app, officer, panel, make_eligible_assessor):
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    panel_decisions.decide(panel, commission, True, "", now=NOW)
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(sa_update(PanelDecision).values(reason="changed"))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PanelDecision)) == 1


def test_monitoring_flags_an_approved_commission_when_the_dbs_lapses(
    registers_app, officer, panel, make_eligible_assessor, outbox
):
    from registry.models import DbsCheck

    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    panel_decisions.decide(panel, commission, True, "", now=NOW)
    dbs = db.session.scalar(select(DbsCheck).where(DbsCheck.assessor_id == assessor.id))
    dbs.issued_on = NOW.date() - timedelta(days=4 * 365)
    db.session.commit()

    assert after_approval.monitor_open_commissions(now=NOW) == 1
    assert commission.flagged_at is not None
    assert "DBS" in commission.flag_reason
    assert outbox.to(officer.email)
    assert outbox.to(panel.email)


def test_a_quorum_of_two_needs_two_approvers_besides_the_requester(
    registers_app, officer, make_user, make_eligible_assessor
):
    registers_app.config["PANEL_QUORUM"] = 2
    first, second = make_user(Role.PANEL_MEMBER).user, make_user(Role.PANEL_MEMBER).user
    assessor = make_eligible_assessor()
    commission = raised(officer)
    selection.select_assessor(officer, commission, assessor.id, now=NOW)
    selection.respond(assessor.user, commission, accept(), now=NOW)
    panel_decisions.decide(first, commission, True, "", now=NOW)
    assert commission.status is CommissionStatus.AWAITING_PANEL
    with pytest.raises(NotAllowed):
        panel_decisions.decide(first, commission, True, "", now=NOW)
    panel_decisions.decide(second, commission, True, "", now=NOW)
    assert commission.status is CommissionStatus.APPROVED
