"""A search page costs a fixed number of SQL statements, whatever the candidates or page size."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

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


def test_a_cached_page_costs_one_statement_fewer_and_still_a_constant(
    registers_app, make_user, eligible_assessors, monkeypatch
):
    commission_id = _commission(make_user)
    eligible_assessors(12)
    cold, _page = _statements_for_page(commission_id)
    warm, page = _statements_for_page(commission_id, cached=True)
    assert page.total == 12
    assert warm == cold - 1

    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    small, page = _statements_for_page(commission_id, page=2, cached=True)
    assert len(page.results) == 2
    assert small == warm
