"""Journey: an auditor reads a commission's history from the commission page, in words, then the
authority's trail, filters it by case reference and exports it as CSV. Every page passes
axe-core, and at 390 px none scrolls sideways."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime
from pathlib import Path

from browser_helpers import assert_accessible, make_live_user, seed_eligible_assessor, sign_in
from playwright.sync_api import Page, expect

from registry.models import Role

REFERENCE = "NS/2026/AUDIT1"
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def check(page: Page, name: str) -> None:
    """axe-core finds nothing, the page does not scroll sideways at 390 px; a screenshot."""
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _approved_commission(live_server, officer, panel, assessor) -> None:
    """A request taken through the services to approval (as the officer, assessor and panel)."""
    from commission_support_browser import case

    from registry.commissions import panel as decisions
    from registry.commissions import requests, selection
    from registry.extensions import db
    from registry.models import Assessor, User

    def work() -> None:
        now = datetime.now(UTC)
        officer_user = db.session.get(User, officer.id)
        assessor_row = db.session.query(Assessor).filter_by(user_id=assessor.id).one()
        commission = requests.raise_request(officer_user, case(REFERENCE), now=now)
        requests.start_search(officer_user, commission, now=now)
        selection.select_assessor(officer_user, commission, assessor_row.id, now=now)
        names = {f.name for f in dataclasses.fields(selection.Answer)}
        answer = dict(
            accept=True,
            decline_reason="",
            prior_involvement=False,
            treating_relationship=False,
            professional_or_personal_relationship=False,
            financial_interest=False,
            details="",
            no_conflict=True,
        )
        selection.respond(
            assessor_row.user,
            commission,
            selection.Answer(**{k: v for k, v in answer.items() if k in names}),
            now=now,
        )
        decisions.decide(db.session.get(User, panel.id), commission, True, "", now=now)

    live_server.seed(work)


def test_auditor_reads_a_commissions_history_and_exports_the_trail(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    assessor = seed_eligible_assessor(live_server, "hart.audit@example.test")
    officer = make_live_user(
        live_server, Role.OFFICER, "officer.audit@example.test", "Omar Officer"
    )
    panel = make_live_user(live_server, Role.PANEL_MEMBER, "panel.audit@example.test", "Pat Panel")
    auditor = make_live_user(live_server, Role.AUDITOR, "auditor.audit@example.test", "Ada Auditor")
    _approved_commission(live_server, officer, panel, assessor)

    sign_in(page, live_server, auditor)
    expect(page.get_by_role("link", name=f"Decision record of {REFERENCE}")).to_be_visible()
    check(page, "auditor-home")

    page.get_by_role("link", name="All commission requests").click()
    page.get_by_role("link", name=REFERENCE).click()
    page.get_by_role("link", name="History of this request").click()
    expect(
        page.get_by_role("heading", name=f"History of commission request {REFERENCE}")
    ).to_be_visible()
    for words in (
        "Commission request raised",
        "Assessor selected and invited",
        "Assessor accepted and declared no conflict",
        "Panel approved",
        "Omar Officer",
        "Pat Panel",
    ):
        expect(page.get_by_text(words).first).to_be_visible()
    check(page, "auditor-commission-history")

    page.get_by_role("link", name="Back to the commission request").click()
    expect(page.get_by_role("heading", name=f"Commission request {REFERENCE}")).to_be_visible()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Read the audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    check(page, "auditor-trail")
    page.get_by_text("Filter the trail").click()
    page.get_by_label("Case reference").fill(REFERENCE)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table").get_by_text("Panel approved").first).to_be_visible()
    check(page, "auditor-trail-filtered")

    page.get_by_label("Date from").fill("31/2/2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(page, "auditor-trail-error")
    page.get_by_label("Date from").fill("")
    page.get_by_role("button", name="Apply filters").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these events as CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["When (UK time)", "Who", "Role", "Event"]
    assert {"Commission request raised", "Panel approved"} <= {row[3] for row in rows[1:]}
    assert all(f"Commission {REFERENCE}" == row[4] for row in rows[1:])
