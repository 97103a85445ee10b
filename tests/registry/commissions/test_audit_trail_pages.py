"""The audit trail read in the application (issue 11): a commission's history, the trail with
filters and pages, its CSV export; each for the viewer's own organisation only, each read
itself audited, and never a code on the page."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from commission_support import case_data
from page_codes import codes_shown

from config import BASE_DIR
from registry.audit import record_audit
from registry.audit_trail.events import ACTION_WORDS, OTHER, action_words
from registry.audit_trail.queries import PER_PAGE
from registry.commissions import panel as panel_decisions
from registry.commissions import requests, selection
from registry.extensions import db
from registry.models import AuditEvent, OrganisationKind, Role

EAST = "Eastborough City Council"


def _accept() -> selection.Answer:
    names = {f.name for f in dataclasses.fields(selection.Answer)}
    values = dict(
        accept=True,
        decline_reason="",
        prior_involvement=False,
        treating_relationship=False,
        professional_or_personal_relationship=False,
        financial_interest=False,
        details="",
        no_conflict=True,
    )
    return selection.Answer(**{k: v for k, v in values.items() if k in names})


@pytest.fixture
def scene(make_user, make_organisation, make_eligible_assessor):
    """Northshire's commission taken to approval; an Eastborough commission; auditors of each."""
    officer = make_user(Role.OFFICER, full_name="Olivia Officer")
    member = make_user(Role.PANEL_MEMBER, full_name="Patrick Panel")
    auditor = make_user(Role.AUDITOR, full_name="Aisha Auditor")
    east = make_organisation(EAST)
    east_officer = make_user(Role.OFFICER, full_name="Ewan East", organisation=east)
    east_auditor = make_user(Role.AUDITOR, full_name="Emeka East", organisation=east)
    assessor = make_eligible_assessor()
    now = datetime.now(UTC)
    commission = requests.raise_request(officer.user, case_data(), now=now)
    requests.start_search(officer.user, commission, now=now)
    selection.add_to_shortlist(officer.user, commission, assessor.id, now=now)
    selection.select_assessor(officer.user, commission, assessor.id, now=now)
    selection.respond(assessor.user, commission, _accept(), now=now)
    panel_decisions.decide(member.user, commission, True, "", now=now)
    theirs = requests.raise_request(
        east_officer.user, case_data(case_reference="EB/SECRET/9"), now=now
    )
    return dict(
        officer=officer,
        member=member,
        auditor=auditor,
        east_auditor=east_auditor,
        assessor=assessor,
        commission=commission,
        theirs=theirs,
    )


def _text(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<select\b.*?</select>", " ", html, flags=re.S)  # the filters' choices
    return re.sub(r"<[^>]+>", " ", html)


def _rows(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_auditor_reads_a_commissions_history_in_words(logged_in, scene):
    commission = scene["commission"]
    response = logged_in(scene["auditor"]).get(f"/audit-trail/commissions/{commission.id}")
    assert response.status_code == 200
    text = _text(response)
    for words in (
        "Commission request raised",
        "Status changed",
        "From “Draft” to “Finding an assessor”",
        "Assessor shortlisted",
        "Assessor selected and invited",
        "Assessor accepted and declared no conflict",
        "Panel approved",
        "Olivia Officer",
        "Commissioning officer",
        "Patrick Panel",
        "Panel member",
    ):
        assert words in text, words
    assert "commission." not in text
    assert codes_shown(text) == []
    assert f"/commissions/{commission.id}/decision-record" in response.get_data(as_text=True)


def test_reading_the_history_and_the_trail_is_audited_once_each(logged_in, scene):
    client = logged_in(scene["auditor"])
    commission = scene["commission"]
    client.get(f"/audit-trail/commissions/{commission.id}")
    client.get("/audit-trail")
    (history,) = _rows("commission.history_viewed")
    (trail,) = _rows("audit.trail_viewed")
    assert (history.actor_id, history.object_id) == (scene["auditor"].id, commission.id)
    assert (trail.actor_id, trail.object_type) == (scene["auditor"].id, "organisation")
    # The read shows in the history itself, in words.
    again = _text(client.get(f"/audit-trail/commissions/{commission.id}"))
    assert "Commission history read" in again


def test_another_authoritys_auditor_cannot_read_the_history(logged_in, scene):
    commission = scene["commission"]
    east = logged_in(scene["east_auditor"])
    assert east.get(f"/audit-trail/commissions/{commission.id}").status_code == 404
    assert _rows("commission.history_viewed") == []
    # Nor see any of it in their trail or its export.
    trail = _text(east.get("/audit-trail"))
    assert "NS/2026/0417" not in trail
    assert "Olivia Officer" not in trail
    assert "EB/SECRET/9" in trail
    exported = east.get("/audit-trail/export.csv").get_data(as_text=True)
    assert "NS/2026/0417" not in exported
    assert "Olivia Officer" not in exported
    assert "EB/SECRET/9" in exported
    # Filtering by the other authority's case reference finds nothing.
    assert "No events match these filters" in _text(east.get("/audit-trail?case=NS/2026/0417"))


def test_the_authoritys_trail_holds_its_commissions_and_people_only(logged_in, scene):
    text = _text(logged_in(scene["auditor"]).get("/audit-trail"))
    assert "Commission NS/2026/0417" in text
    assert "EB/SECRET/9" not in text
    assert "Ewan East" not in text
    assert codes_shown(text) == []


def test_the_trail_filters_by_event_actor_case_and_date(logged_in, scene):
    client = logged_in(scene["auditor"])
    officer = scene["officer"]
    by_event = _text(client.get("/audit-trail?event=commission.panel_approved"))
    assert "Panel approved" in by_event
    assert "Assessor shortlisted" not in by_event
    by_actor = _text(client.get(f"/audit-trail?actor={officer.id}"))
    assert "Olivia Officer" in by_actor
    assert "Patrick Panel" not in by_actor
    by_case = _text(client.get("/audit-trail?case=NS/2026/0417"))
    assert "Commission request raised" in by_case
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).strftime("%d/%m/%Y")
    assert "No events match" in _text(client.get(f"/audit-trail?from={tomorrow}"))
    bad = client.get("/audit-trail?from=31/02/2026")
    assert bad.status_code == 200
    assert "Enter the date from as a real date" in _text(bad)
    assert "<title>Error:" in bad.get_data(as_text=True)


def test_the_trail_is_paginated(logged_in, scene):
    auditor = scene["auditor"]
    now = datetime.now(UTC)
    for n in range(PER_PAGE + 5):
        record_audit(
            auditor.user, "commission.viewed", scene["commission"], at=now - timedelta(hours=n)
        )
    db.session.commit()
    client = logged_in(auditor)
    first = client.get("/audit-trail")
    assert 'rel="next"' in first.get_data(as_text=True)
    second = client.get("/audit-trail?page=2")
    assert second.status_code == 200
    assert 'rel="prev"' in second.get_data(as_text=True)
    assert "Case read" in _text(second)


def test_the_export_is_csv_in_words_and_audited(logged_in, scene):
    response = logged_in(scene["auditor"]).get("/audit-trail/export.csv?case=NS/2026/0417")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["When (UK time)", "Who", "Role", "Event"]
    events = {row[3] for row in rows[1:]}
    assert {"Commission request raised", "Panel approved"} <= events
    assert not any(cell.startswith("commission.") for row in rows for cell in row)
    (exported,) = _rows("audit.trail_exported")
    assert exported.actor_id == scene["auditor"].id


def test_register_managers_read_the_registers_trail_not_the_councils(logged_in, make_user, scene):
    manager = make_user(Role.REGISTER_MANAGER, full_name="Rosa Register")
    now = datetime.now(UTC)
    record_audit(manager.user, "user.invited", manager.user, at=now)
    db.session.commit()
    client = logged_in(manager)
    text = _text(client.get("/audit-trail"))
    assert "Person invited" in text
    assert "Rosa Register" in text
    assert "NS/2026/0417" not in text
    assert "EB/SECRET/9" not in text
    assert "Panel approved" not in text
    assert "Commission request raised" not in text
    exported = client.get("/audit-trail/export.csv").get_data(as_text=True)
    assert "Person invited" in exported
    assert "NS/2026/0417" not in exported
    # The register's people have no commission history to read.
    assert client.get(f"/audit-trail/commissions/{scene['commission'].id}").status_code == 403


def test_a_register_auditor_reads_the_register_trail_and_no_commission(
    logged_in, make_user, make_organisation, scene
):
    register = make_organisation("Regional Assessor Register", OrganisationKind.REGISTER_BODY)
    auditor = make_user(Role.AUDITOR, organisation=register)
    client = logged_in(auditor)
    assert "NS/2026/0417" not in _text(client.get("/audit-trail"))
    assert client.get(f"/audit-trail/commissions/{scene['commission'].id}").status_code == 404


def test_the_auditors_home_lists_recent_decisions_and_links_the_trail(logged_in, scene):
    home = logged_in(scene["auditor"]).get("/")
    html = home.get_data(as_text=True)
    commission = scene["commission"]
    assert f"/commissions/{commission.id}/decision-record" in html
    assert "Decision record of NS/2026/0417" in html
    assert "/audit-trail" in html
    assert 'id="audit-chain"' in html
    east_home = logged_in(scene["east_auditor"]).get("/").get_data(as_text=True)
    assert "NS/2026/0417" not in east_home


def test_every_action_the_code_records_has_words():
    """Each action written by record_audit, record_view or record_security_event anywhere in the
    service is in the words table (f-string actions are expanded by the table itself)."""
    literal = re.compile(
        r"record_(?:audit|view|security_event|counted_refusal)\(\s*[^,]*?,?\s*\"([a-z_]+\.[a-z_]+)\""
    )
    found = set()
    for package in ("registry", "assessors"):
        for path in (BASE_DIR / package).rglob("*.py"):
            found |= set(literal.findall(path.read_text(encoding="utf-8")))
    missing = sorted(code for code in found if action_words(code) == OTHER)
    assert missing == [], "add these actions to registry/audit_trail/events.py"
    assert action_words("commission.panel_approved") == "Panel approved"
    assert all("_" not in words and "." not in words for words in ACTION_WORDS.values())


def test_the_commission_page_links_its_history_for_auditors_only(logged_in, scene):
    commission = scene["commission"]
    link = f"/audit-trail/commissions/{commission.id}"
    auditor_page = logged_in(scene["auditor"]).get(f"/commissions/{commission.id}")
    assert link in auditor_page.get_data(as_text=True)
    officer_page = logged_in(scene["officer"]).get(f"/commissions/{commission.id}")
    assert link not in officer_page.get_data(as_text=True)
    # Officers and panel members read no trail.
    assert logged_in(scene["officer"]).get(link).status_code == 403
    assert logged_in(scene["member"]).get("/audit-trail").status_code == 403
