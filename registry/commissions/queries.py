"""Reads of commission requests, each scoped to who may see it (AC-04): the authority's
requests, one request, the panel's queue, an assessor's invitations, decision records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from registry.clock import UK
from registry.commissions.snapshot import is_intact
from registry.errors import NotFound
from registry.extensions import db
from registry.models import (
    Assessor,
    Commission,
    CommissionStatus,
    QualityReview,
    RegisterPage,
    Role,
    User,
    VerificationCheck,
)

S = CommissionStatus
# The rules whose evidence ids are register checks.
REGISTER_RULES = frozenset({"regulated", "freshly_verified", "no_restriction"})


def visible_to(user: User) -> Select[Commission]:
    """The commission requests a user may see: their own authority's (AC-04)."""
    if user.role not in (Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR) or not user.organisation_id:
        return select(Commission).where(Commission.id.is_(None))
    return select(Commission).where(Commission.organisation_id == user.organisation_id)


def get_commission(user: User, commission_id: int) -> Commission:
    """A commission the user may see. Raises NotFound for another authority's (AC-04)."""
    commission = db.session.scalar(visible_to(user).where(Commission.id == commission_id))
    if commission is None:
        raise NotFound("That commission request does not exist")
    return commission


def requests_of(user: User) -> list[Commission]:
    """The authority's commission requests, newest first."""
    return list(db.session.scalars(visible_to(user).order_by(Commission.created_at.desc())))


def awaiting_panel(user: User) -> list[Commission]:
    """Requests of the panel member's authority that await a decision, oldest first."""
    return list(
        db.session.scalars(
            visible_to(user)
            .where(Commission.status == S.AWAITING_PANEL)
            .order_by(Commission.updated_at)
        )
    )


def assessor_named(assessor_id: int) -> Assessor:
    """An assessor on the register, to name on a confirmation page. NotFound otherwise."""
    assessor = db.session.get(Assessor, assessor_id)
    if assessor is None:
        raise NotFound("That assessor does not exist")
    return assessor


def invitation_for(user: User, commission_id: int) -> Commission:
    """A commission the user's assessor record is invited to. Raises NotFound otherwise."""
    commission = db.session.get(Commission, commission_id)
    assessor = db.session.scalar(select(Assessor).where(Assessor.user_id == user.id))
    if commission is None or assessor is None or commission.selected_assessor_id != assessor.id:
        raise NotFound("That invitation does not exist")
    return commission


def open_invitations(user: User) -> list[Commission]:
    """Commissions awaiting this assessor's answer."""
    return list(
        db.session.scalars(
            select(Commission)
            .join(Assessor, Commission.selected_assessor_id == Assessor.id)
            .where(Assessor.user_id == user.id, Commission.status == S.AWAITING_ASSESSOR)
            .order_by(Commission.selected_at)
        )
    )


def commissions_of_assessor(user: User) -> list[Commission]:
    """Every commission this assessor was selected for and still holds, by date needed."""
    return list(
        db.session.scalars(
            select(Commission)
            .join(Assessor, Commission.selected_assessor_id == Assessor.id)
            .where(Assessor.user_id == user.id, Commission.status != S.DRAFT)
            .order_by(Commission.needed_by, Commission.id)
        )
    )


def quality_reviews_of(assessor_id: int | None) -> list[QualityReview]:
    """The quality reviews of an assessor's past reports, newest first (for managers, panels)."""
    if assessor_id is None:
        return []
    return list(
        db.session.scalars(
            select(QualityReview)
            .where(QualityReview.assessor_id == assessor_id)
            .order_by(QualityReview.reviewed_at.desc())
        )
    )


def decision_records(commission: Commission) -> list[dict[str, Any]]:
    """Each decision's frozen snapshot, whether it is intact, and the checks it cites."""
    records = []
    for decision in commission.decisions:
        snapshot = json.loads(decision.snapshot)
        check_ids = {
            i
            for rule in snapshot["rules"]
            if rule["code"] in REGISTER_RULES
            for i in rule["evidence_ids"]
        }
        checks = {
            c.id: c
            for c in db.session.scalars(
                select(VerificationCheck).where(VerificationCheck.id.in_(check_ids))
            )
        }
        hashes = [c.body_sha256 for c in checks.values() if c.body_sha256]
        stored = set(
            db.session.scalars(select(RegisterPage.sha256).where(RegisterPage.sha256.in_(hashes)))
        )
        records.append(
            {
                "decision": decision,
                "snapshot": snapshot,
                "checks": checks,
                "pages": stored,
                "intact": is_intact(decision.snapshot, decision.snapshot_sha256),
            }
        )
    return records


PER_PAGE = 25


@dataclass(frozen=True)
class ListFilters:
    """Filters of the commission list (not identifying: they may travel in the URL)."""

    state: str = ""
    raised_from: date | None = None
    raised_to: date | None = None
    assessor: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> ListFilters:
        """Filters from a query string, ignoring anything malformed."""
        state = args.get("state", "")
        page = args.get("page", "1")
        return cls(
            state=state if state in {s.value for s in S} else "",
            raised_from=_day(args.get("from", "")),
            raised_to=_day(args.get("to", "")),
            assessor=args.get("assessor", "").strip()[:80],
            page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The filters as query-string arguments (for links to other pages, the export)."""
        values = {
            "state": self.state,
            "from": self.raised_from.isoformat() if self.raised_from else "",
            "to": self.raised_to.isoformat() if self.raised_to else "",
            "assessor": self.assessor,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, 1)}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def filtered_requests(user: User, filters: ListFilters) -> Select[Commission]:
    """The authority's requests matching the filters, newest first (page it, or export it)."""
    query = visible_to(user)
    if filters.state:
        query = query.where(Commission.status == S(filters.state))
    if filters.raised_from:
        query = query.where(Commission.created_at >= _start_of(filters.raised_from))
    if filters.raised_to:
        query = query.where(Commission.created_at < _start_of(filters.raised_to + timedelta(1)))
    if filters.assessor:
        pattern = f"%{filters.assessor.lower()}%"
        query = query.join(Assessor, Commission.selected_assessor_id == Assessor.id).where(
            func.lower(Assessor.legal_given_names + " " + Assessor.legal_surname).like(pattern)
        )
    return query.order_by(Commission.created_at.desc(), Commission.id.desc())


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK).astimezone(UTC)


def requests_page(user: User, filters: ListFilters) -> tuple[list[Commission], int]:
    """One page of the filtered list, and how many requests match in all."""
    query = filtered_requests(user, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(PER_PAGE).offset((filters.page - 1) * PER_PAGE))
    return list(rows), total or 0
