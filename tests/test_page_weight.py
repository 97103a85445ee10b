"""Every page is under 100 KB of HTML (issue 14), on the demo data of `make run`.

The walk is benchmarks/page_weight.py's: a demo user of each role GETs every GET rule of the URL
map once for each object of the data that fits its arguments, and every 200 HTML answer is a page.
Sizes are not timings, so they are tested: a list that stops being paginated, or a page that grows
with the data, fails here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from support import simulator_settings
from support.databases import is_postgres

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import page_weight  # the benchmark's walk

# Sizes do not depend on the database; on PostgreSQL the walk's audited page views take minutes.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        is_postgres(os.environ.get("TEST_DATABASE_URL", "")),
        reason="page sizes are the same on either database; measured on SQLite",
    ),
]


@pytest.fixture
def app(make_app, register_simulator):
    """A development-like app (demo data allowed) pointed at the register simulator."""
    return make_app(DEMO_DATA_ALLOWED=True, **simulator_settings(register_simulator))


def test_every_page_of_every_role_is_under_100_kb(db, runner):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    runner.invoke(args=["registers", "verify-due"])  # exits 1 when a register is unreadable
    assert runner.invoke(args=["demo", "commissions"]).exit_code == 0
    pages = page_weight.walk(runner.app)
    roles = {page.role for page in pages}
    assert roles == set(page_weight.DEMO_USERS), roles
    assert len(pages) > 100  # the walk reached the pages behind the ids, not just the lists
    over = [(p.path, p.role, round(p.kb, 1)) for p in pages if p.size >= page_weight.LIMIT_BYTES]
    assert not over, over
