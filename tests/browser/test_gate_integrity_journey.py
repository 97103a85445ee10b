"""Journey (decision 0007, "only accepted items count"): an admitted assessor adds new tool
training; an officer's search does not count it until a register manager accepts it; then it
does."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from browser_helpers import assert_accessible, make_live_user, seed_eligible_assessor, sign_in
from playwright.sync_api import Page, expect

from registry.extensions import db
from registry.models import Assessor, ItemReview, Role, ToolTraining, User

NUMBER = "PYL31377"  # Dr Grace Adeyemi on the simulated HCPC register


def _without_tool_training(live_server, made) -> int:
    def strip() -> int:
        assessor = db.session.scalar(db.select(Assessor).where(Assessor.user_id == made.id))
        for row in db.session.scalars(
            db.select(ToolTraining).where(ToolTraining.assessor_id == assessor.id)
        ):
            db.session.execute(
                db.delete(ItemReview).where(
                    ItemReview.item_type == "tool_training", ItemReview.item_id == row.id
                )
            )
            db.session.delete(row)
        return assessor.id

    return live_server.seed(strip)


def _searching(live_server, officer) -> int:
    def raise_it() -> int:
        from commission_support_browser import case

        from registry.commissions import requests

        now = datetime.now(UTC)
        raiser = db.session.get(User, officer.id)
        commission = requests.raise_request(raiser, case("NS/2026/0031"), now=now)
        requests.start_search(raiser, commission, now=now)
        return commission.id

    return live_server.seed(raise_it)


def test_new_training_counts_only_once_a_manager_accepts_it(page: Page, live_server) -> None:
    assessor = seed_eligible_assessor(live_server, "adeyemi.journey@example.test", NUMBER)
    assessor_id = _without_tool_training(live_server, assessor)
    officer = make_live_user(live_server, Role.OFFICER, "officer.gate@example.test")
    manager = make_live_user(live_server, Role.REGISTER_MANAGER, "manager.gate@example.test")
    commission_id = _searching(live_server, officer)

    # The admitted assessor adds tool training: it waits for review.
    sign_in(page, live_server, assessor)
    page.goto(f"{live_server.url}/assessor/profile/tool-training")
    page.get_by_role("link", name="Add a tool training").click()
    page.get_by_label("Tool", exact=True).select_option(label="Static-99R")
    page.get_by_label("Who trained you").fill("Static-99 Clearinghouse trainer")
    trained = datetime.now(UTC).date() - timedelta(days=30)
    group = page.get_by_role("group", name="Date trained")
    group.get_by_label("Day").fill(str(trained.day))
    group.get_by_label("Month").fill(str(trained.month))
    group.get_by_label("Year").fill(str(trained.year))
    page.get_by_role("button", name="Save").click()
    page.goto(f"{live_server.url}/assessor/profile")
    expect(page.get_by_text("Awaiting review").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    # The officer's search does not count it, and "why not?" says it is awaiting review.
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/commissions/{commission_id}/search")
    expect(page.get_by_role("heading", name="Eligible assessors")).to_be_visible()
    expect(page.get_by_role("heading", name="Grace Adeyemi")).to_have_count(0)
    page.get_by_label("Assessor's name").fill("Adeyemi")
    page.get_by_role("button", name="Why not?").click()
    expect(page.get_by_text(re.compile("awaiting review by a register manager"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    # A register manager accepts the training.
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/vetting/assessors/{assessor_id}")
    form = page.locator("form", has=page.get_by_role("button", name="Save decision"))
    expect(form).to_have_count(1)  # only the new training waits for review
    expect(page.get_by_text(re.compile("Clearinghouse trainer")).first).to_be_visible()
    form.first.get_by_label("Accept", exact=True).check()
    form.first.get_by_role("button", name="Save decision").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    # Now the search finds her.
    sign_in(page, live_server, officer, step=1)
    page.goto(f"{live_server.url}/commissions/{commission_id}/search")
    expect(page.get_by_role("heading", name="Grace Adeyemi")).to_be_visible()
    assert_accessible(page)
