"""The officer's and the panel member's daily work: home pages from the requests, checking the
answers, the shortfall explained, "why not?" on its own page, shortlisting and selecting with a
confirmation, the panel's confirmed decisions, notifications read, the list and its CSV; and
another authority seeing none of it (404)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime

import pytest
from commission_support import case_data
from sqlalchemy import select
from test_commission_views import form_of

from registry.commissions import requests, selection, shortfall
from registry.extensions import db
from registry.models import Commission, CommissionStatus, Notification, Role
from support import DEMO_PASSWORD, MadeUser

NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _fresh_now() -> None:
    global NOW
    NOW = datetime.now(UTC)


@pytest.fixture
def other_officer(make_user, make_organisation):
    return make_user(Role.OFFICER, organisation=make_organisation("Eastborough Borough Council"))


def _searching(make_user, **changes):
    officer = make_user(Role.OFFICER)
    commission = requests.raise_request(officer.user, case_data(**changes), now=NOW)
    requests.start_search(officer.user, commission, now=NOW)
    return officer, commission


def _awaiting_panel(make_user, make_eligible_assessor):
    officer, commission = _searching(make_user)
    assessor = make_eligible_assessor()
    selection.select_assessor(officer.user, commission, assessor.id, now=NOW)
    selection.respond(
        assessor.user,
        commission,
        selection.Answer(True, "", False, False, False, False, "", no_conflict=True),
        now=NOW,
    )
    return officer, commission, assessor


# --------------------------------------------------------------------------- home pages


def test_the_officer_home_page_lists_what_needs_action_and_what_is_in_progress(
    logged_in, make_user, make_eligible_assessor
):
    officer, _commission, _ = _awaiting_panel(make_user, make_eligible_assessor)
    draft = requests.raise_request(officer.user, case_data(case_reference="NS/2026/0999"), now=NOW)
    client = logged_in(officer)
    page = client.get("/").get_data(as_text=True)
    needs, progress = page.split("In progress", 1)
    assert "NS/2026/0999" in needs
    assert "Draft to finish, today" in needs
    assert f"/commissions/{draft.id}" in needs
    assert "NS/2026/0417" in progress
    assert "Waiting for the panel, today" in progress
    assert "Commissions (1)" in page  # the navigation counts what needs action
    requests.start_search(officer.user, draft, now=NOW)
    page = client.get("/").get_data(as_text=True)
    assert "Choose an assessor, today" in page.split("In progress", 1)[0]


def test_the_navigation_count_is_the_number_of_items_needing_action_in_every_state(make_user):
    """The count beside "Commissions" (one statement on every page) equals the home page's list,
    a request counted once for each reason it waits for the officer."""
    from datetime import timedelta

    from registry.commissions import worklists

    officer = make_user(Role.OFFICER)
    statuses = [
        (CommissionStatus.DRAFT, False, 0),
        (CommissionStatus.SHORTLISTING, False, 0),
        (CommissionStatus.SHORTLISTING, True, 0),  # flagged too: counted twice
        (CommissionStatus.REJECTED, False, 0),
        (CommissionStatus.APPROVED, True, 0),
        (CommissionStatus.INSTRUCTED, False, -1),  # overdue
        (CommissionStatus.INSTRUCTED, False, 30),  # not yet due
        (CommissionStatus.AWAITING_PANEL, False, 0),
        (CommissionStatus.AWAITING_ASSESSOR, True, 0),
    ]
    for n, (status, flagged, due_in_days) in enumerate(statuses):
        commission = requests.raise_request(
            officer.user, case_data(case_reference=f"NS/2026/{n:04d}"), now=NOW
        )
        commission.status = status
        commission.flagged_at = NOW if flagged else None
        if due_in_days:
            commission.needed_by = (NOW + timedelta(days=due_in_days)).date()
    db.session.commit()
    items = worklists.officer_needs_action(officer.user, now=NOW)
    assert len(items) >= len(statuses) - 2
    assert worklists.navigation_count(officer.user, now=NOW) == len(items)


def test_the_panel_home_page_lists_requests_awaiting_with_requester_and_decisions(
    logged_in, make_user, make_eligible_assessor
):
    officer, commission, _ = _awaiting_panel(make_user, make_eligible_assessor)
    panel = logged_in(make_user(Role.PANEL_MEMBER))
    page = panel.get("/").get_data(as_text=True)
    assert "NS/2026/0417" in page
    assert f"Asked by {officer.user.full_name}, today" in page
    assert "Panel decisions (1)" in page
    panel.post(
        f"/commissions/{commission.id}/decision", data={"decision": "approve", "confirmed": "yes"}
    )
    page = panel.get("/").get_data(as_text=True)
    assert "No commission requests are awaiting your decision." in page
    assert "Approved on" in page


# --------------------------------------------------------------------------- the case


def test_check_answers_comes_before_saving_and_change_keeps_every_answer(logged_in, make_user):
    client = logged_in(make_user(Role.OFFICER))
    form = form_of(case_data(questions="First question\nSecond question"))
    page = client.post("/commissions/new", data=form).get_data(as_text=True)
    assert "Check your answers before saving the request" in page
    assert "Contact offending within the family" in page or "within the family" in page
    assert "contact_intra_familial" not in page.split('type="hidden"')[0]  # words, not codes
    assert "Mr A Parent" not in page.replace('value="Mr A Parent', "")  # names only as fields
    assert 'name="named_parties" value="Mr A Parent' in page  # kept for the next post
    assert db.session.scalar(select(Commission)) is None
    change = client.post("/commissions/new?change=1", data=form).get_data(as_text=True)
    assert 'value="NS/2026/0417"' in change
    assert "Second question" in change
    assert "There is a problem" not in change
    saved = client.post("/commissions/new", data={**form, "confirmed": "yes"})
    assert saved.status_code == 302
    assert db.session.scalar(select(Commission)).questions == "First question\nSecond question"


def test_the_case_form_explains_its_questions(logged_in, make_user):
    page = logged_in(make_user(Role.OFFICER)).get("/commissions/new").get_data(as_text=True)
    assert "not a risk from someone else in the household" in page
    assert "The subject is the person to be assessed, not the child." in page


# --------------------------------------------------------------------------- search


def test_a_search_that_finds_nobody_says_why_in_counts_and_never_names(
    logged_in, make_user, make_registration
):
    officer, commission = _searching(make_user)
    hidden = make_registration("hcpc", "PYL31200").assessor
    from registry.models import AdmissionStatus

    hidden.admission_status = AdmissionStatus.ADMITTED
    db.session.commit()
    page = logged_in(officer).get(f"/commissions/{commission.id}/search").get_data(as_text=True)
    assert "Why nobody is eligible for this case" in page
    assert "Of the 1 assessors admitted to the register, 0 are eligible" in page
    assert "have fewer than 10 assessments of contact offending within the family" in page or (
        "have no current enhanced DBS check" in page
    )
    assert hidden.legal_surname not in page
    assert f"/commissions/{commission.id}/edit#" in page


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"counting": True}, "We are counting how many assessors on the register miss each rule"),
        ({"unavailable": True}, "We cannot count the reasons right now"),
        ({"counted_at": NOW, "current": False, "counting": True}, "The register has changed since"),
    ],
)
def test_on_a_large_register_the_page_says_whether_the_counts_are_ready(
    logged_in, make_user, monkeypatch, state, expected
):
    officer, commission = _searching(make_user)
    counts = shortfall.Shortfall(4, 0, [("insured", 4, "have no insurance", "needed_by")])
    monkeypatch.setattr(
        shortfall, "for_page", lambda *_a, **_k: dataclasses.replace(counts, **state)
    )
    page = logged_in(officer).get(f"/commissions/{commission.id}/search").get_data(as_text=True)
    assert expected in page
    assert ("4 have no insurance" in page) == ("counted_at" in state)


def test_the_shortfall_counts_each_failing_rule(make_user, make_registration, app_context):
    _, commission = _searching(make_user)
    from registry.models import AdmissionStatus

    make_registration("hcpc", "PYL31200").assessor.admission_status = AdmissionStatus.ADMITTED
    db.session.commit()
    found = shortfall.explain(commission, now=NOW)
    assert (found.admitted, found.eligible) == (1, 0)
    counts = {code: count for code, count, _, _ in found.reasons}
    assert counts["experienced"] == 1
    assert all(count <= 1 for count in counts.values())


def test_shortlisting_returns_to_the_same_search_page_and_filters(
    logged_in, make_user, make_eligible_assessor
):
    officer, commission = _searching(make_user)
    assessor = make_eligible_assessor()
    client = logged_in(officer)
    url = f"/commissions/{commission.id}/search?availability=&page=1"
    response = client.post(
        f"/commissions/{commission.id}/shortlist",
        data={"assessor_id": str(assessor.id), "next": url},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "Added to the shortlist" in page
    assert "Shortlisted" in page
    elsewhere = client.post(
        f"/commissions/{commission.id}/shortlist",
        data={"assessor_id": str(assessor.id), "next": "https://evil.example/"},
    )
    assert elsewhere.headers["Location"] == f"/commissions/{commission.id}"


def test_selecting_asks_for_confirmation_and_says_what_happens_next(
    logged_in, make_user, make_eligible_assessor
):
    officer, commission = _searching(make_user)
    assessor = make_eligible_assessor()
    client = logged_in(officer)
    page = client.post(
        f"/commissions/{commission.id}/select", data={"assessor_id": str(assessor.id)}
    ).get_data(as_text=True)
    assert f"Are you sure you want to select {assessor.legal_name}?" in page
    assert "declare any conflict of interest" in page
    assert commission.status is CommissionStatus.SHORTLISTING
    client.post(
        f"/commissions/{commission.id}/select",
        data={"assessor_id": str(assessor.id), "confirmed": "yes"},
    )
    db.session.refresh(commission)
    assert commission.status is CommissionStatus.AWAITING_ASSESSOR


def test_why_not_is_answered_on_its_own_page_without_the_name_in_the_url(
    logged_in, make_user, make_registration, other_officer
):
    officer, commission = _searching(make_user)
    registration = make_registration("hcpc", "PYL31200")
    client = logged_in(officer)
    response = client.post(f"/commissions/{commission.id}/search", data={"name": "Byrne"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "Byrne" not in location
    assert "/why-not/" in location
    page = client.get(location).get_data(as_text=True)
    assert "not eligible" in page
    assert "Safeguarding check" in page
    by_number = client.post(f"/commissions/{commission.id}/search", data={"name": "pyl31200"})
    assert registration.assessor.legal_name in client.get(by_number.headers["Location"]).get_data(
        as_text=True
    )
    assert logged_in(other_officer).get(location).status_code == 404


def test_suggestions_are_json_for_the_officer_of_the_authority_only(
    logged_in, make_user, make_registration, other_officer
):
    officer, commission = _searching(make_user)
    registration = make_registration("hcpc", "PYL31200")
    client = logged_in(officer)
    found = client.get(f"/commissions/{commission.id}/why-not/suggestions?q=byr").get_json()
    assert found == [{"name": registration.assessor.legal_name, "numbers": "PYL31200"}]
    assert client.get(f"/commissions/{commission.id}/why-not/suggestions?q=b").get_json() == []
    other = logged_in(other_officer)
    assert other.get(f"/commissions/{commission.id}/why-not/suggestions?q=byr").status_code == 404
    panel = logged_in(make_user(Role.PANEL_MEMBER))
    assert panel.get(f"/commissions/{commission.id}/why-not/suggestions?q=byr").status_code == 403


# --------------------------------------------------------------------------- the panel


def test_the_decision_page_shows_the_reasons_asker_and_declarations(
    logged_in, make_user, make_eligible_assessor
):
    officer, commission, _assessor = _awaiting_panel(make_user, make_eligible_assessor)
    page = logged_in(make_user(Role.PANEL_MEMBER)).get(f"/commissions/{commission.id}")
    text = page.get_data(as_text=True)
    assert f"Asked by {officer.user.full_name}" in text
    assert "Why this assessor is eligible now" in text
    assert "Safeguarding check" in text
    assert "accepted, no conflict declared" in text
    assert "What the assessor will be given" in text


def test_rejecting_without_a_reason_shows_an_error_summary(
    logged_in, make_user, make_eligible_assessor
):
    _, commission, _ = _awaiting_panel(make_user, make_eligible_assessor)
    panel = logged_in(make_user(Role.PANEL_MEMBER))
    response = panel.post(f"/commissions/{commission.id}/decision", data={"decision": "reject"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter the reason for rejecting the request" in page
    assert 'href="#reason"' in page
    assert "govuk-textarea--error" in page
    db.session.refresh(commission)
    assert commission.status is CommissionStatus.AWAITING_PANEL


def test_approve_and_reject_each_go_through_a_confirmation(
    logged_in, make_user, make_eligible_assessor
):
    _officer, commission, _ = _awaiting_panel(make_user, make_eligible_assessor)
    panel = logged_in(make_user(Role.PANEL_MEMBER))
    page = panel.post(
        f"/commissions/{commission.id}/decision", data={"decision": "approve"}
    ).get_data(as_text=True)
    assert "Are you sure you want to approve this request?" in page
    assert "checked again" in page
    page = panel.post(
        f"/commissions/{commission.id}/decision",
        data={"decision": "reject", "reason": "Too far away"},
    ).get_data(as_text=True)
    assert "Are you sure you want to reject this request?" in page
    assert "Too far away" in page
    db.session.refresh(commission)
    assert commission.status is CommissionStatus.AWAITING_PANEL
    panel.post(
        f"/commissions/{commission.id}/decision",
        data={"decision": "reject", "reason": "Too far away", "confirmed": "yes"},
    )
    db.session.refresh(commission)
    assert commission.status is CommissionStatus.REJECTED


def test_notifications_name_the_case_and_are_read_when_the_person_acts(
    logged_in, make_user, make_eligible_assessor
):
    panel_member = make_user(Role.PANEL_MEMBER)
    officer, commission, _ = _awaiting_panel(make_user, make_eligible_assessor)
    waiting = db.session.scalars(
        select(Notification).where(Notification.user_id == panel_member.user.id)
    ).all()
    assert waiting
    assert all("NS/2026/0417" in n.subject for n in waiting)
    assert all(n.link_endpoint == "commissions.show" for n in waiting)
    logged_in(panel_member).get(f"/commissions/{commission.id}")
    for n in waiting:
        db.session.refresh(n)
    assert all(n.read_at is not None for n in waiting)
    told = db.session.scalars(
        select(Notification).where(Notification.user_id == officer.user.id)
    ).all()
    assert told
    assert all("NS/2026/0417" in n.subject for n in told)
    logged_in(officer).get(f"/commissions/{commission.id}")
    for n in told:
        db.session.refresh(n)
    assert all(n.read_at is not None for n in told if n.link_endpoint == "commissions.show")


# --------------------------------------------------------------------------- the list


def test_the_list_filters_pages_and_exports_only_the_authority_s_requests(
    logged_in, make_user, other_officer
):
    officer = make_user(Role.OFFICER)
    for number in range(30):
        requests.raise_request(
            officer.user, case_data(case_reference=f"NS/2026/{number:04d}"), now=NOW
        )
    theirs = requests.raise_request(
        other_officer.user, case_data(case_reference="EB/2026/0001"), now=NOW
    )
    client = logged_in(officer)
    first = client.get("/commissions").get_data(as_text=True)
    assert "30 requests" in first
    assert "Page 1 of 2" in first
    assert "EB/2026/0001" not in first
    assert "NS/2026/0004" in client.get("/commissions?page=2").get_data(as_text=True)
    assert "NS/2026/0004" not in first
    none = client.get("/commissions?state=approved").get_data(as_text=True)
    assert "No commission requests match these filters." in none
    today = NOW.date().isoformat()
    dated = client.get(f"/commissions?from={today}&to={today}").get_data(as_text=True)
    assert "30 requests" in dated
    export = client.get("/commissions/export.csv?state=draft")
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][0] == "Case reference"
    assert len(rows) == 31
    assert all(row[0] != "EB/2026/0001" for row in rows)
    assert client.get(f"/commissions/{theirs.id}").status_code == 404


def test_another_authority_gets_404_on_every_new_page(
    logged_in, make_user, make_eligible_assessor, other_officer
):
    _officer, commission = _searching(make_user)
    assessor = make_eligible_assessor()
    other = logged_in(other_officer)
    assert (
        other.post(
            f"/commissions/{commission.id}/select", data={"assessor_id": str(assessor.id)}
        ).status_code
        == 404
    )
    assert (
        other.post(f"/commissions/{commission.id}/search", data={"name": "Hart"}).status_code == 404
    )
    made = MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)
    assert made  # the assessor exists; the other authority still sees nothing of the request
    assert other.get(f"/commissions/{commission.id}/why-not/abc").status_code == 404
