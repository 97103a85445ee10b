"""The search finds exactly the assessors the gate calls eligible, on a register of a few hundred
with every kind of failure (decision 0007's rules included), and its candidate cache never
outlives a change to the register (docs/decisions/0012)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from commission_support import case_data
from sqlalchemy import delete, func, insert, select, update

from demo.bulk import PREFIX, accept, seed_bulk_assessors
from registry.assessor_facts import facts_for, load
from registry.clock import uk_date_of
from registry.commissions import requests, search
from registry.commissions.case import case_description
from registry.eligibility import Stage, assess
from registry.models import (
    AdmissionStatus,
    Assessor,
    Attestation,
    CheckMethod,
    Commission,
    CpdRecord,
    DbsCheck,
    ExperienceEntry,
    Insurance,
    ItemReview,
    Qualification,
    Registration,
    ReviewStatus,
    Role,
    Supervision,
    ToolTraining,
    User,
    VerificationCheck,
)
from registry.policy_store import current_policy
from registry.register_state import register_token

ASSESSORS = 300

CHECK = {
    "method": CheckMethod.AUTOMATIC,
    "performed_by_label": "test",
    "status_text": "Registered",
    "detail": "",
    "source_url": "http://register.invalid/entry",
    "http_status": 200,
    "adapter_version": "test",
    "conditions": None,
    "sanction": False,
    "outcome": "clear",
    "entries": ["Forensic psychologist"],
    "name_on_register": "Synthetic Assessor",
}


class Register:
    """Writes for one synthetic assessor, straight into the database."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = uk_date_of(now)

    def check(self, registration_id: int, days: float, **fields) -> None:
        values = {
            **CHECK,
            "registration_id": registration_id,
            "checked_at": self.now - timedelta(days=days),
            "period_from": self.today - timedelta(days=700),
            "period_to": self.today + timedelta(days=400),
            **fields,
        }
        _db().session.execute(insert(VerificationCheck), [values])

    def item(self, model, assessor_id: int, status: ReviewStatus | None = None, **fields) -> int:
        stamp = {"created_at": self.now, "updated_at": self.now, "assessor_id": assessor_id}
        item_id = _db().session.scalar(insert(model).returning(model.id), [{**stamp, **fields}])
        if status is None:
            accept(model, [(assessor_id, item_id)], self.now)
        else:
            self.review(model.__tablename__, assessor_id, item_id, status)
        return item_id

    def review(self, item_type: str, assessor_id: int, item_id: int, status: ReviewStatus) -> None:
        """A newer review of an item (its latest, so the one that counts)."""
        _db().session.execute(
            insert(ItemReview),
            [
                {"assessor_id": assessor_id, "item_type": item_type, "item_id": item_id,
                 "status": status, "submitted_at": self.now, "decided_at": self.now}
            ],
        )  # fmt: skip

    def latest_item(self, model, assessor_id: int) -> int:
        return _db().session.scalar(select(model.id).where(model.assessor_id == assessor_id))

    def complete(self, assessor_id: int) -> None:
        """What the bulk seed leaves out of an eligible profile: training, CPD, supervision."""
        self.item(ToolTraining, assessor_id, tool_code="STATIC99R", trainer="Owner",
                  trained_on=self.today - timedelta(days=400), owner_approved=False)  # fmt: skip
        self.item(CpdRecord, assessor_id, title="Update", hours=6,
                  completed_on=self.today - timedelta(days=60))  # fmt: skip
        self.item(Supervision, assessor_id, supervisor_name="Dr Peer", arrangement="Monthly",
                  frequency="Monthly", started_on=self.today - timedelta(days=700))  # fmt: skip


def _db():
    from registry.extensions import db

    return db


def _admission(status: AdmissionStatus) -> Callable:
    def apply(r: Register, a: int, reg: int) -> None:
        _db().session.execute(
            update(Assessor).where(Assessor.id == a).values(admission_status=status)
        )

    return apply


def _newer_review(model, status: ReviewStatus) -> Callable:
    def apply(r: Register, a: int, reg: int) -> None:
        r.review(model.__tablename__, a, r.latest_item(model, a), status)

    return apply


def _set(model, **values) -> Callable:
    def apply(r: Register, a: int, reg: int) -> None:
        _db().session.execute(update(model).where(model.assessor_id == a).values(**values))

    return apply


def _remove(model) -> Callable:
    def apply(r: Register, a: int, reg: int) -> None:
        ids = select(model.id).where(model.assessor_id == a).scalar_subquery()
        _db().session.execute(
            delete(ItemReview).where(
                ItemReview.item_type == model.__tablename__, ItemReview.item_id.in_(ids)
            )
        )
        _db().session.execute(delete(model).where(model.assessor_id == a))

    return apply


def _second_registration_sanctioned(r: Register, a: int, reg: int) -> None:
    second = _db().session.scalar(
        insert(Registration).returning(Registration.id),
        [{"assessor_id": a, "body": "swe", "number": f"SW{a:06d}", "profession": "social_worker",
          "created_at": r.now}],
    )  # fmt: skip
    r.check(second, 3, outcome="restricted", status_text="Suspended", sanction=True, entries=[])


# Each kind of assessor: what is done to a complete, eligible profile. None keeps it complete.
VARIANTS: dict[str, Callable | None] = {
    "eligible": None,
    "eligible, manual check 10 days old": lambda r, a, reg: r.check(
        reg, 10, method=CheckMethod.MANUAL, performed_by_label="A manager"
    ),
    "applying": _admission(AdmissionStatus.APPLYING),
    "submitted": _admission(AdmissionStatus.SUBMITTED),
    "suspended": _admission(AdmissionStatus.SUSPENDED),
    "removed": _admission(AdmissionStatus.REMOVED),
    "no register check": None,
    "check 40 days old": lambda r, a, reg: r.check(reg, 40),
    "check 29 days old and 23 hours": lambda r, a, reg: r.check(reg, 29.96),
    "manual check 20 days old": lambda r, a, reg: r.check(
        reg, 20, method=CheckMethod.MANUAL, performed_by_label="A manager"
    ),
    "not found on the register": lambda r, a, reg: r.check(
        reg, 5, outcome="not_found", status_text="", entries=[], name_on_register=None
    ),
    "restricted after a clear check": lambda r, a, reg: (
        r.check(reg, 20),
        r.check(
            reg,
            2,
            outcome="restricted",
            status_text="Conditions",
            sanction=True,
            conditions="Supervised practice",
        ),
    ),
    "lapsed without a sanction after a clear check": lambda r, a, reg: (
        r.check(reg, 20),
        r.check(reg, 2, outcome="blocked", status_text="Lapsed", sanction=False),
    ),
    "unreadable after a clear check": lambda r, a, reg: (
        r.check(reg, 5),
        r.check(reg, 1, outcome="unreadable", status_text="", entries=[]),
    ),
    "sanction on a second registration": _second_registration_sanctioned,
    "educational psychologist only": lambda r, a, reg: r.check(
        reg, 5, entries=["Educational psychologist"]
    ),
    "registration rejected by a manager": lambda r, a, reg: r.review(
        "registration", a, reg, ReviewStatus.REJECTED
    ),
    "insurance ends before the needed-by date": lambda r, a, reg: _set(
        Insurance, expires_on=r.today + timedelta(days=10)
    )(r, a, reg),
    "insurance awaiting review": _newer_review(Insurance, ReviewStatus.PENDING),
    "insurance rejected": _newer_review(Insurance, ReviewStatus.REJECTED),
    "experience awaiting review": _newer_review(ExperienceEntry, ReviewStatus.PENDING),
    "experience rejected": _newer_review(ExperienceEntry, ReviewStatus.REJECTED),
    "experience in another category": _set(ExperienceEntry, offence_category="iioc"),
    "qualification without a kind": _set(Qualification, kind=None),
    "qualification of another profession": _set(Qualification, kind="social_work_qualification"),
    "qualification awaiting review": _newer_review(Qualification, ReviewStatus.PENDING),
    "no qualification": _remove(Qualification),
    "tool training awaiting review": _newer_review(ToolTraining, ReviewStatus.PENDING),
    "tool training lapsed": _set(ToolTraining, tool_code="RM2000", trained_on=date(2019, 1, 1)),
    "no tool training": _remove(ToolTraining),
    "DBS four years old": _set(DbsCheck, update_service=False, issued_on=date(2022, 1, 1)),
    "DBS awaiting review": _newer_review(DbsCheck, ReviewStatus.PENDING),
    "attested 200 days ago": _set(Attestation, attested_at=datetime.now(UTC) - timedelta(200)),
    "never attested": lambda r, a, reg: _db().session.execute(
        delete(Attestation).where(Attestation.assessor_id == a)
    ),
    "CPD 20 months ago": _set(CpdRecord, completed_on=date(2020, 1, 1)),
    "CPD awaiting review": _newer_review(CpdRecord, ReviewStatus.PENDING),
    "no supervision": _remove(Supervision),
    "supervision rejected": _newer_review(Supervision, ReviewStatus.REJECTED),
    "elsewhere, unavailable": lambda r, a, reg: _db().session.execute(
        update(Assessor)
        .where(Assessor.id == a)
        .values(regions=["Wales"], languages=["Welsh"], availability="unavailable")
    ),
}


# The kinds whose register checks are their own (the others get a clear check 3 days old).
OWN_CHECKS = {
    "eligible, manual check 10 days old",
    "no register check",
    "check 40 days old",
    "check 29 days old and 23 hours",
    "manual check 20 days old",
    "not found on the register",
    "restricted after a clear check",
    "lapsed without a sanction after a clear check",
    "unreadable after a clear check",
    "educational psychologist only",
}
ELIGIBLE_KINDS = {
    "eligible",
    "eligible, manual check 10 days old",
    "check 29 days old and 23 hours",
    "unreadable after a clear check",
    "elsewhere, unavailable",
}


@pytest.fixture
def register(registers_app, make_user):
    """ASSESSORS synthetic assessors, each of one kind (in turn), and an officer's commission."""
    db = _db()
    now = datetime.now(UTC)
    seed_bulk_assessors(ASSESSORS, now=now)
    r = Register(now)
    rows = db.session.execute(
        select(Assessor.id, Registration.id)
        .join(User, User.id == Assessor.user_id)
        .join(Registration, Registration.assessor_id == Assessor.id)
        .where(User.email.like(f"{PREFIX}%"))
        .order_by(Assessor.id)
    ).all()
    kinds: dict[int, str] = {}
    names = list(VARIANTS)
    for n, (assessor_id, registration_id) in enumerate(rows):
        kind = names[n % len(names)]
        kinds[assessor_id] = kind
        r.complete(assessor_id)
        change = VARIANTS[kind]
        if kind not in OWN_CHECKS:
            r.check(registration_id, 3)
        if callable(change):
            change(r, assessor_id, registration_id)
    db.session.commit()
    officer = make_user(Role.OFFICER).user
    commission = requests.raise_request(officer, case_data(), now=now)
    requests.start_search(officer, commission, now=now)
    db.session.commit()
    return commission.id, kinds


def _searched(commission_id: int, filters: search.Filters, monkeypatch) -> set[int]:
    """Every assessor the search returns (one page big enough for all)."""
    monkeypatch.setattr(search, "PAGE_SIZE", 10_000)
    _db().session.expire_all()
    commission = _db().session.get(Commission, commission_id)
    page = search.find_eligible(commission, filters, now=datetime.now(UTC))
    assert page.total == len(page.results)
    return {result.assessor.id for result in page.results}


def _gate_on_everyone(commission_id: int, filters: search.Filters) -> set[int]:
    """The gate applied to every assessor on the register, then the officer's filters."""
    db = _db()
    now = datetime.now(UTC)
    commission = db.session.get(Commission, commission_id)
    everyone = db.session.scalars(select(Assessor.id)).all()
    loaded = load(everyone)
    case, policy, today = case_description(commission), current_policy(), uk_date_of(now)
    eligible = {
        i
        for i in everyone
        if assess(facts_for(loaded, i, now=now), case, policy, today, stage=Stage.SEARCH).eligible
    }
    return {i for i in eligible if _passes_filters(loaded.assessors[i], filters, loaded)}


def _passes_filters(assessor: Assessor, filters: search.Filters, loaded) -> bool:
    if filters.region and filters.region not in (assessor.regions or []):
        return False
    if filters.availability and assessor.availability != filters.availability:
        return False
    if filters.language and not any(
        filters.language.lower() in language.lower() for language in assessor.languages or []
    ):
        return False
    return not filters.tool or any(
        t.tool_code == filters.tool for t in loaded.items.get(("tool_training", assessor.id), [])
    )


@pytest.mark.parametrize(
    "filters",
    [
        search.Filters(),
        search.Filters(region="London"),
        search.Filters(availability="available", language="english"),
        search.Filters(tool="STATIC99R"),
    ],
    ids=["no filters", "region", "availability and language", "tool"],
)
def test_search_finds_exactly_whom_the_gate_calls_eligible(register, filters, monkeypatch):
    commission_id, kinds = register
    found = _searched(commission_id, filters, monkeypatch)
    assert found == _gate_on_everyone(commission_id, filters)
    if filters == search.Filters():
        # Every kind of failure really fails, and the eligible kinds are found.
        assert {kinds[i] for i in found} == ELIGIBLE_KINDS
        # (The bulk seed spreads attestation, DBS and insurance dates, so not all of them.)
        assert len(found) >= ASSESSORS // len(VARIANTS)


def test_a_case_the_type_does_not_fit_finds_nobody(register, monkeypatch):
    """Decision 0007: a parent-or-carer type for a case of sexual offending fails everyone."""
    commission_id, _kinds = register
    _db().session.execute(
        update(Commission)
        .where(Commission.id == commission_id)
        .values(assessment_type="protective_capacity")
    )
    _db().session.commit()
    assert _searched(commission_id, search.Filters(), monkeypatch) == set()
    assert _gate_on_everyone(commission_id, search.Filters()) == set()


def test_the_cached_candidates_never_outlive_a_change(register, monkeypatch):
    """A search, then new clear checks for those whose check was stale: the next search finds
    the ones the gate now calls eligible, though the first search's candidates were cached."""
    commission_id, kinds = register
    before = _searched(commission_id, search.Filters(), monkeypatch)
    stale = [a for a, kind in kinds.items() if kind == "check 40 days old"]
    r = Register(datetime.now(UTC))
    for registration_id in _db().session.scalars(
        select(Registration.id).where(Registration.assessor_id.in_(stale))
    ):
        r.check(registration_id, 1)
    _db().session.commit()
    after = _searched(commission_id, search.Filters(), monkeypatch)
    assert after == _gate_on_everyone(commission_id, search.Filters())
    assert before < after <= before | set(stale)


def test_every_kind_of_write_logs_a_change(registers_app):
    """ORM flushes and bulk statements on what the search reads each append a new token."""
    db = _db()
    now = datetime.now(UTC)
    seen = [register_token()]

    def changed() -> None:
        token = register_token()
        assert token not in seen
        seen.append(token)

    seed_bulk_assessors(2, now=now)  # bulk INSERTs
    changed()
    assessor = db.session.scalar(select(Assessor).order_by(Assessor.id.desc()))
    assessor.availability = "limited"  # an ORM UPDATE
    db.session.commit()
    changed()
    db.session.add(  # an ORM INSERT
        CpdRecord(assessor_id=assessor.id, title="x", hours=1, completed_on=now.date(),
                  created_at=now, updated_at=now)
    )  # fmt: skip
    db.session.commit()
    changed()
    db.session.execute(  # a bulk UPDATE, as an admission decision or a review decision makes
        update(ItemReview)
        .where(ItemReview.assessor_id == assessor.id)
        .values(status=ReviewStatus.REJECTED)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    changed()
    db.session.delete(db.session.scalar(select(CpdRecord).where(CpdRecord.title == "x")))
    db.session.commit()
    changed()


def test_a_change_committed_after_a_later_numbered_one_still_changes_the_token(registers_app):
    """On PostgreSQL two writers can commit in the other order than their changes' ids: the
    change numbered lower, committed last, must still name a new state."""
    from registry.models import RegisterChange

    db = _db()
    now = datetime.now(UTC)
    seed_bulk_assessors(1, now=now)
    db.session.commit()
    latest = db.session.scalar(select(func.max(RegisterChange.id)))
    db.session.add(RegisterChange(id=latest + 5, token="b" * 32, changed_at=now))
    db.session.commit()
    before = register_token()
    db.session.add(RegisterChange(id=latest + 2, token="a" * 32, changed_at=now))  # committed late
    db.session.commit()
    assert register_token() != before
