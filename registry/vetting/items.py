"""The items of an assessor's profile that register managers review, one by one.

An item is (item_type, item_id): item_type is the table's name as ItemReview stores it, item_id
its row; "identity" and "services" are the assessor's own fields (item_id None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from registry.extensions import db
from registry.models import (
    Assessor,
    Registration,
)
from registry.models.profile import PROFILE_ITEM_MODELS
from registry.policy_store import current_policy
from registry.vetting.status import ItemKey
from registry.vocabulary import (
    Availability,
    DbsLevel,
    ItemType,
    OffenceCategory,
    Population,
    Purpose,
    label_of,
)

IDENTITY = "identity"
SERVICES = "services"
ROW_MODELS: dict[str, Any] = {Registration.__tablename__: Registration, **PROFILE_ITEM_MODELS}
ITEM_LABELS = {item.value: item.label for item in ItemType}


@dataclass(frozen=True)
class ProfileItem:
    """One reviewable item: its key, what it says in a line, and its evidence document if any."""

    item_type: str
    item_id: int | None
    summary: str
    document_id: int | None = None
    row: Any = None
    changed_at: Any = None

    @property
    def key(self) -> ItemKey:
        return (self.item_type, self.item_id)

    @property
    def label(self) -> str:
        return ITEM_LABELS.get(self.item_type, self.item_type)


def profile_items(assessor: Assessor) -> list[ProfileItem]:
    """Every item of the assessor's profile, identity first, in a stable order."""
    items = [ProfileItem(IDENTITY, None, _identity(assessor))]
    for item_type, model in ROW_MODELS.items():
        rows = db.session.scalars(
            select(model).where(model.assessor_id == assessor.id).order_by(model.id)
        )
        for row in rows:
            items.append(
                ProfileItem(
                    item_type,
                    row.id,
                    summarise(item_type, row),
                    getattr(row, "document_id", None),
                    row,
                    getattr(row, "updated_at", None),
                )
            )
    items.append(ProfileItem(SERVICES, None, _services(assessor)))
    return items


def summarise(item_type: str, row: Any) -> str:
    """The item in one line, as a manager reads it: names and words, never codes."""
    policy = current_policy()

    def body(code: str) -> str:
        found = policy.body(code)
        return found.short_name if found else code.upper()

    def profession(code: str) -> str:
        found = policy.profession(code)
        return found.title if found else label_of(code)

    def tool(code: str) -> str:
        found = policy.tool(code)
        return found.name if found else code

    summaries = {
        "registration": lambda r: f"{body(r.body)} {r.number} ({profession(r.profession)})",
        "qualification": lambda r: f"{r.title}, {r.awarding_body}, {_day(r.awarded_on)}",
        "tool_training": lambda r: (
            f"{tool(r.tool_code)}: trained by {r.trainer} on {_day(r.trained_on)}"
            + (f", refresher due {_day(r.refresher_due)}" if r.refresher_due else "")
            + (", owner approval held" if r.owner_approved else "")
        ),
        "experience_entry": lambda r: (
            f"{r.count} × {label_of(r.offence_category, OffenceCategory, lower=True)}, "
            f"{label_of(r.population, Population, lower=True)}, "
            f"{label_of(r.assessment_purpose, Purpose, lower=True)} "
            f"({_day(r.period_from)} to {_day(r.period_to)})"
        ),
        "referee": lambda r: f"{r.name}, {r.role}, {r.organisation}",
        "dbs_check": lambda r: (
            f"{_capital(label_of(r.level, DbsLevel, lower=True))} issued {_day(r.issued_on)}"
            + (", on the Update Service" if r.update_service else "")
            + (", with a disclosure" if r.disclosure else "")
        ),
        "insurance": lambda r: (
            f"{r.insurer}, expires {_day(r.expires_on)}"
            + (", covers expert reports" if r.covers_expert_reports else "")
        ),
        "cpd_record": lambda r: f"{r.title}, {r.hours} hours, {_day(r.completed_on)}",
        "supervision": lambda r: f"{r.supervisor_name}, {r.frequency}",
    }
    return summaries[item_type](row)


def _identity(assessor: Assessor) -> str:
    title = f", {assessor.professional_title}" if assessor.professional_title else ""
    return f"{assessor.legal_name}{title}"


def _services(assessor: Assessor) -> str:
    regions = ", ".join(assessor.regions or []) or "no regions"
    languages = ", ".join(assessor.languages or []) or "no languages"
    availability = label_of(assessor.availability, Availability) or "availability not given"
    return f"{regions}; {languages}; {availability}"


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
