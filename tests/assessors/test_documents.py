"""Evidence documents: upload policy, storage, authorised download, audit (FILE-01..06, AC-03)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import AuditEvent, Document, Role
from support import DEMO_PASSWORD, MadeUser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
HTML = b"<!doctype html><script>alert(1)</script>"


def _made(assessor) -> MadeUser:
    return MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)


@pytest.fixture
def owner(make_assessor):
    """The assessor whose documents the tests upload and read."""
    return make_assessor("Amelia", "Hart")


@pytest.fixture
def owner_client(logged_in, owner):
    """A client signed in as the owner."""
    return logged_in(_made(owner))


def upload(client, content=PDF, name="certificate.pdf", **fields):
    """Post the upload form with one file."""
    data = {"kind": "qualification", "description": "Level 7 certificate", **fields}
    data["file"] = (io.BytesIO(content), name)
    return client.post("/assessor/documents", data=data, content_type="multipart/form-data")


def documents_of(assessor) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.assessor_id == assessor.id)))


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_file01_an_11_mib_upload_gets_the_413_page(owner_client, owner):
    # The body is built by hand: the test client would spool a file this big to a temporary
    # file that it never closes once the app refuses to read it (a ResourceWarning).
    boundary = "boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + b"\x00" * (11 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = owner_client.post(
        "/assessor/documents",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert documents_of(owner) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [(HTML, "invoice.pdf"), (HTML, "page.html"), (PNG, "scan.pdf"), (b"", "empty.pdf")],
)
def test_file02_a_file_whose_content_or_name_is_not_allowed_is_refused(
    owner_client, owner, content, name
):
    response = upload(owner_client, content, name, description="Kept after the error")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert 'value="Kept after the error"' in page
    assert documents_of(owner) == []


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "certificate.pdf", "application/pdf"),
        (PNG, "scan.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (JPEG, "photo.JPEG", "image/jpeg"),
    ],
)
def test_file02_a_real_pdf_png_and_jpeg_are_each_accepted(
    owner_client, owner, content, name, content_type
):
    response = upload(owner_client, content, name)
    assert response.status_code == 302
    (document,) = documents_of(owner)
    assert document.content_type == content_type
    assert document.size_bytes == len(content)
    assert audit_count("document.uploaded") == 1


def test_file03_a_traversal_name_lands_inside_the_storage_root_under_a_random_name(
    app, owner_client, owner
):
    assert upload(owner_client, PDF, "../../x.pdf").status_code == 302
    (document,) = documents_of(owner)
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    stored = (root / "documents" / document.stored_name).resolve()
    assert stored.is_relative_to(root)
    assert stored.read_bytes() == PDF
    assert len(document.stored_name) == 32
    assert document.original_name == "x.pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert not (root.parent / "x.pdf").exists()
    assert owner_client.get(f"/static/{document.stored_name}").status_code == 404


def test_file04_a_download_carries_every_header_and_writes_one_audit_row(owner_client, owner):
    upload(owner_client, PNG, "scan.png")
    (document,) = documents_of(owner)
    response = owner_client.get(f"/assessor/documents/{document.id}/download")
    assert response.status_code == 200
    assert response.data == PNG
    headers = response.headers
    assert headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"scan.png\"; filename*=UTF-8''scan.png"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Security-Policy"] == "sandbox"
    assert audit_count("document.viewed") == 1


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR, "assessor"])
def test_file04_ac03_an_unrelated_user_gets_404_and_the_attempt_is_audited(
    logged_in, make_assessor, owner_client, owner, role
):
    upload(owner_client)
    (document,) = documents_of(owner)
    other = logged_in(_made(make_assessor("Rhys", "Morgan"))) if role == "assessor" else None
    other = other or logged_in(role)
    assert other.get(f"/assessor/documents/{document.id}/download").status_code == 404
    assert other.get(f"/assessor/{owner.id}/documents").status_code == 404
    assert audit_count("document.viewed") == 0
    assert audit_count("document.view_refused") == 1
    assert audit_count("document.list_refused") == 1


def test_file04_a_register_manager_downloads_and_each_download_is_one_audit_row(
    logged_in, owner_client, owner
):
    upload(owner_client)
    (document,) = documents_of(owner)
    manager = logged_in(Role.REGISTER_MANAGER)
    for expected in (1, 2):
        assert manager.get(f"/assessor/documents/{document.id}/download").status_code == 200
        assert audit_count("document.viewed") == expected


def test_file04_a_missing_document_is_404(owner_client):
    assert owner_client.get("/assessor/documents/999999/download").status_code == 404


def test_file05_the_21st_upload_is_refused_with_a_form_error(owner_client, owner):
    for number in range(20):
        assert upload(owner_client, description=f"Document {number}").status_code == 302
    response = upload(owner_client, description="One too many")
    assert response.status_code == 200
    assert "You have uploaded the maximum of 20 files" in response.get_data(as_text=True)
    assert len(documents_of(owner)) == 20


def _unreachable(data: bytes) -> None:
    raise ConnectionRefusedError("clamd is not answering")


def _infected(data: bytes) -> None:
    raise ValueError("Eicar-Test-Signature FOUND")


def _clean(data: bytes) -> None:
    return None


def _client_with_scanner(make_app, make_assessor, scanner):
    app = make_app(ANTIVIRUS_SCAN=scanner)
    assessor = make_assessor("Amelia", "Hart")
    client = app.test_client()
    with client.session_transaction() as session:
        now = datetime.now(UTC).timestamp()
        session.update(
            _user_id=assessor.user.get_id(), _fresh=True, auth_at=now, seen_at=now, mfa_at=now
        )
    return app, client, assessor


def test_file06_an_unreachable_scanner_refuses_the_upload_and_audits_it(make_app, make_assessor):
    app, client, assessor = _client_with_scanner(make_app, make_assessor, _unreachable)
    with app.app_context():
        response = upload(client)
        assert response.status_code == 200
        assert "could not be checked for viruses" in response.get_data(as_text=True)
        assert documents_of(assessor) == []
        assert audit_count("document.scan_unavailable") == 1


def test_file06_an_infected_file_is_refused_and_audited(make_app, make_assessor):
    app, client, assessor = _client_with_scanner(make_app, make_assessor, _infected)
    with app.app_context():
        assert "contains a virus" in upload(client).get_data(as_text=True)
        assert documents_of(assessor) == []
        assert audit_count("document.infected") == 1


def test_file06_a_clean_scan_lets_the_upload_through(make_app, make_assessor):
    app, client, assessor = _client_with_scanner(make_app, make_assessor, _clean)
    with app.app_context():
        assert upload(client).status_code == 302
        assert len(documents_of(assessor)) == 1


def test_log02_the_owner_sees_who_viewed_their_documents(logged_in, make_user, owner_client, owner):
    upload(owner_client, description="DBS certificate 2026")
    (document,) = documents_of(owner)
    manager = logged_in(make_user(Role.REGISTER_MANAGER, full_name="Morgan Manager"))
    manager.get(f"/assessor/documents/{document.id}/download")
    owner_client.get(f"/assessor/documents/{document.id}/download")
    page = owner_client.get("/assessor/documents").get_data(as_text=True)
    views = page.split("Who has viewed your documents", 1)[1]
    assert "Morgan Manager" in views
    assert "Downloaded DBS certificate 2026" in views
    assert "Amelia Hart" not in views


def test_log02_a_manager_sees_the_document_list_and_the_look_is_audited(
    logged_in, owner_client, owner
):
    upload(owner_client, description="Insurance schedule")
    manager = logged_in(Role.REGISTER_MANAGER)
    page = manager.get(f"/assessor/{owner.id}/documents").get_data(as_text=True)
    assert "Insurance schedule" in page
    assert audit_count("document.list_viewed") == 1


def test_ac05_extra_fields_cannot_put_a_document_on_another_assessor(
    make_assessor, owner_client, owner
):
    other = make_assessor("Rhys", "Morgan")
    response = upload(owner_client, assessor_id=other.id, uploaded_by_id=other.user_id)
    assert response.status_code == 302
    (document,) = documents_of(owner)
    assert document.uploaded_by_id == owner.user_id
    assert documents_of(other) == []


def test_ac03_only_assessors_upload(logged_in):
    assert upload(logged_in(Role.REGISTER_MANAGER)).status_code == 403
