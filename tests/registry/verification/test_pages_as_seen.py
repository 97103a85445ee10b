"""The register page as it was seen: every check keeps the page it read (compressed, stored once
per SHA-256), for 90 days or as long as a decision cites it, readable with its hash checked."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from registry.extensions import db
from registry.models import RegisterPage, Role
from registry.verification import pages, service


def test_a_check_keeps_the_page_it_read_under_its_sha256(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    check = service.verify(registration, actor=None, now=datetime.now(UTC)).check
    page = db.session.get(RegisterPage, check.body_sha256)
    assert page is not None
    seen = pages.page_as_seen(check.body_sha256)
    assert seen.intact
    assert "Registered" in seen.text
    assert "Amelia Hart" in seen.text
    assert page.size == len(gzip.decompress(page.content_gz))


def test_an_identical_page_is_stored_once(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    first = service.verify(registration, actor=None, now=datetime.now(UTC)).check
    later = datetime.now(UTC) + timedelta(minutes=5)
    second = service.verify(registration, actor=None, now=later).check
    if first.body_sha256 == second.body_sha256:  # the simulator serves the same bytes
        assert db.session.scalar(select(func.count()).select_from(RegisterPage)) == 1
        assert db.session.get(RegisterPage, first.body_sha256).last_seen_at >= later


def test_pages_are_kept_90_days_unless_a_decision_holds_them(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    check = service.verify(registration, actor=None, now=datetime.now(UTC)).check
    other = service.verify(
        make_registration("swe", "SW123"), actor=None, now=datetime.now(UTC)
    ).check
    pages.hold_pages_of_checks([check.id])
    db.session.commit()
    long_ago = datetime.now(UTC) - timedelta(days=91)
    db.session.execute(update(RegisterPage).values(last_seen_at=long_ago))
    db.session.commit()
    assert pages.purge_pages(now=datetime.now(UTC)) == 1
    assert db.session.get(RegisterPage, check.body_sha256) is not None  # held by a decision
    assert db.session.get(RegisterPage, other.body_sha256) is None


def test_a_page_whose_bytes_were_altered_says_so(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    check = service.verify(registration, actor=None, now=datetime.now(UTC)).check
    db.session.execute(
        update(RegisterPage)
        .where(RegisterPage.sha256 == check.body_sha256)
        .values(content_gz=gzip.compress(b"<p>Registered, no conditions</p>"))
    )
    db.session.commit()
    assert not pages.page_as_seen(check.body_sha256).intact


def test_staff_read_the_page_as_text_and_download_it_in_a_sandbox(
    registers_app, make_registration, logged_in
):
    registration = make_registration("hcpc", "PYL043541")
    check = service.verify(registration, actor=None, now=datetime.now(UTC)).check
    client = logged_in(Role.AUDITOR)
    page = client.get(f"/verification/pages/{check.body_sha256}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "still has the SHA-256 recorded when it was read" in text
    assert "Amelia Hart" in text
    download = client.get(f"/verification/pages/{check.body_sha256}/download")
    assert download.mimetype == "text/plain"
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/verification/pages/{'0' * 64}").status_code == 404
    assert logged_in(Role.ASSESSOR).get(f"/verification/pages/{check.body_sha256}").status_code in (
        403,
        404,
    )
