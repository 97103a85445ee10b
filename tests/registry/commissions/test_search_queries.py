"""A search page costs a fixed number of SQL statements, whatever the candidates or page size."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from commission_support import case_data

from registry.commissions import requests, search
from registry.extensions import db as _db
from registry.models import Commission, Role


@contextmanager
def counted_statements():
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", count)


def _commission(make_user):
    officer = make_user(Role.OFFICER).user
    commission = requests.raise_request(officer, case_data(), now=datetime.now(UTC))
    requests.start_search(officer, commission, now=datetime.now(UTC))
    return commission.id


def _statements_for_page(
    commission_id: int, page: int = 1, *, cached: bool = False
) -> tuple[int, search.Page]:
    """Statements of one find_eligible call, from a fresh session as in a request (with the
    ranked candidates computed afresh unless `cached`)."""
    if not cached:
        search.clear_cache()
    _db.session.remove()
    commission = _db.session.get(Commission, commission_id)
    with counted_statements() as statements:
        result = search.find_eligible(commission, search.Filters(page=page), now=datetime.now(UTC))
    return len(statements), result


@pytest.fixture
def eligible_assessors(register_simulator, make_eligible_assessor, monkeypatch):
    """Make n more eligible assessors, each with a clear HCPC entry added to the simulator."""
    from simulator import data as simulator_data

    # make_registration names the assessor after the simulator's seeded entry for the number,
    # so the entries added to the running simulator are added to the seeded list too.
    seeded = list(simulator_data.SEED_REGISTRANTS)
    monkeypatch.setattr(simulator_data, "SEED_REGISTRANTS", seeded)
    made = []

    def make(count: int) -> None:
        for _ in range(count):
            number = f"PYL5{len(made):04d}"
            surname = "Hart" + "".join(chr(ord("a") + int(d)) for d in f"{len(made):02d}")
            seeded.append(
                register_simulator.app.set_status(
                    "hcpc", number, "Registered", name=f"Amy {surname}"
                )
            )
            made.append(make_eligible_assessor(number=number))

    return make


def test_statements_do_not_grow_with_the_candidates(registers_app, make_user, eligible_assessors):
    commission_id = _commission(make_user)
    eligible_assessors(3)
    few, page = _statements_for_page(commission_id)
    assert page.total == 3

    eligible_assessors(9)
    many, page = _statements_for_page(commission_id)
    assert page.total == 12

    assert many == few


def test_statements_do_not_grow_with_the_page_size(
    registers_app, make_user, eligible_assessors, monkeypatch
):
    commission_id = _commission(make_user)
    eligible_assessors(12)

    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    small, page = _statements_for_page(commission_id)
    assert len(page.results) == 2
    assert page.has_next

    monkeypatch.setattr(search, "PAGE_SIZE", 10)
    large, page = _statements_for_page(commission_id)
    assert len(page.results) == 10
    assert page.has_next

    assert large == small


def test_a_page_the_gate_already_judged_costs_one_statement_and_gives_the_same_results(
    registers_app, make_user, eligible_assessors
):
    commission_id = _commission(make_user)
    eligible_assessors(12)
    _cold, first = _statements_for_page(commission_id)
    warm, again = _statements_for_page(commission_id, cached=True)
    assert again.total == first.total == 12
    assert again.results == first.results
    # Only the register's latest change is read: nothing changed, so the verdicts stand.
    assert warm == 1


def test_a_page_past_those_judged_costs_the_loading_only_and_still_a_constant(
    registers_app, make_user, eligible_assessors, monkeypatch
):
    commission_id = _commission(make_user)
    eligible_assessors(12)
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    cold, page = _statements_for_page(commission_id)  # judges the top 9 candidates
    assert page.total is None
    assert len(page.results) == 2
    later, page = _statements_for_page(commission_id, page=5, cached=True)  # needs 11
    assert len(page.results) == 2
    assert page.total == 12
    # The ranked list is kept: the candidate query is not run again.
    assert later == cold - 1


def test_verdicts_kept_for_a_register_unchanged_are_not_used_on_a_later_day(
    registers_app, make_user, eligible_assessors
):
    """Nothing written to the register, but the checks went stale: the gate judges again."""
    commission_id = _commission(make_user)
    eligible_assessors(3)
    _db.session.remove()
    commission = _db.session.get(Commission, commission_id)
    now = datetime.now(UTC)
    assert search.find_eligible(commission, search.Filters(), now=now).total == 3
    later = search.find_eligible(commission, search.Filters(), now=now + timedelta(days=31))
    assert later.total == 0
