"""The decision record as a case-review bundle: the case in words, the gate's result with its
evidence, the declarations, the decision, the policy as it stood, the snapshot's hash checked;
printable, and as a PDF made on the server whose text a test reads back."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest
from commission_support import case_data
from pypdf import PdfReader
from sqlalchemy import select

from registry.commissions import panel as panel_decisions
from registry.commissions import requests, selection
from registry.extensions import db
from registry.models import AuditEvent, PanelDecision, Role

NO_CONFLICT = selection.Answer(True, "", False, False, False, False, "", no_conflict=True)


@pytest.fixture
def decided(make_user, make_eligible_assessor):
    now = datetime.now(UTC)
    officer, panel = make_user(Role.OFFICER), make_user(Role.PANEL_MEMBER)
    assessor = make_eligible_assessor()
    commission = requests.raise_request(
        officer.user,
        case_data(questions="What is the risk?\nWho should supervise contact?"),
        now=now,
    )
    requests.start_search(officer.user, commission, now=now)
    selection.select_assessor(officer.user, commission, assessor.id, now=now)
    selection.respond(assessor.user, commission, NO_CONFLICT, now=now)
    panel_decisions.decide(panel.user, commission, True, "", now=now)
    return commission, panel


def test_the_frozen_record_holds_the_policy_in_plain_english(decided):
    decision = db.session.scalar(select(PanelDecision))
    snapshot = json.loads(decision.snapshot)
    headings = [section["heading"] for section in snapshot["policy_text"]]
    assert "Qualified" in headings
    assert "Independent" in headings


def test_the_record_page_is_a_bundle_for_a_case_review(decided, logged_in):
    commission, panel = decided
    page = logged_in(panel).get(f"/commissions/{commission.id}/decision-record")
    text = page.get_data(as_text=True)
    for expected in (
        "The case",
        "Risk posed by an adult man",  # the assessment type in words
        "What the assessor was to be given",
        "declared no conflict with any of the named parties",
        "This record is intact",
        "The eligibility rules as they stood (policy 2026.2)",
        "Print this record",
        "Download the record as a PDF",
    ):
        assert expected in text, expected
    # The questions keep their line breaks.
    assert re.search(
        r'<span class="app-pre-line">What is the risk\?\n\s*Who should supervise', text
    )
    assert "Mr A Parent" not in text  # named parties are shown to the invited assessor only


def test_the_pdf_is_made_on_the_server_and_says_what_the_page_says(decided, logged_in):
    commission, panel = decided
    response = logged_in(panel).get(f"/commissions/{commission.id}/decision-record.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    squashed = " ".join(text.split())
    assert "Decision record: commission request" in squashed
    assert commission.organisation.name in squashed
    assert "This record is intact" in squashed
    assert "Qualified" in squashed
    assert f"Page 1 of {len(reader.pages)}" in squashed
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "commission.decision_record_pdf")
    )


def test_another_authority_cannot_have_the_pdf(decided, logged_in, make_user, make_organisation):
    commission, _ = decided
    outsider = make_user(Role.AUDITOR, organisation=make_organisation("Eastborough City Council"))
    response = logged_in(outsider).get(f"/commissions/{commission.id}/decision-record.pdf")
    assert response.status_code == 404
