"""Manual-check captures are served with the type detected from their content (FILE-04).

The penetration test found a PNG uploaded as `capture.html` served as `text/html`, because the
download's type was guessed from the uploaded name. The type must come from the bytes, as it
does for evidence documents, and the download name must carry a matching extension.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import Role, VerificationCheck

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _record(client, registration, content: bytes, name: str) -> VerificationCheck:
    response = client.post(
        f"/verification/registrations/{registration.id}/manual-check",
        data={
            "outcome": "clear",
            "status_text": "Registered",
            "source_url": "https://www.sssc.uk.com/the-register/",
            "notes": "Checked by hand",
            "capture": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(
        select(VerificationCheck).order_by(VerificationCheck.id.desc())
    ).first()


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        (PNG, "capture.html", "image/png", ".png"),
        (PDF, "register page.svg", "application/pdf", ".pdf"),
        (JPEG, "capture", "image/jpeg", ".jpg"),
        (PNG, "capture.png", "image/png", ".png"),
    ],
    ids=["png-named-html", "pdf-named-svg", "jpeg-without-extension", "png-named-png"],
)
def test_file04_capture_is_served_with_the_type_of_its_content(
    content, name, content_type, extension, logged_in, make_assessor, make_registration
) -> None:
    assessor = make_assessor("Morag", "Campbell")
    registration = make_registration(
        "sssc", "SC123456", assessor=assessor, profession="social_worker"
    )
    client = logged_in(Role.REGISTER_MANAGER)
    check = _record(client, registration, content, name)
    assert check.capture_content_type == content_type
    download = client.get(f"/verification/checks/{check.id}/capture")
    assert download.status_code == 200
    assert download.mimetype == content_type
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert disposition.rstrip('"').endswith(extension), disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert download.data == content
    download.close()
