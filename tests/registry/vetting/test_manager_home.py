"""The register manager's home page: the work waiting, each with a link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from vetting_helpers import NOW, made

from registry.audit import record_audit
from registry.extensions import db as _db
from registry.models import AdmissionAction, AdmissionDecision, ItemReview, ReviewStatus, Role
from registry.vetting.home import manager_home


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


@pytest.fixture
def busy(db, make_assessor, manager, second_manager):
    ann = make_assessor("Ann", "Zed")
    for days, item_id in ((6, 1), (2, 2)):
        _db.session.add(
            ItemReview(
                assessor_id=ann.id,
                item_type="cpd_record",
                item_id=item_id,
                status=ReviewStatus.PENDING,
                submitted_at=NOW - timedelta(days=days),
            )
        )
    _db.session.add(
        AdmissionDecision(
            assessor_id=ann.id,
            action=AdmissionAction.REINSTATE,
            reason="Conditions lifted",
            proposed_by_id=second_manager.id,
            proposed_at=NOW,
        )
    )
    record_audit(None, "registers.canary", object_type="hcpc", outcome="failure", at=NOW)
    _db.session.commit()
    return ann


def test_the_figures(busy, manager):
    home = manager_home(manager, now=NOW)
    assert (home.assessors_to_review, home.items_to_review) == (1, 2)
    assert home.oldest_item_since == NOW - timedelta(days=6)
    assert [d.assessor.legal_surname for d in home.waiting_for_second] == ["Zed"]
    assert home.unreadable_registers == ["Health and Care Professions Council"]


def test_the_home_page_shows_each_with_a_link(busy, manager, logged_in):
    page = logged_in(made(manager)).get("/").get_data(as_text=True)
    assert "2 items from 1 assessor; the oldest has waited 6 days" in page
    assert "Reinstate: Ann Zed" in page
    for href in (
        "/vetting",
        "/verification",
        "/vetting/expiries?within=30",
        "/users/grants",
        "/background-jobs/failed",
    ):
        assert f'href="{href}' in page, href
    assert "Failed background jobs" in page
    assert "Unreadable public registers" in page


def test_an_empty_home_page_says_none(db, logged_in):
    page = logged_in(Role.REGISTER_MANAGER).get("/").get_data(as_text=True)
    assert "Items to review" in page
    assert "None" in page
