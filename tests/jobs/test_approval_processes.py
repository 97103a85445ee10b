"""Approval is not a job: it runs in the web request. Shown with processes of their own
(issue 13): two panel members in two processes at once make exactly one decision, and a process
killed in the middle of its approval leaves no half-written decision, after which another
member's approval is the one decision."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry import create_app
from registry.extensions import db
from registry.models import AuditEvent, Commission, PanelDecision
from support import config_for, migrate_to_head, scratch_database, simulator_settings

ROOT = Path(__file__).resolve().parents[2]
DECIDE = Path(__file__).with_name("decide_process.py")
sys.path.insert(0, str(ROOT / "tests" / "registry" / "commissions"))

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def seeded(database_url, tmp_root, register_simulator, smtp_server):
    from test_concurrent_decisions import _seed

    url = scratch_database(database_url, "approval_processes", tmp_root)
    settings = {"MAIL_PORT": smtp_server[0].port, **simulator_settings(register_simulator)}
    app = create_app(config_for(url, **settings))
    migrate_to_head(app)
    with app.app_context():
        commission_id, member_ids = _seed(datetime.now(UTC))
        db.session.remove()
    yield app, url, settings, commission_id, member_ids
    with app.app_context():
        db.engine.dispose()


def _start(url, settings, commission_id, member_id, *, die=False, start_at=None):
    job = {
        "url": url,
        "settings": settings,
        "commission_id": commission_id,
        "member_id": member_id,
        "die": die,
        "start_at": (start_at or datetime.now(UTC)).isoformat(),
    }
    return subprocess.Popen(
        [sys.executable, str(DECIDE), json.dumps(job)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def _decisions(app, commission_id):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(PanelDecision))
        status = db.session.get(Commission, commission_id).status
        audits = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.like("commission.approved%"))
        )
        db.session.remove()
    return count, status, audits


def test_two_processes_deciding_at_once_make_exactly_one_decision(seeded):
    app, url, settings, commission_id, members = seeded
    start_at = datetime.now(UTC) + timedelta(seconds=6)  # both processes built their app by then
    processes = [_start(url, settings, commission_id, m, start_at=start_at) for m in members]
    outputs = sorted(p.communicate(timeout=120)[0].strip().splitlines()[-1] for p in processes)
    assert outputs == ["decided", "refused"]
    count, status, _ = _decisions(app, commission_id)
    assert count == 1
    assert status == "approved"


def test_a_process_killed_in_the_middle_of_its_approval_leaves_nothing_half_written(seeded):
    app, url, settings, commission_id, members = seeded
    killed = _start(url, settings, commission_id, members[0], die=True)
    killed.communicate(timeout=120)
    assert killed.returncode == -9
    count, status, audits = _decisions(app, commission_id)
    assert (count, audits) == (0, 0)
    assert status != "approved"

    survivor = _start(url, settings, commission_id, members[1])
    assert survivor.communicate(timeout=120)[0].strip().splitlines()[-1] == "decided"
    count, status, _ = _decisions(app, commission_id)
    assert count == 1
    assert status == "approved"
