"""An assessor downloads everything the register holds about them (audited)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from registry.extensions import db
from registry.models import Attestation, AuditEvent, Registration


def test_json_export_holds_identity_registrations_items_and_attestations(
    assessor, assessor_client, fill_profile
):
    fill_profile(assessor)
    now = datetime.now(UTC)
    db.session.add(
        Registration(
            assessor=assessor,
            body="hcpc",
            number="PYL043541",
            profession="practitioner_psychologist",
            created_at=now,
        )
    )
    db.session.add(Attestation(assessor_id=assessor.id, statement="Accurate", signed_name="A Hart",
                               attested_at=now))  # fmt: skip
    db.session.commit()
    response = assessor_client.get("/assessor/profile/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert data["identity"]["legal_surname"] == "Hart"
    assert data["registrations"][0]["number"] == "PYL043541"
    assert data["registrations"][0]["checks"] == []
    for item_type in ("qualification", "tool_training", "experience_entry", "referee",
                      "dbs_check", "insurance", "cpd_record", "supervision"):  # fmt: skip
        assert len(data[item_type]) == 1, item_type
    assert data["insurance"][0]["cover_pence"] == 500_000_000
    assert data["attestations"][0]["signed_name"] == "A Hart"
    assert {r["status"] for r in data["reviews"]} == {"pending"}
    assert data["identity"]["regions"] == ["London", "South East"]


def test_export_is_audited(assessor, assessor_client):
    assessor_client.get("/assessor/profile/export.csv")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "profile.exported"))
    assert (event.actor_id, event.object_id) == (assessor.user_id, assessor.id)


def test_csv_export_is_one_value_a_line(assessor, assessor_client, fill_profile):
    fill_profile(assessor)
    response = assessor_client.get("/assessor/profile/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "record_id", "field", "value"]
    assert ["identity", str(assessor.id), "legal_surname", "Hart"] in rows
    assert any(r[0] == "dbs_check" and r[2] == "certificate_number" for r in rows)


def test_documents_are_exported_without_their_storage_name(assessor, assessor_client):
    from registry.models import Document, DocumentKind

    db.session.add(Document(
        assessor_id=assessor.id, uploaded_by_id=assessor.user_id, kind=DocumentKind.CV,
        description="CV", original_name="cv.pdf", content_type="application/pdf", size_bytes=10,
        sha256="0" * 64, stored_name="s" * 64, uploaded_at=datetime.now(UTC),
    ))  # fmt: skip
    db.session.commit()
    document = assessor_client.get("/assessor/profile/export.json").get_json()["documents"][0]
    assert document["original_name"] == "cv.pdf"
    assert "stored_name" not in document
