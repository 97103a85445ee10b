"""No page shows a raw code: every role's main pages, rendered with the test client, speak in
words (the browser suite checks the same in Chromium's visible text)."""

from __future__ import annotations

from html.parser import HTMLParser

from commission_support import case_data
from page_codes import codes_shown
from sqlalchemy import select

from registry.extensions import db
from registry.models import Commission, Role
from support import DEMO_PASSWORD, MadeUser


class _Text(HTMLParser):
    """The text a reader sees: everything outside tags, scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def assert_speaks_in_words(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    shown = codes_shown(visible_text(response.get_data(as_text=True)))
    assert not shown, f"{path} shows codes: {shown}"


def _form(data, **changes) -> dict:
    values = {
        "case_reference": data.case_reference,
        "context": data.context,
        "subject_sex": data.subject_sex,
        "subject_age_band": data.subject_age_band,
        "conviction_status": data.conviction_status,
        "offence_categories": data.offence_categories,
        "assessment_type": data.assessment_type,
        "assessment_purpose": data.assessment_purpose,
        "access_to_child": data.access_to_child,
        "needed_by": [str(data.needed_by.day), str(data.needed_by.month), str(data.needed_by.year)],
        "court_permission_on": ["", "", ""],
        "questions": data.questions,
        "named_parties": "\n".join(data.named_parties),
        "budget": "2,500",
    }
    values.update(changes)
    return values


def test_no_page_of_any_role_shows_a_code(logged_in, make_user, make_eligible_assessor):
    officer = make_user(Role.OFFICER)
    assessor = make_eligible_assessor()
    officer_client = logged_in(officer)

    # A request in many codes (only shown), and a typical one taken to a decision.
    many = case_data(
        case_reference="NS/2026/0001",
        context="pre_proceedings",
        subject_age_band="12_17",
        conviction_status="finding_of_fact",
        offence_categories=["contact_extra_familial", "online_grooming"],
        assessment_type="young_person_hsb",
        assessment_purpose="contact_plan",
        access_to_child="unsupervised_contact",
    )
    assert (
        officer_client.post(
            "/commissions/new", data={**_form(many), "confirmed": "yes"}
        ).status_code
        == 302
    )
    assert (
        officer_client.post(
            "/commissions/new", data={**_form(case_data()), "confirmed": "yes"}
        ).status_code
        == 302
    )
    shown, typical = db.session.scalars(select(Commission).order_by(Commission.id)).all()
    officer_client.post(f"/commissions/{typical.id}/start-search")
    officer_client.post(
        f"/commissions/{typical.id}/select",
        data={"assessor_id": str(assessor.id), "confirmed": "yes"},
    )

    invited = logged_in(MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None))
    assert_speaks_in_words(invited, f"/commissions/invitations/{typical.id}")
    invited.post(
        f"/commissions/invitations/{typical.id}", data={"accept": "yes", "conflict": "none"}
    )

    panel = logged_in(make_user(Role.PANEL_MEMBER))
    for path in ("/", "/commissions", "/commissions/panel", f"/commissions/{typical.id}"):
        assert_speaks_in_words(panel, path)
    panel.post(
        f"/commissions/{typical.id}/decision", data={"decision": "approve", "confirmed": "yes"}
    )

    for path in (
        "/",
        "/commissions",
        "/commissions/new",
        f"/commissions/{shown.id}",
        f"/commissions/{typical.id}",
        f"/commissions/{typical.id}/decision-record",
        "/eligibility-policy",
    ):
        assert_speaks_in_words(officer_client, path)

    manager = logged_in(make_user(Role.REGISTER_MANAGER))
    registration = assessor.registrations[0]
    for path in (
        "/",
        "/users",
        f"/users/{assessor.user.id}",
        "/vetting",
        f"/vetting/assessors/{assessor.id}",
        "/vetting/expiries",
        "/vetting/reference",
        "/verification",
        f"/verification/registrations/{registration.id}",
    ):
        assert_speaks_in_words(manager, path)

    sections = ("qualifications", "tool-training", "experience", "referees", "dbs")
    for path in (
        "/",
        "/assessor/profile",
        "/assessor/registrations",
        "/assessor/documents",
        "/assessor/profile/services",
        "/assessor/vetting",
        *(f"/assessor/profile/{section}" for section in sections),
        *(f"/assessor/profile/{section}/add" for section in sections),
    ):
        assert_speaks_in_words(invited, path)
