"""Demo commissions for `make run`: both demo councils' requests in every state (development only).

Run after the demo registrations have been checked against the register simulator (the Makefile
runs `flask demo commissions` after `flask registers verify-due`), because selecting and
approving an assessor asks the eligibility gate, which needs a fresh clear register check; any
complete demo assessor whose registration has no check yet is checked here first.

Every step goes through the service functions an officer, an assessor and a panel member use
(raise, search, shortlist, select, answer, decide, instruct, report, review, cancel), so each row
is consistent with the rest and audited, and each approval's decision record is a genuine frozen
snapshot. Safe to run twice: a commission whose case reference exists is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from sqlalchemy import select

from registry.clock import uk_date_of, utc_now
from registry.commissions import after_approval, panel, requests, selection, verdicts
from registry.commissions.case import CaseData
from registry.eligibility import Stage
from registry.errors import DomainError
from registry.extensions import db
from registry.models import (
    Commission,
    CommissionStatus,
    Organisation,
    Registration,
    User,
    VerificationCheck,
)
from registry.verification import service as verification

S = CommissionStatus
COUNCILS = {
    "Northshire County Council": ("NS", "officer@northshire.example", "panel@northshire.example"),
    "Eastborough City Council": ("EB", "officer@eastborough.example", "panel@eastborough.example"),
}
# The complete demo profiles whose registrations the simulator answers clear (demo/assessors.py,
# demo/seed.py): the assessor who signs in first, so that she is invited where one is.
ELIGIBLE_NUMBERS = ("PYL048210", "PYL043541", "PYL31200", "SW123", "7012345", "12A3456E")
# (number, the state it reaches, what the case is): one commission per state per council.
STATES = (
    (1, S.DRAFT, "Draft: the case described, not yet searched"),
    (2, S.SHORTLISTING, "Finding an assessor: two shortlisted"),
    (3, S.AWAITING_ASSESSOR, "Waiting for the invited assessor to answer"),
    (4, S.AWAITING_PANEL, "Accepted, waiting for the panel"),
    (5, S.REJECTED, "Rejected by the panel, with its reason"),
    (6, S.APPROVED, "Approved, with its decision record"),
    (7, S.INSTRUCTED, "Approved and the assessor instructed"),
    (8, S.REPORT_RECEIVED, "The report received, its review to do"),
    (9, S.CLOSED, "The report received and reviewed"),
    (10, S.CANCELLED, "Cancelled"),
)
ORDER = [
    S.DRAFT,
    S.SHORTLISTING,
    S.AWAITING_ASSESSOR,
    S.AWAITING_PANEL,
    S.APPROVED,
    S.INSTRUCTED,
    S.REPORT_RECEIVED,
    S.CLOSED,
]


def case_reference(prefix: str, number: int) -> str:
    """A demo case reference, e.g. NS/2026/0103."""
    return f"{prefix}/2026/{100 + number:04d}"


def _case(reference: str, number: int, today) -> CaseData:
    return CaseData(
        case_reference=reference,
        context=("cp_plan", "s47", "pre_proceedings")[number % 3],
        court_permission_on=None,
        subject_sex="male",
        subject_age_band="adult",
        conviction_status="convicted",
        learning_disability=False,
        language_needs=None,
        offence_categories=["contact_intra_familial"],
        assessment_type="adult_male",
        assessment_purpose="risk",
        access_to_child="lives_in_household",
        access_details="Lives with his partner and her two children; alone with them after school.",
        needed_by=today + timedelta(days=28 + 7 * number),
        questions="What is the risk he poses to the children?\nWhat would reduce it?",
        budget_pence=250_000,
        named_parties=["Mr A Demo", "Ms B Demo"],
        information_checklist={
            "daily_life": {"state": "provided", "note": ""},
            "police": {"state": "requested", "note": "Asked of the police on the strategy call"},
        },
    )


def seed_demo_commissions(*, now: datetime | None = None) -> Iterator[str]:
    """Create the missing demo commissions of both councils; yield what was done."""
    eligible = _eligible_assessors()
    if not eligible:
        yield (
            "Demo commissions: no demo assessor is eligible yet (is the register simulator "
            "running?); none added."
        )
        return
    made = 0
    for name, (prefix, officer_email, panel_email) in COUNCILS.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        officer = _user(officer_email)
        member = _user(panel_email)
        if organisation is None or officer is None or member is None:
            yield f"Demo commissions: {name} has no demo officer or panel member; run demo seed."
            continue
        for number, target, _what in STATES:
            reference = case_reference(prefix, number)
            if _exists(organisation, reference):
                continue
            try:
                _make(officer, member, reference, number, target, eligible)
            except DomainError as error:
                db.session.rollback()
                yield f"Demo commission {reference} stopped short: {error.message}"
            else:
                made += 1
    yield f"Demo commissions: {made} added for Northshire and Eastborough, in every state."


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _exists(organisation: Organisation, reference: str) -> bool:
    return (
        db.session.scalar(
            select(Commission.id).where(
                Commission.organisation_id == organisation.id,
                Commission.case_reference == reference,
            )
        )
        is not None
    )


def _eligible_assessors() -> list[int]:
    """The complete demo assessors whose latest register check is clear (checking, against the
    simulator, any that has never been checked)."""
    found = []
    for number in ELIGIBLE_NUMBERS:
        registration = db.session.scalar(select(Registration).where(Registration.number == number))
        if registration is None:
            continue
        latest = db.session.scalar(
            select(VerificationCheck.outcome)
            .where(VerificationCheck.registration_id == registration.id)
            .order_by(VerificationCheck.checked_at.desc(), VerificationCheck.id.desc())
            .limit(1)
        )
        if latest is None:
            latest = verification.verify(registration, actor=None, now=utc_now()).check.outcome
        if latest == "clear":
            found.append(registration.assessor_id)
    return found


def _make(
    officer: User, member: User, reference: str, number: int, target: S, eligible: list[int]
) -> None:
    today = uk_date_of(utc_now())
    commission = requests.raise_request(officer, _case(reference, number, today), now=utc_now())
    if target is S.DRAFT:
        return
    requests.start_search(officer, commission, now=utc_now())
    if target is S.CANCELLED:
        requests.cancel(
            officer, commission, "The family moved to another authority's area.", now=utc_now()
        )
        return
    candidates = [
        assessor_id
        for assessor_id in eligible
        if verdicts.evaluate(assessor_id, commission, now=utc_now(), stage=Stage.SELECTION).eligible
    ]
    if not candidates:
        raise _Stopped("no demo assessor is eligible for this case")
    # The assessor who signs in is invited where the request waits for her answer; the others
    # take turns elsewhere.
    chosen = (
        candidates[0] if target is S.AWAITING_ASSESSOR else candidates[number % len(candidates)]
    )
    for assessor_id in {chosen, candidates[(number + 1) % len(candidates)]}:
        selection.add_to_shortlist(officer, commission, assessor_id, now=utc_now())
    if target is S.SHORTLISTING:
        return
    selection.select_assessor(officer, commission, chosen, now=utc_now())
    if target is S.AWAITING_ASSESSOR:
        return
    assert commission.selected_assessor is not None
    selection.respond(commission.selected_assessor.user, commission, _no_conflict(), now=utc_now())
    if target is S.AWAITING_PANEL:
        return
    if target is S.REJECTED:
        panel.decide(
            member,
            commission,
            False,
            "The police information is still awaited: ask again when it has arrived.",
            now=utc_now(),
        )
        return
    panel.decide(member, commission, True, "", now=utc_now())
    _after_approval(officer, commission, target, today)


def _after_approval(officer: User, commission: Commission, target: S, today) -> None:
    steps: list[Callable[[], None]] = [
        lambda: after_approval.instruct(officer, commission, now=utc_now()),
        lambda: after_approval.record_report(officer, commission, today, now=utc_now()),
        lambda: after_approval.record_quality_review(officer, commission, _review(), now=utc_now()),
    ]
    for status, step in zip(ORDER[ORDER.index(S.APPROVED) + 1 :], steps, strict=True):
        if ORDER.index(target) < ORDER.index(status):
            return
        step()


class _Stopped(DomainError):
    status_code = 409


def _no_conflict() -> selection.Answer:
    return selection.Answer(
        accept=True,
        decline_reason="",
        prior_involvement=False,
        treating_relationship=False,
        professional_or_personal_relationship=False,
        financial_interest=False,
        details="",
        no_conflict=True,
    )


def _review() -> after_approval.Review:
    return after_approval.Review(
        on_time=True,
        answered_questions=True,
        criticised_by_court=False,
        court_citation=None,
        rating=4,
        notes="Clear and answered every question; delivered a week early.",
    )
