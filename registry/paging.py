"""A page of an ordered list and the size of the whole list, in one statement (issue 14).

The managers' lists rank rows the database has to work out (an assessor's pending items, a
registration's standing, an item's due date), so counting them and then reading a page would
work them out twice. `count(*) OVER ()` gives the whole list's size on every row of the page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from registry.extensions import db


def fetch_page(listed: Select[Any], page: int, per_page: int) -> tuple[list[Any], int, int, int]:
    """(rows of the page, rows in the whole list, the page, the number of pages) for an ordered
    query. A page past the end is the last page (it costs a count and a second read then)."""
    counted = listed.add_columns(func.count().over().label("listed_total"))
    page = max(page, 1)
    rows = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        total = int(rows[0][-1])
    else:
        whole = listed.order_by(None).subquery()
        total = db.session.scalar(select(func.count()).select_from(whole)) or 0
        last = max(1, -(-total // per_page))
        if total and page > last:
            page = last
            rows = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    pages = max(1, -(-total // per_page))
    return [tuple(row)[:-1] for row in rows], total, page, pages
