"""Reads of the audit trail, each scoped to whose trail it is (AC-04).

An auditor of a local authority reads their authority's trail: every row about one of its
commission requests (whoever acted: officers, panel, the invited assessor, the service) and
every row of an action by one of its people. The register body's people (register managers and
the register's auditors) read the register's trail: everything that is not about a commission
and was not done by a local authority's people, plus what is done to accounts and roles.
Nobody reads another authority's rows: a commission of another authority is a 404.

Pages are fetched with LIMIT/OFFSET over (occurred_at, id), using the indexes on object,
actor organisation and occurred_at (migration c8e2f4a6b1d3).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from registry.audit_trail.events import codes_like
from registry.clock import UK
from registry.errors import NotFound
from registry.extensions import db
from registry.models import (
    Assessor,
    AuditEvent,
    Commission,
    Organisation,
    OrganisationKind,
    PanelDecision,
    Role,
    User,
)

PER_PAGE = 50
HISTORY_PER_PAGE = 100
EXPORT_MAX_ROWS = 50_000
# Rows about these are the register's business whoever acted (a panel member may confirm a
# panel grant, but the account is the register's to manage).
REGISTER_OBJECTS = ("user_account", "role_grant", "assessor", "registration")
# Actor filter values that are not a person.
ANY_ASSESSOR, THE_SERVICE = "assessor", "service"


@dataclass(frozen=True)
class Scope:
    """Whose trail a viewer reads."""

    kind: Literal["authority", "register"]
    organisation: Organisation

    @property
    def is_authority(self) -> bool:
        return self.kind == "authority"


def scope_of(user: User) -> Scope:
    """The trail this user may read. Raises NotFound for anyone who may read none."""
    organisation = user.organisation
    if organisation is None:
        raise NotFound("There is no audit trail for you to read")
    if user.role is Role.AUDITOR and organisation.kind is OrganisationKind.LOCAL_AUTHORITY:
        return Scope("authority", organisation)
    if (
        user.role in (Role.AUDITOR, Role.REGISTER_MANAGER)
        and organisation.kind is OrganisationKind.REGISTER_BODY
    ):
        return Scope("register", organisation)
    raise NotFound("There is no audit trail for you to read")


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """The WHERE clause of the rows this scope may read."""
    org = scope.organisation.id
    is_commission = AuditEvent.object_type == "commission"
    if scope.is_authority:
        own_commissions = select(Commission.id).where(Commission.organisation_id == org)
        return or_(
            and_(is_commission, AuditEvent.object_id.in_(own_commissions.scalar_subquery())),
            AuditEvent.actor_organisation_id == org,
        )
    return and_(
        or_(AuditEvent.object_type.is_(None), ~is_commission),
        or_(
            AuditEvent.actor_organisation_id.is_(None),
            AuditEvent.actor_organisation_id == org,
            AuditEvent.object_type.in_(REGISTER_OBJECTS),
        ),
    )


# --------------------------------------------------------------------------- filters


@dataclass
class Filters:
    """The trail's filters, read from the query string; errors name the field at fault."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    event: str = ""
    case_reference: str = ""
    page: int = 1
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        raw = {
            name: (args.get(name) or "").strip()[:60]
            for name in ("from", "to", "actor", "event", "case")
        }
        filters = cls(actor=raw["actor"], event=raw["event"], case_reference=raw["case"], raw=raw)
        for name, attribute in (("from", "date_from"), ("to", "date_to")):
            if raw[name]:
                parsed = parse_date(raw[name])
                if parsed is None:
                    filters.errors[name] = (
                        "Enter the date "
                        + ("from" if name == "from" else "to")
                        + " as a real date, for example 27/3/2026"
                    )
                setattr(filters, attribute, parsed)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            filters.errors["to"] = "The date to must be the same as or after the date from"
        page = args.get("page", "1")
        filters.page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
        return filters

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """The filters as query-string arguments (for pagination and the export link)."""
        values = {key: value for key, value in self.raw.items() if value}
        values.update({k: v for k, v in changes.items() if v})
        return values

    @property
    def active(self) -> bool:
        return any(self.raw.values())


def parse_date(text: str) -> date | None:
    """27/3/2026, 27 3 2026, 27-3-2026 or 2026-03-27; None if it is not a real date."""
    cleaned = text.replace("/", " ").replace("-", " ").replace(".", " ").split()
    if len(cleaned) != 3 or not all(part.isdigit() for part in cleaned):
        return None
    a, b, c = (int(part) for part in cleaned)
    day, month, year = (c, b, a) if len(cleaned[0]) == 4 else (a, b, c)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UK)


def filtered(scope: Scope, filters: Filters) -> Select[AuditEvent]:
    """The scope's rows that pass the filters (unordered)."""
    query = select(AuditEvent).where(in_scope(scope))
    if filters.date_from:
        query = query.where(AuditEvent.occurred_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.occurred_at < _start_of(filters.date_to + timedelta(1)))
    if filters.event:
        query = query.where(AuditEvent.action.in_(codes_like(filters.event)))
    if filters.actor == ANY_ASSESSOR:
        query = query.where(AuditEvent.actor_role == str(Role.ASSESSOR))
    elif filters.actor == THE_SERVICE:
        query = query.where(AuditEvent.actor_id.is_(None))
    elif filters.actor.isdigit():
        query = query.where(AuditEvent.actor_id == int(filters.actor))
    if filters.case_reference:
        if not scope.is_authority:
            return query.where(false())
        ids = select(Commission.id).where(
            Commission.organisation_id == scope.organisation.id,
            Commission.case_reference == filters.case_reference,
        )
        query = query.where(
            AuditEvent.object_type == "commission",
            AuditEvent.object_id.in_(ids.scalar_subquery()),
        )
    return query


@dataclass(frozen=True)
class TrailPage:
    """One page of the trail, newest first, with the names and references its rows need."""

    rows: list[AuditEvent]
    page: int
    has_next: bool
    names: dict[int, User]
    commissions: dict[int, Commission]
    assessors: dict[int, str]


def trail_page(scope: Scope, filters: Filters) -> TrailPage:
    """One page of the scope's trail (PER_PAGE rows), newest first."""
    if filters.errors:
        return TrailPage([], 1, False, {}, {}, {})
    rows = list(
        db.session.scalars(
            filtered(scope, filters)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .offset((filters.page - 1) * PER_PAGE)
            .limit(PER_PAGE + 1)
        )
    )
    return _page(rows[:PER_PAGE], filters.page, len(rows) > PER_PAGE)


def commission_history(scope: Scope, commission_id: int, page: int) -> tuple[Commission, TrailPage]:
    """A commission's every row, oldest first. Raises NotFound outside the viewer's authority."""
    commission = None
    if scope.is_authority:
        commission = db.session.scalar(
            select(Commission).where(
                Commission.id == commission_id,
                Commission.organisation_id == scope.organisation.id,
            )
        )
    if commission is None:
        raise NotFound("That commission request does not exist")
    rows = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "commission", AuditEvent.object_id == commission.id)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .offset((page - 1) * HISTORY_PER_PAGE)
            .limit(HISTORY_PER_PAGE + 1)
        )
    )
    return commission, _page(rows[:HISTORY_PER_PAGE], page, len(rows) > HISTORY_PER_PAGE)


def export_rows(scope: Scope, filters: Filters) -> Iterator[TrailPage]:
    """The filtered trail in batches of 1,000, newest first, up to EXPORT_MAX_ROWS."""
    if filters.errors:
        return
    batch = 1000
    last: tuple[datetime, int] | None = None
    sent = 0
    while sent < EXPORT_MAX_ROWS:
        query = filtered(scope, filters)
        if last is not None:
            query = query.where(
                or_(
                    AuditEvent.occurred_at < last[0],
                    and_(AuditEvent.occurred_at == last[0], AuditEvent.id < last[1]),
                )
            )
        rows = list(
            db.session.scalars(
                query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(batch)
            )
        )
        if not rows:
            return
        yield _page(rows, 1, False)
        sent += len(rows)
        last = (rows[-1].occurred_at, rows[-1].id)
        for row in rows:  # let the rows already written go
            db.session.expunge(row)


def _page(rows: list[AuditEvent], page: int, has_next: bool) -> TrailPage:
    actor_ids = {row.actor_id for row in rows if row.actor_id is not None}
    names = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
        if actor_ids
        else {}
    )
    commission_ids = {row.object_id for row in rows if row.object_type == "commission"}
    commissions = (
        {
            c.id: c
            for c in db.session.scalars(select(Commission).where(Commission.id.in_(commission_ids)))
        }
        if commission_ids
        else {}
    )
    assessor_ids = {
        value
        for row in rows
        if row.object_type == "commission"
        for value in [(row.after or {}).get("assessor_id")]
        if isinstance(value, int)
    }
    assessors = (
        {
            a.id: a.legal_name
            for a in db.session.scalars(select(Assessor).where(Assessor.id.in_(assessor_ids)))
        }
        if assessor_ids
        else {}
    )
    return TrailPage(rows, page, has_next, names, commissions, assessors)


def actor_choices(scope: Scope) -> list[tuple[str, str]]:
    """(value, words) for the actor filter: the organisation's people, assessors, the service."""
    people = db.session.scalars(
        select(User)
        .where(User.organisation_id == scope.organisation.id)
        .order_by(User.full_name, User.id)
    )
    return [
        ("", "Anyone"),
        *((str(u.id), f"{u.full_name} ({u.role.label})") for u in people),
        (ANY_ASSESSOR, "Any assessor"),
        (THE_SERVICE, "The service (automatic)"),
    ]


def recent_decisions(user: User, limit: int = 5) -> list[PanelDecision]:
    """The latest panel decisions of the user's authority, newest first (the auditor's home)."""
    if user.organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(PanelDecision)
            .join(Commission, PanelDecision.commission_id == Commission.id)
            .where(Commission.organisation_id == user.organisation_id)
            .order_by(PanelDecision.decided_at.desc(), PanelDecision.id.desc())
            .limit(limit)
        )
    )
