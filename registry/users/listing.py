"""The Users page's list: search by name or email, filter by role and organisation, a page at a
time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from registry.extensions import db
from registry.models import Role, User

PAGE_SIZE = 25
NO_ORGANISATION = "none"  # the filter value for accounts without an organisation (assessors)


@dataclass(frozen=True)
class UserFilters:
    """What the manager asked for; empty means everything."""

    text: str = ""
    role: Role | None = None
    organisation: int | str | None = None  # an id, NO_ORGANISATION, or None for any


@dataclass(frozen=True)
class UserPage:
    """One page of accounts."""

    users: list[User]
    total: int
    page: int
    pages: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_users(filters: UserFilters, *, page: int = 1, per_page: int | None = None) -> UserPage:
    """Accounts matching the filters, ordered by name, one page of them (a page past the end is
    the last page)."""
    per_page = per_page or PAGE_SIZE
    query = select(User)
    text = filters.text.strip().lower()
    if text:
        pattern = f"%{_escape_like(text)}%"
        query = query.where(
            or_(
                func.lower(User.full_name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if filters.role is not None:
        query = query.where(User.role == filters.role)
    if filters.organisation == NO_ORGANISATION:
        query = query.where(User.organisation_id.is_(None))
    elif isinstance(filters.organisation, int):
        query = query.where(User.organisation_id == filters.organisation)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    users = db.session.scalars(
        # Joined, not a second statement: the count stays the same on a page of assessors,
        # who have no organisation.
        query.options(joinedload(User.organisation))
        .order_by(User.full_name, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return UserPage(list(users), total, page, pages)


def parse_filters(args: dict[str, str]) -> UserFilters:
    """Filters from the query string; anything unrecognised is ignored."""
    role = next((r for r in Role if r.value == args.get("role")), None)
    raw = args.get("organisation", "")
    organisation: int | str | None = None
    if raw == NO_ORGANISATION:
        organisation = NO_ORGANISATION
    elif raw.isdigit():
        organisation = int(raw)
    return UserFilters(text=args.get("q", "")[:200], role=role, organisation=organisation)
