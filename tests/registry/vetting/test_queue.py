"""The vetting queue: only assessors with something to review, the count and the oldest item's
age, sortable in the URL, a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from vetting_helpers import NOW

from registry.extensions import db as _db
from registry.models import AdmissionStatus, ItemReview, ReviewStatus, Role
from registry.vetting import queries


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


def _review(assessor, item_type, item_id, status, days_ago):
    review = ItemReview(
        assessor_id=assessor.id,
        item_type=item_type,
        item_id=item_id,
        status=status,
        submitted_at=NOW - timedelta(days=days_ago),
    )
    _db.session.add(review)
    _db.session.commit()
    return review


@pytest.fixture
def waiting(db, make_assessor):
    """Ann: two items, the oldest 9 days; Bob: three, the oldest 2 days; Cat: submitted with
    nothing left to review; Dan: an item pending once but accepted since."""
    ann = make_assessor("Ann", "Zed", admission_status=AdmissionStatus.SUBMITTED)
    bob = make_assessor("Bob", "Young", admission_status=AdmissionStatus.ADMITTED)
    cat = make_assessor("Cat", "Able", admission_status=AdmissionStatus.SUBMITTED)
    dan = make_assessor("Dan", "Baker", admission_status=AdmissionStatus.ADMITTED)
    _review(ann, "identity", None, ReviewStatus.PENDING, 9)
    _review(ann, "registration", 1, ReviewStatus.PENDING, 4)
    for item_id in (1, 2, 3):
        _review(bob, "cpd_record", item_id, ReviewStatus.PENDING, 2)
    _review(cat, "identity", None, ReviewStatus.ACCEPTED, 5)
    _review(dan, "insurance", 7, ReviewStatus.PENDING, 20)
    _review(dan, "insurance", 7, ReviewStatus.ACCEPTED, 1)
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan}


def test_only_assessors_with_items_to_review_are_queued(waiting):
    page = queries.queue()
    assert [(r.assessor.legal_surname, r.pending) for r in page.rows] == [("Zed", 2), ("Young", 3)]
    assert page.rows[0].waiting_since == NOW - timedelta(days=9)
    assert page.total == 2


@pytest.mark.parametrize(
    ("sort", "order"),
    [("oldest", ["Zed", "Young"]), ("count", ["Young", "Zed"]), ("name", ["Young", "Zed"])],
)
def test_the_queue_sorts(waiting, sort, order):
    assert [r.assessor.legal_surname for r in queries.queue(sort=sort).rows] == order


def test_the_queue_pages(waiting):
    first = queries.queue(per_page=1)
    second = queries.queue(per_page=1, page=2)
    assert (first.pages, first.rows[0].assessor.legal_surname) == (2, "Zed")
    assert second.rows[0].assessor.legal_surname == "Young"
    assert queries.queue(per_page=1, page=99).page == 2  # past the end: the last page


def test_the_summary_counts_items_and_the_oldest(waiting):
    assert queries.queue_summary() == (2, 5, NOW - timedelta(days=9))


def test_the_queue_page_shows_counts_ages_and_sort_links(logged_in, waiting):
    client = logged_in(Role.REGISTER_MANAGER)
    page = client.get("/vetting").get_data(as_text=True)
    assert "Ann Zed" in page
    assert "Cat Able" not in page
    assert "Dan Baker" not in page
    assert "9 days" in page
    assert 'aria-sort="descending"' in page
    assert 'href="/vetting?sort=name"' in page
    by_name = client.get("/vetting?sort=name").get_data(as_text=True)
    assert by_name.index("Bob Young") < by_name.index("Ann Zed")
    assert 'aria-sort="ascending"' in by_name
    assert client.get("/vetting?sort=nonsense&page=x").status_code == 200


def test_an_empty_queue_says_so(logged_in):
    page = logged_in(Role.REGISTER_MANAGER).get("/vetting").get_data(as_text=True)
    assert "Nothing is waiting for review." in page
