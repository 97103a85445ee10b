"""verify-due reads the due registrations in batches and keeps only a few lookups queued, without
asking any register more often at once than its gate allows."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from registry.extensions import db
from registry.models import VerificationCheck
from registry.registers.http import RegisterClient
from registry.verification import runner


def test_every_due_registration_is_checked_once_across_many_small_batches(
    registers_app, make_registration, make_assessor, monkeypatch
):
    monkeypatch.setattr(runner, "LOAD_EVERY", 3)
    monkeypatch.setattr(runner, "COMMIT_EVERY", 4)
    monkeypatch.setattr(runner, "QUEUED_PER_THREAD", 1)
    assessor = make_assessor("Batch", "Person")
    registrations = [
        make_registration(body, number, assessor=assessor)
        for body, numbers in (("hcpc", range(9)), ("swe", range(5)), ("nmc", range(2)))
        for number in (
            f"PYL9{n:05d}" if body == "hcpc" else f"SW9{n:04d}" if body == "swe" else f"99Z{n:04d}Z"
            for n in numbers
        )
    ]
    summary = runner.verify_due(now=datetime.now(UTC))
    assert summary.total == len(registrations) == 16
    assert {body: sum(c.values()) for body, c in summary.outcomes.items()} == {
        "hcpc": 9,
        "swe": 5,
        "nmc": 2,
    }
    per_registration = Counter(db.session.scalars(select(VerificationCheck.registration_id)).all())
    assert per_registration == Counter({r.id: 1 for r in registrations})
    assert runner.verify_due(now=datetime.now(UTC)).total == 0


def test_the_extra_lookup_thread_never_asks_a_register_more_often_at_once_than_its_gate(
    registers_app, register_simulator, make_registration, make_assessor, monkeypatch
):
    register_simulator.app.set_latency(0.05)
    assessor = make_assessor("Polite", "Person")
    for n in range(12):
        make_registration("hcpc", f"PYL8{n:05d}", assessor=assessor)
    active: Counter[str] = Counter()
    most: Counter[str] = Counter()
    lock = threading.Lock()
    fetch = RegisterClient._fetch

    def counting_fetch(self, url):
        with lock:
            active[self.code] += 1
            most[self.code] = max(most[self.code], active[self.code])
        try:
            return fetch(self, url)
        finally:
            with lock:
                active[self.code] -= 1

    monkeypatch.setattr(RegisterClient, "_fetch", counting_fetch)
    adapter = runner.adapter_for("hcpc")
    assert runner.lookup_threads(adapter) == adapter.client.gate.max_concurrency + 1
    summary = runner.verify_due(now=datetime.now(UTC))
    assert summary.total == 12
    assert most["hcpc"] == adapter.client.gate.max_concurrency
    assert db.session.scalar(select(func.count(VerificationCheck.id))) == 12
