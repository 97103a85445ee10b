"""The register managers' lists cost the same number of SQL statements however big the register is
(issue 14): the vetting queue, the registrations needing attention, the expiries and the users are
each paginated in SQL, and nothing is loaded row by row. Each page is counted on a register of 5
synthetic assessors (with their registrations, items, reviews, register checks and accounts) and
again at 40, when every list has more rows than a page; the counts must not move."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select

from demo.bulk import PREFIX, seed_bulk_assessors
from registry.extensions import db as _db
from registry.models import (
    Assessor,
    Insurance,
    ItemReview,
    Registration,
    ReviewStatus,
    Role,
    User,
    VerificationCheck,
)
from registry.models.verification import CheckMethod

SMALL, LARGE = 5, 40
PAGE_SIZE = 10  # smaller than the large register's lists, so their pages are full


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)


def grow_register(size: int, now: datetime) -> None:
    """Synthetic assessors up to `size`; for each new one an item back in review (every other
    one) and register checks of its registration: clear and recent, clear but stale, not found,
    or none, in turn."""
    have = _db.session.scalar(select(func.count(User.id)).where(User.email.like(f"{PREFIX}%")))
    seed_bulk_assessors(size - (have or 0), now=now)
    rows = _db.session.execute(
        select(Assessor.id, Insurance.id, Registration.id)
        .join(User, User.id == Assessor.user_id)
        .join(Insurance, Insurance.assessor_id == Assessor.id)
        .join(Registration, Registration.assessor_id == Assessor.id)
        .where(User.email.like(f"{PREFIX}%"))
        .order_by(Assessor.id)
        .offset(have or 0)
    ).all()
    for n, (assessor_id, insurance_id, registration_id) in enumerate(rows, start=have or 0):
        if n % 2 == 0:
            _db.session.execute(
                insert(ItemReview).values(
                    assessor_id=assessor_id,
                    item_type="insurance",
                    item_id=insurance_id,
                    status=ReviewStatus.PENDING,
                    submitted_at=now - timedelta(hours=n + 1),
                )
            )
        kind = ("clear", "stale", "not_found", None)[n % 4]
        if kind is not None:
            _db.session.execute(
                insert(VerificationCheck).values(
                    registration_id=registration_id,
                    method=CheckMethod.AUTOMATIC,
                    performed_by_label="test",
                    checked_at=now - timedelta(days=40 if kind == "stale" else 2),
                    outcome="not_found" if kind == "not_found" else "clear",
                    status_text="",
                    detail="",
                    entries=[],
                    source_url="http://register.example/",
                    adapter_version="test",
                    period_to=now.date() + timedelta(days=n % 60),
                )
            )
    _db.session.commit()


@pytest.fixture
def small_pages(monkeypatch):
    from registry.users import listing
    from registry.verification import queries as verification_queries
    from registry.vetting import expiries, queries

    monkeypatch.setattr(queries, "QUEUE_PAGE_SIZE", PAGE_SIZE)
    monkeypatch.setattr(verification_queries, "PAGE_SIZE", PAGE_SIZE)
    monkeypatch.setattr(expiries, "PAGE_SIZE", PAGE_SIZE)
    monkeypatch.setattr(listing, "PAGE_SIZE", PAGE_SIZE)


def _counts(client, path: str, marker: str) -> tuple[int, int]:
    """Statements of page 1 and of page 2 of a list (each after a warm-up request)."""
    counts = []
    for page in (1, 2):
        url = f"{path}{'&' if '?' in path else '?'}page={page}"
        client.get(url)
        with counted_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert marker in response.get_data(as_text=True)
        counts.append(len(statements))
    return counts[0], counts[1]


def _constant(db, logged_in, path: str, marker: str, pages_marker: str) -> None:
    now = datetime.now(UTC)
    client = logged_in(Role.REGISTER_MANAGER)
    grow_register(SMALL, now)
    small = _counts(client, path, marker)
    grow_register(LARGE, now)
    html = client.get(path).get_data(as_text=True)
    assert pages_marker in html  # the large register's list runs to more than one page
    large = _counts(client, path, marker)
    assert small[0] == large[0] == large[1], {"small": small, "large": large}


def test_the_vetting_queue_costs_the_same_statements_at_any_size(db, logged_in, small_pages):
    _constant(db, logged_in, "/vetting?sort=oldest", "Synthetic Assessor", "Page 1 of 2")


def test_registrations_needing_attention_cost_the_same_statements_at_any_size(
    db, logged_in, small_pages
):
    _constant(db, logged_in, "/verification", "Synthetic Assessor", "Page 1 of ")


def test_the_expiries_cost_the_same_statements_at_any_size(db, logged_in, small_pages):
    _constant(db, logged_in, "/vetting/expiries?within=90", "Synthetic Assessor", "Page 1 of ")


def test_the_users_list_costs_the_same_statements_at_any_size(db, logged_in, small_pages):
    _constant(db, logged_in, "/users?role=assessor", "Synthetic Assessor", "Page 1 of ")
