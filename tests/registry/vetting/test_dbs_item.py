"""The DBS item as the manager sees it: certificate number, level in words, Update Service and
its last status check, any disclosure with its decision, and a form to record the decision."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from vetting_helpers import NOW, made

from registry.errors import InvalidTransition, NotAllowed, ValidationFailed
from registry.extensions import db as _db
from registry.models import AuditEvent, DbsCheck, Role
from registry.vetting.disclosure import record_disclosure_decision


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


@pytest.fixture
def dbs(db, applicant):
    row = _db.session.scalar(select(DbsCheck).where(DbsCheck.assessor_id == applicant.id))
    row.update_service = True
    row.last_status_check_on = date(2026, 10, 20)
    row.disclosure = True
    _db.session.commit()
    return row


def test_the_manager_sees_the_certificate_in_words(dbs, applicant, manager, logged_in):
    page = logged_in(made(manager)).get(f"/vetting/assessors/{applicant.id}").get_data(as_text=True)
    assert "001234567890" in page
    assert "Enhanced with barred list check" in page
    assert "Subscribed; last status check 20 October 2026" in page
    assert "Yes: no decision recorded yet" in page
    assert "Your decision on the disclosure" in page
    assert "enhanced_barred" not in page


def test_the_manager_records_the_disclosure_decision(dbs, applicant, manager, logged_in):
    client = logged_in(made(manager))
    url = f"/vetting/dbs/{dbs.id}/disclosure-decision"
    empty = client.post(url, data={"decision": " "}).get_data(as_text=True)
    assert "Enter your decision on the disclosure" in empty
    page = client.post(
        url, data={"decision": "A caution from 2001, not relevant."}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Decision on the disclosure recorded." in page
    assert "A caution from 2001, not relevant." in page
    assert "Yes: decision recorded" in page
    assert "Your decision on the disclosure" not in page  # no form once decided
    _db.session.refresh(dbs)
    assert dbs.disclosure_decision == "A caution from 2001, not relevant."
    event = _db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "dbs.disclosure_decided")
    )
    assert event.actor_id == manager.id
    assert event.object_id == dbs.id
    again = client.post(url, data={"decision": "Changed my mind"}, follow_redirects=True)
    assert "already recorded" in again.get_data(as_text=True)
    _db.session.refresh(dbs)
    assert dbs.disclosure_decision == "A caution from 2001, not relevant."


def test_the_service_refuses_what_it_must(dbs, applicant, make_user, manager):
    officer = make_user(Role.OFFICER).user
    with pytest.raises(NotAllowed):
        record_disclosure_decision(officer, dbs, "Fine", now=NOW)
    with pytest.raises(ValidationFailed):
        record_disclosure_decision(manager, dbs, "   ", now=NOW)
    dbs.disclosure = False
    with pytest.raises(InvalidTransition, match="no disclosure"):
        record_disclosure_decision(manager, dbs, "Fine", now=NOW)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR, Role.ASSESSOR])
def test_other_roles_cannot_record_a_decision(dbs, logged_in, role):
    response = logged_in(role).post(
        f"/vetting/dbs/{dbs.id}/disclosure-decision", data={"decision": "Fine"}
    )
    assert response.status_code == 403
    _db.session.refresh(dbs)
    assert dbs.disclosure_decision is None
