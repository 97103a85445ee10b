""" "Why not?" for anyone on the register: found by name or registration number, with the gate's
verdict for this commission; and the suggestions offered while the officer types."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select

from registry.assessor_facts import facts_for, load
from registry.clock import uk_date_of
from registry.commissions.case import case_description
from registry.commissions.verdicts import conflict_fact
from registry.eligibility import Eligibility, Stage, assess
from registry.extensions import db
from registry.models import Assessor, Commission, Registration
from registry.policy_store import current_policy

LIMIT = 10


def _matching(text: str, limit: int) -> Select[Assessor]:
    words = text.strip().lower()
    pattern = f"%{words}%"
    number = words.replace(" ", "").upper()
    by_number = select(Registration.assessor_id).where(func.upper(Registration.number) == number)
    return (
        select(Assessor)
        .where(
            or_(
                func.lower(Assessor.legal_given_names + " " + Assessor.legal_surname).like(pattern),
                Assessor.id.in_(by_number),
            )
        )
        .order_by(Assessor.legal_surname, Assessor.legal_given_names, Assessor.id)
        .limit(limit)
    )


def suggestions(text: str) -> list[dict[str, str]]:
    """Up to ten names (with their registration numbers) matching what was typed so far."""
    if len(text.strip()) < 2:
        return []
    found = list(db.session.scalars(_matching(text, LIMIT)))
    numbers: dict[int, list[str]] = {}
    for assessor_id, number in db.session.execute(
        select(Registration.assessor_id, Registration.number).where(
            Registration.assessor_id.in_([a.id for a in found])
        )
    ):
        numbers.setdefault(assessor_id, []).append(number)
    return [
        {"name": a.legal_name, "numbers": ", ".join(sorted(numbers.get(a.id, [])))} for a in found
    ]


def answer(
    commission: Commission, text: str, *, now: datetime
) -> list[tuple[Assessor, Eligibility]]:
    """Everyone matching the name or registration number, with the gate's verdict now."""
    ids = [a.id for a in db.session.scalars(_matching(text, LIMIT))]
    loaded = load(ids)
    case, policy, today = case_description(commission), current_policy(), uk_date_of(now)
    return [
        (
            loaded.assessors[i],
            assess(
                facts_for(loaded, i, now=now, conflict=conflict_fact(commission, i)),
                case,
                policy,
                today,
                stage=Stage.SEARCH,
            ),
        )
        for i in ids
    ]
