"""The gate's judgements cost a fixed, small number of SQL statements: the assessor is loaded
once per judgement. Before the commissions were split (issue 10) evaluate took 27 statements,
select_assessor 55 and an approving decide 53 (24 and 29 after, before emails were kept in the
database; decide 34 with them, 32 once its audit rows were chained in one flush, issue 14; with
JOBS_INLINE, as here, that includes the email's delivery, 3 statements a worker runs in
production); these ceilings fail if they grow back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from commission_support import case_data
from test_search_queries import counted_statements

from registry.commissions import panel as panel_decisions
from registry.commissions import requests, selection, verdicts
from registry.eligibility import Stage
from registry.extensions import db as _db
from registry.models import Commission, Role, User

NO_CONFLICT = selection.Answer(True, "", False, False, False, False, "", no_conflict=True)
# Selecting and deciding also write the notifications and the emails kept until delivered, and
# a decision holds the register pages it cites: statements of their own, fixed in number.
CEILINGS = {"evaluate": 14, "select_assessor": 28, "decide": 32}


@pytest.fixture
def scene(make_user, make_eligible_assessor):
    officer = make_user(Role.OFFICER).user
    panel = make_user(Role.PANEL_MEMBER).user
    assessor = make_eligible_assessor()
    now = datetime.now(UTC)
    commission = requests.raise_request(officer, case_data(), now=now)
    requests.start_search(officer, commission, now=now)
    return commission.id, assessor.id, officer.id, panel.id, now


def _fresh(commission_id: int, user_id: int) -> tuple[Commission, User]:
    """As in a request: a new session, the commission and the acting user loaded."""
    _db.session.remove()
    return _db.session.get(Commission, commission_id), _db.session.get(User, user_id)


def test_evaluate_select_and_decide_stay_within_their_statement_counts(scene):
    commission_id, assessor_id, officer_id, panel_id, now = scene
    counts = {}
    commission, officer = _fresh(commission_id, officer_id)
    with counted_statements() as statements:
        verdicts.evaluate(assessor_id, commission, now=now, stage=Stage.SELECTION)
    counts["evaluate"] = len(statements)
    commission, officer = _fresh(commission_id, officer_id)
    with counted_statements() as statements:
        selection.select_assessor(officer, commission, assessor_id, now=now)
    counts["select_assessor"] = len(statements)
    selection.respond(commission.selected_assessor.user, commission, NO_CONFLICT, now=now)
    commission, panel = _fresh(commission_id, panel_id)
    with counted_statements() as statements:
        panel_decisions.decide(panel, commission, True, "", now=now)
    counts["decide"] = len(statements)
    assert all(counts[name] <= ceiling for name, ceiling in CEILINGS.items()), counts
