"""On a large register, "why nobody else is eligible" is counted by a job, not in the search
request (issue 14): the gate over every admitted assessor takes about 2 ms each, minutes at
100,000. The page shows the latest counts for the case with their time, asks for a new count when
the register has changed since, and never starts two counts of the same case at once.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from registry.commissions import shortfall
from registry.extensions import db
from registry.models import Assessor, Commission

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "registry" / "commissions"))

pytestmark = pytest.mark.slow


def test_a_job_counts_on_a_large_register_and_the_page_says_when(live_jobs, monkeypatch):
    from test_concurrent_decisions import _seed

    monkeypatch.setattr(shortfall, "INLINE_LIMIT", 0)  # every register counts as large
    with live_jobs.app.app_context():
        commission_id, _members = _seed(datetime.now(UTC))
        commission = db.session.get(Commission, commission_id)
        queued = live_jobs.queued()

        first = shortfall.for_page(commission, now=datetime.now(UTC))
        assert first.counting
        assert first.counted_at is None
        assert not first.reasons
        assert live_jobs.queued() == queued + 1
        again = shortfall.for_page(commission, now=datetime.now(UTC))
        assert again.counting
        assert live_jobs.queued() == queued + 1

        live_jobs.run_burst()
        shortfall._cache.clear()
        counted = shortfall.for_page(commission, now=datetime.now(UTC))
        assert counted.counted_at is not None
        assert counted.current
        assert not counted.counting
        assert counted.admitted == 1
        assert live_jobs.queued() == 0

        # The register changes: the old counts are shown, marked, and a new count is asked for.
        assessor = db.session.scalar(db.select(Assessor))
        assessor.languages = ["Welsh"]
        db.session.commit()
        changed = shortfall.for_page(commission, now=datetime.now(UTC))
        assert changed.counted_at == counted.counted_at
        assert not changed.current
        assert changed.counting
        assert changed.admitted == 1
        assert live_jobs.queued() == 1

        live_jobs.run_burst()
        recounted = shortfall.for_page(commission, now=datetime.now(UTC))
        assert recounted.current
        assert recounted.counted_at > counted.counted_at


def test_without_redis_the_page_says_the_counts_are_unavailable_and_counts_nothing(
    live_jobs, monkeypatch
):
    from test_concurrent_decisions import _seed

    def unreachable():
        raise redis.ConnectionError("Redis is down")

    monkeypatch.setattr(shortfall, "INLINE_LIMIT", 0)
    monkeypatch.setattr(shortfall, "_redis", unreachable)
    monkeypatch.setattr(shortfall, "_count", lambda *a, **k: pytest.fail("counted in the request"))
    with live_jobs.app.app_context():
        commission_id, _members = _seed(datetime.now(UTC))
        result = shortfall.for_page(
            db.session.get(Commission, commission_id), now=datetime.now(UTC)
        )
    assert result.unavailable
    assert not result.reasons


def test_the_key_shared_with_the_worker_is_the_same_in_every_process():
    """The web process and the worker must name a case alike: a set's repr changes its order
    with the hash seed, which differs between processes."""
    import subprocess

    script = (
        "from datetime import date\n"
        "from registry.commissions.shortfall import stable_case\n"
        "from registry.eligibility import *\n"
        "print(stable_case(CaseDescription(Context.CP_PLAN, Sex.MALE, AgeBand.ADULT,"
        " ConvictionStatus.CONVICTED, False, frozenset(OffenceCategory), AssessmentType.ADULT_MALE,"
        " Purpose.RISK, date(2027, 1, 1), AccessToChild.LIVES_IN_HOUSEHOLD)))"
    )
    root = Path(__file__).resolve().parents[2]
    keys = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(keys) == 1
