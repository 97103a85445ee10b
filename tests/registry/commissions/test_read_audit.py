"""LOG-02 (ASVS 16.3.2): reading sensitive data is audited: who, what, when, one row per view.

The case description (the commission page), the eligible list, the decision record and the
assessor's invitation each write one audit row, with one INSERT and no extra reads.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from commission_support import case_data

from registry.commissions import panel as panel_decisions
from registry.commissions import requests, selection
from registry.extensions import db
from registry.models import AuditEvent, Role


def _accept() -> selection.Answer:
    names = {f.name for f in dataclasses.fields(selection.Answer)}
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
    return selection.Answer(**{k: v for k, v in values.items() if k in names})


@pytest.fixture
def scene(make_user, make_eligible_assessor):
    """A commission raised by an officer, with an eligible assessor selected (invited)."""
    officer, panel = make_user(Role.OFFICER), make_user(Role.PANEL_MEMBER)
    assessor = make_eligible_assessor()
    now = datetime.now(UTC)
    commission = requests.raise_request(officer.user, case_data(), now=now)
    requests.start_search(officer.user, commission, now=now)
    selection.select_assessor(officer.user, commission, assessor.id, now=now)
    return officer, panel, assessor, commission


def _views(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def _statements(app):
    """Collect the SQL statements run while the block runs."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: sa.event.remove(engine, "before_cursor_execute", listen)


def _assert_one_row(action: str, who, commission) -> None:
    (row,) = _views(action)
    assert (row.actor_id, row.actor_role, row.object_type, row.object_id) == (
        who.id,
        str(who.user.role),
        "commission",
        commission.id,
    )
    assert row.occurred_at is not None
    assert row.outcome == "success"
    assert row.security_only is False


def test_log02_viewing_a_case_description_is_audited(app, logged_in, scene):
    officer, _, _, commission = scene
    client = logged_in(officer)
    seen, stop = _statements(app)
    response = client.get(f"/commissions/{commission.id}")
    stop()
    assert response.status_code == 200
    _assert_one_row("commission.viewed", officer, commission)
    audit_statements = [s for s in seen if "audit_event" in s]
    assert len(audit_statements) == 1
    assert audit_statements[0].lstrip().upper().startswith("INSERT")


def test_log02_viewing_the_eligible_list_is_audited(logged_in, scene):
    officer, _, _, commission = scene
    assert logged_in(officer).get(f"/commissions/{commission.id}/search").status_code == 200
    _assert_one_row("commission.eligible_list_viewed", officer, commission)


def test_log02_viewing_an_invitation_is_audited(logged_in, make_user, scene):
    _, _, assessor, commission = scene
    client = logged_in()
    with client.session_transaction() as session:
        session["_user_id"] = assessor.user.get_id()
    response = client.get(f"/commissions/invitations/{commission.id}")
    assert response.status_code == 200
    (row,) = _views("commission.invitation_viewed")
    assert (row.actor_id, row.object_id) == (assessor.user.id, commission.id)


def test_log02_viewing_a_decision_record_is_audited(logged_in, scene):
    _, panel, assessor, commission = scene
    now = datetime.now(UTC)
    selection.respond(assessor.user, commission, _accept(), now=now)
    panel_decisions.decide(panel.user, commission, True, "", now=now)
    response = logged_in(panel).get(f"/commissions/{commission.id}/decision-record")
    assert response.status_code == 200
    _assert_one_row("commission.decision_record_viewed", panel, commission)


def test_log02_a_refused_view_writes_no_view_row(logged_in, make_user, make_organisation, scene):
    _, _, _, commission = scene
    other = make_user(Role.OFFICER, organisation=make_organisation("Eastborough City Council"))
    assert logged_in(other).get(f"/commissions/{commission.id}").status_code == 404
    assert _views("commission.viewed") == []
