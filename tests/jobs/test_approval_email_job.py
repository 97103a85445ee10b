"""Approval's emails go through the job queue, as every email does (issue 14): the decision, its
snapshot, its audit rows, its notification and its email row commit together, once; after that
commit one delivery job is enqueued, and a real worker on the real Redis sends the email, once.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.commissions import panel
from registry.extensions import db
from registry.jobs.queue import enqueue
from registry.models import Commission, OutgoingEmail, PanelDecision, User

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "registry" / "commissions"))

pytestmark = pytest.mark.slow

OFFICER = "officer@example.test"  # the requester of tests/registry/commissions' _seed


def _approval_emails() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutgoingEmail)
            .where(OutgoingEmail.recipient == OFFICER)
            .where(OutgoingEmail.subject.like("%the panel approved it"))
        )
    )


def test_an_approval_commits_once_and_a_real_worker_sends_its_email_once(live_jobs, outbox):
    from test_concurrent_decisions import _seed

    with live_jobs.app.app_context():
        commission_id, (member_id, _) = _seed(datetime.now(UTC))
        db.session.remove()
        queued_before = live_jobs.queued()
        member = db.session.get(User, member_id)
        commission = db.session.get(Commission, commission_id)
        commits: list[object] = []

        def count(connection: object) -> None:
            commits.append(connection)

        sa.event.listen(db.engine, "commit", count)
        try:
            panel.decide(member, commission, True, "", now=datetime.now(UTC))
        finally:
            sa.event.remove(db.engine, "commit", count)

        assert len(commits) == 1  # the decision and everything it writes, in one commit
        assert live_jobs.queued() == queued_before + 1  # one delivery job, nothing sent yet
        (row,) = _approval_emails()
        assert row.sent_at is None
        assert row.attempts == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PanelDecision)) == 1

        live_jobs.run_burst()

        (row,) = _approval_emails()
        assert row.sent_at is not None
        sent = [m for m in outbox.to(OFFICER) if m["Subject"].endswith("the panel approved it")]
        assert len(sent) == 1

        # The same job again (a duplicate enqueue, or the sweep): nothing is sent twice.
        enqueue("registry.jobs.tasks.deliver_email", row.id, description="again")
        live_jobs.run_burst()
        sent = [m for m in outbox.to(OFFICER) if m["Subject"].endswith("the panel approved it")]
        assert len(sent) == 1
