"""An assessor's own profile items: add, change and remove them, and set their services.

Every function here is one unit of work for the acting assessor: it finds the assessor's own row
(any other id is NotFound, so nobody learns that it exists), checks the rules in profile_rules,
sends the item back to review if the profile is being vetted, audits, and commits once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from assessors.profile_data import ServicesData
from assessors.profile_rules import CHECKS, check_services
from assessors.service import assessor_of
from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.errors import NotAllowed, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    Assessor,
    Document,
    Role,
    User,
)
from registry.models.profile import PROFILE_ITEM_MODELS
from registry.policy_store import current_policy
from registry.vetting.status import mark_changed

# item_type (the table's name, as item reviews name it) -> model
ITEM_MODELS = PROFILE_ITEM_MODELS
NOT_FOUND = "Page not found"
# A manager's decision on a disclosure is about one certificate: a new one needs a new decision.
DBS_IDENTITY = ("certificate_number", "issued_on", "disclosure")


def own_assessor(user: User) -> Assessor:
    """The acting user's assessor record. Raises NotAllowed for other roles, NotFound if none."""
    if user.role is not Role.ASSESSOR:
        raise NotAllowed("Only assessors have a profile")
    assessor = assessor_of(user)
    if assessor is None:
        raise NotFound(NOT_FOUND)
    return assessor


def own_item(user: User, item_type: str, item_id: int) -> Any:
    """One of the acting assessor's items. Raises NotFound for anyone else's or none."""
    model = _model(item_type)
    assessor = own_assessor(user)
    item = db.session.scalar(
        select(model).where(model.id == item_id, model.assessor_id == assessor.id)
    )
    if item is None:
        raise NotFound(NOT_FOUND)
    return item


def items_of(assessor: Assessor, item_type: str) -> list[Any]:
    """The assessor's items of one type, oldest first."""
    model = _model(item_type)
    return list(
        db.session.scalars(select(model).where(model.assessor_id == assessor.id).order_by(model.id))
    )


def add_item(user: User, item_type: str, data: Any, *, now: datetime) -> Any:
    """Add an item to the acting assessor's profile. Raises ValidationFailed or NotFound."""
    assessor = own_assessor(user)
    values = _checked(assessor, item_type, data, now)
    item = _model(item_type)(assessor_id=assessor.id, created_at=now, updated_at=now, **values)
    db.session.add(item)
    db.session.flush()
    mark_changed(assessor, item_type, item.id, now=now)
    record_audit(user, f"profile.{item_type}_added", item, at=now)
    db.session.commit()
    return item


def change_item(user: User, item_type: str, item_id: int, data: Any, *, now: datetime) -> Any:
    """Change one of the acting assessor's items. Raises ValidationFailed or NotFound."""
    item = own_item(user, item_type, item_id)
    assessor = own_assessor(user)
    values = _checked(assessor, item_type, data, now)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    if item_type == "dbs_check" and set(changed) & set(DBS_IDENTITY):
        item.disclosure_decision = None
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_at = now
    mark_changed(assessor, item_type, item.id, now=now)
    record_audit(user, f"profile.{item_type}_changed", item, at=now, after={"fields": changed})
    db.session.commit()
    return item


def remove_item(user: User, item_type: str, item_id: int, *, now: datetime) -> None:
    """Remove one of the acting assessor's items. Raises NotFound for anyone else's."""
    item = own_item(user, item_type, item_id)
    assessor = own_assessor(user)
    mark_changed(assessor, item_type, item.id, now=now)
    record_audit(user, f"profile.{item_type}_removed", item, at=now)
    db.session.delete(item)
    db.session.commit()


def save_services(user: User, data: ServicesData, *, now: datetime) -> Assessor:
    """Set the regions, languages, availability and day rate. Raises ValidationFailed."""
    assessor = own_assessor(user)
    values = check_services(data, uk_date_of(now), current_policy())
    changed = sorted(name for name, value in values.items() if getattr(assessor, name) != value)
    for name, value in values.items():
        setattr(assessor, name, value)
    mark_changed(assessor, "services", None, now=now)
    record_audit(user, "profile.services_changed", assessor, at=now, after={"fields": changed})
    db.session.commit()
    return assessor


def _model(item_type: str) -> Any:
    try:
        return ITEM_MODELS[item_type]
    except KeyError:
        raise NotFound(NOT_FOUND) from None


def _checked(assessor: Assessor, item_type: str, data: Any, now: datetime) -> dict[str, Any]:
    values = CHECKS[item_type](data, uk_date_of(now), current_policy())
    document_id = values.get("document_id")
    if document_id is not None and not _owns_document(assessor, document_id):
        raise ValidationFailed("Select one of your documents", "document_id")
    return values


def _owns_document(assessor: Assessor, document_id: int) -> bool:
    return (
        db.session.scalar(
            select(Document.id).where(
                Document.id == document_id, Document.assessor_id == assessor.id
            )
        )
        is not None
    )
