"""Attestation every 120 days; reminders before dated items fall due, never twice; expiries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from vetting_helpers import NOW, clear_check, later

from registry.clock import uk_date_of
from registry.errors import InvalidTransition, ValidationFailed
from registry.models import Attestation, DbsCheck, ReminderSent
from registry.vetting import attestation, expiries, reminders


def test_attestation_records_the_fixed_statement_and_signature(db, applicant):
    row = attestation.attest(applicant.user, "amelia  hart", now=NOW)
    assert (row.statement, row.signed_name, row.attested_at) == (
        attestation.STATEMENT,
        "amelia hart",
        NOW,
    )


def test_attestation_must_be_signed_with_the_assessors_name(db, applicant):
    with pytest.raises(ValidationFailed, match="Amelia Hart"):
        attestation.attest(applicant.user, "Someone Else", now=NOW)
    assert db.session.scalar(select(Attestation)) is None


def test_attestation_is_due_120_days_later_and_lapses_on_day_121(db, applicant):
    attestation.attest(applicant.user, "Amelia Hart", now=NOW)
    assert attestation.attestation_due_on(applicant) == date(2027, 3, 2)
    assert attestation.attestation_is_current(applicant, now=later(120))
    assert not attestation.attestation_is_current(applicant, now=later(121))


def test_a_profile_never_attested_is_not_current(db, applicant):
    assert attestation.attestation_due_on(applicant) is None
    assert not attestation.attestation_is_current(applicant, now=NOW)


def test_reminders_go_out_at_the_lead_times_and_never_twice(db, applicant, outbox):
    # Insurance expires on 31 March 2027; tool refresher due 1 February 2027.
    assert reminders.send_due_reminders(now=NOW) == 0
    first = datetime(2027, 1, 1, 8, tzinfo=UTC)  # 89 days before the insurance, 31 the tool
    assert reminders.send_due_reminders(now=first) == 2
    assert reminders.send_due_reminders(now=first) == 0
    assert reminders.send_due_reminders(now=datetime(2027, 1, 2, 8, tzinfo=UTC)) == 1  # tool 30
    assert reminders.send_due_reminders(now=datetime(2027, 1, 5, 8, tzinfo=UTC)) == 0
    leads = db.session.scalars(select(ReminderSent.days_before).order_by(ReminderSent.id)).all()
    assert leads == [90, 90, 30]
    assert len(outbox.to(applicant.user.email)) == 3


def test_a_missed_run_sends_only_the_most_urgent_reminder(db, applicant):
    assert reminders.send_due_reminders(now=datetime(2027, 3, 28, 8, tzinfo=UTC)) == 1
    (row,) = db.session.scalars(select(ReminderSent)).all()
    assert (row.item_type, row.days_before) == ("insurance", 7)


def test_attestation_reminders_use_their_own_lead_times(db, applicant):
    attestation.attest(applicant.user, "Amelia Hart", now=NOW)
    for day in (89, 90, 91, 106, 113, 119, 120):
        reminders.send_due_reminders(now=later(day))
    kinds = db.session.scalars(
        select(ReminderSent.days_before)
        .where(ReminderSent.item_type == "attestation")
        .order_by(ReminderSent.id)
    ).all()
    assert kinds == [30, 14, 7, 1]


def test_a_dbs_certificate_on_the_update_service_needs_no_reminder(db, applicant):
    dbs = db.session.scalar(select(DbsCheck))
    dated = {i.item_type for i in reminders.dated_items([applicant])}
    assert "dbs_check" in dated
    dbs.update_service = True
    db.session.commit()
    dated = {i.item_type for i in reminders.dated_items([applicant])}
    assert "dbs_check" not in dated


def test_the_registration_period_comes_from_the_latest_check(db, applicant):
    registration = applicant.registrations[0]
    clear_check(registration, at=later(1), period_to=date(2027, 1, 31))
    (item,) = [i for i in reminders.dated_items([applicant]) if i.item_type == "registration"]
    assert item.due_on == date(2027, 1, 31)


def _expiries(*, within_days: int, kind: str | None = None) -> list:
    return expiries.expiries_page(now=NOW, within_days=within_days, kind=kind, per_page=100).rows


def test_expiries_list_items_due_within_the_window(db, applicant):
    within_90 = _expiries(within_days=90)
    within_150 = _expiries(within_days=150)
    assert [r.item.item_type for r in within_90] == []
    assert [r.item.item_type for r in within_150] == ["tool_training", "insurance"]
    only = _expiries(within_days=150, kind="insurance")
    assert [(r.item.item_type, r.days_left) for r in only] == [("insurance", 149)]


@pytest.mark.parametrize("within_days", [90, 150, 400, 2000])
def test_the_expiries_page_and_the_reminders_job_find_the_same_due_items(
    db, applicant, within_days
):
    """The page lists due items in SQL, the reminders job reads them in Python (dated_items):
    the two must agree on every item and its due date."""
    horizon = uk_date_of(NOW) + timedelta(days=within_days)
    job = {
        (i.item_type, i.item_id, i.due_on)
        for i in reminders.dated_items([applicant])
        if i.due_on <= horizon
    }
    rows = _expiries(within_days=within_days)
    page = {(r.item.item_type, r.item.item_id, r.item.due_on) for r in rows}
    assert page == job


def test_a_manager_can_remind_once_a_day(db, applicant, manager, outbox):
    insurance = next(i for i in reminders.dated_items([applicant]) if i.item_type == "insurance")
    reminders.send_reminder_now(manager, applicant, "insurance", insurance.item_id, now=NOW)
    with pytest.raises(InvalidTransition, match="already been reminded"):
        reminders.send_reminder_now(manager, applicant, "insurance", insurance.item_id, now=NOW)
    reminders.send_reminder_now(manager, applicant, "insurance", insurance.item_id, now=later(1))
    rows = db.session.scalars(select(ReminderSent)).all()
    assert [(r.days_before, r.sent_by_id) for r in rows] == [(149, manager.id), (148, manager.id)]
    assert len(outbox.to(applicant.user.email)) == 2


def test_a_manager_cannot_remind_about_an_undated_item(db, applicant, manager):
    with pytest.raises(InvalidTransition):
        reminders.send_reminder_now(manager, applicant, "insurance", 999_999, now=NOW)


def test_the_cli_sends_due_reminders_once_as_the_clock_moves(db, applicant, runner, clock):
    clock.move_to(datetime(2027, 1, 1, 8, tzinfo=UTC))
    assert "Sent 2 reminders." in runner.invoke(args=["reminders", "send"]).output
    clock.shift(3600)
    assert "Sent 0 reminders." in runner.invoke(args=["reminders", "send"]).output
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 2
