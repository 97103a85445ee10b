"""Everything the register holds about an assessor, for them to download (data protection).

Documents are listed by their metadata only; their content is downloaded one by one.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select

from assessors.profile import ITEM_MODELS, items_of, own_assessor
from registry.audit import record_audit
from registry.csvexport import writer as csv_writer
from registry.extensions import db
from registry.models import Attestation, Document, ItemReview, User
from registry.vocabulary import (
    AdmissionStatus,
    Availability,
    CheckMethod,
    DbsLevel,
    DocumentKind,
    ItemType,
    OffenceCategory,
    Outcome,
    Population,
    Purpose,
    ReviewStatus,
    Term,
    label_of,
)

ASSESSOR_FIELDS = (
    "id",
    "legal_given_names",
    "legal_surname",
    "professional_title",
    "admission_status",
    "created_at",
    "regions",
    "languages",
    "availability",
    "day_rate_pence",
)
# Internal names that say nothing about the person (where a file is stored on disk).
HIDDEN = {"stored_name", "capture_path", "claimed_until"}
# The CSV is for reading: these fields' codes are written in words (the JSON keeps the codes).
CSV_WORDS: dict[tuple[str, str], type[Term]] = {
    ("identity", "admission_status"): AdmissionStatus,
    ("identity", "availability"): Availability,
    ("dbs_check", "level"): DbsLevel,
    ("experience_entry", "offence_category"): OffenceCategory,
    ("experience_entry", "population"): Population,
    ("experience_entry", "assessment_purpose"): Purpose,
    ("documents", "kind"): DocumentKind,
    ("reviews", "status"): ReviewStatus,
    ("reviews", "item_type"): ItemType,
    ("registration_checks", "method"): CheckMethod,
    ("registration_checks", "outcome"): Outcome,
}


def export_profile(user: User, *, now: datetime) -> dict[str, Any]:
    """Everything held about the acting assessor, as plain values; the export is audited."""
    assessor = own_assessor(user)
    data = {
        "exported_at": now.isoformat(),
        "account": {"email": user.email, "full_name": user.full_name},
        "identity": {name: _plain(getattr(assessor, name)) for name in ASSESSOR_FIELDS},
        "registrations": [
            {**_row(r), "checks": [_row(c) for c in r.checks]} for r in assessor.registrations
        ],
        **{
            item_type: [_row(i) for i in items_of(assessor, item_type)] for item_type in ITEM_MODELS
        },
        "documents": [_row(d) for d in _all(Document, assessor.id)],
        "reviews": [_row(r) for r in _all(ItemReview, assessor.id)],
        "attestations": [_row(a) for a in _all(Attestation, assessor.id)],
    }
    record_audit(user, "profile.exported", assessor, at=now)
    db.session.commit()
    return data


def as_csv(data: dict[str, Any]) -> str:
    """The export as CSV: one line per value (section, record id, field, value).

    Written through the shared safe writer, so no value can run as a spreadsheet formula.
    """
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["section", "record_id", "field", "value"])
    writer.writerow(["export", "", "exported_at", data["exported_at"]])
    for section in ("account", "identity"):
        for field, value in data[section].items():
            writer.writerow([section, data["identity"]["id"], field, _text(value, section, field)])
    for section, rows in data.items():
        if isinstance(rows, list):
            for row in rows:
                _write_row(writer, section, row)
    return out.getvalue()


def _write_row(writer: Any, section: str, row: dict[str, Any]) -> None:
    for field, value in row.items():
        if field == "checks":
            for check in value:
                _write_row(writer, "registration_checks", check)
        else:
            writer.writerow([section, row.get("id", ""), field, _text(value, section, field)])


def _all(model: Any, assessor_id: int) -> list[Any]:
    return list(
        db.session.scalars(select(model).where(model.assessor_id == assessor_id).order_by(model.id))
    )


def _row(obj: Any) -> dict[str, Any]:
    columns = inspect(obj).mapper.column_attrs
    return {c.key: _plain(getattr(obj, c.key)) for c in columns if c.key not in HIDDEN}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def _text(value: Any, section: str = "", field: str = "") -> str:
    if value is None:
        return ""
    vocabulary = CSV_WORDS.get((section, field))
    if vocabulary is not None:
        return label_of(value, vocabulary)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
