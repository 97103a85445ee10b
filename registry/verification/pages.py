"""The register pages behind the checks, kept as they were seen (issue 11, case review).

Each page is stored once, compressed, under the SHA-256 of its bytes (the hash the check
records). A page is kept for 90 days after it was last seen, and for as long as a panel
decision relies on a check of it. Reading one checks that its bytes still hash to its address.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import delete, select, update

from registry.extensions import db
from registry.models import RegisterPage, VerificationCheck

KEEP_FOR = timedelta(days=90)
MAX_PAGE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class PageAsSeen:
    """A stored page, its text as a person reads it, and whether its hash still matches."""

    page: RegisterPage
    content: bytes
    text: str
    intact: bool


def keep_pages(pages: list[tuple[str | None, bytes | None, str | None]], now: datetime) -> None:
    """Store the pages a batch of checks read, (sha256, bytes, media type) each, once per
    distinct page, with one query for the pages already kept; the caller commits."""
    wanted: dict[str, tuple[bytes, str | None]] = {}
    for sha256, content, media_type in pages:
        if not sha256 or content is None or len(content) > MAX_PAGE_BYTES:
            continue
        if hashlib.sha256(content).hexdigest() != sha256:
            continue  # never store bytes under an address they do not have
        wanted[sha256] = (content, media_type)
    if not wanted:
        return
    existing = db.session.scalars(
        select(RegisterPage).where(RegisterPage.sha256.in_(list(wanted)))
    ).all()
    for page in existing:
        page.last_seen_at = max(page.last_seen_at, now)
    for sha256, (content, media_type) in wanted.items():
        if any(page.sha256 == sha256 for page in existing):
            continue
        db.session.add(
            RegisterPage(
                sha256=sha256,
                content_gz=gzip.compress(content, mtime=0),
                media_type=(media_type or "text/html")[:100],
                size=len(content),
                first_seen_at=now,
                last_seen_at=now,
                held=False,
            )
        )


def hold_pages_of_checks(check_ids: list[int]) -> None:
    """Keep the pages behind these checks for as long as the decision citing them (no commit)."""
    if not check_ids:
        return
    hashes = select(VerificationCheck.body_sha256).where(VerificationCheck.id.in_(check_ids))
    db.session.execute(
        update(RegisterPage)
        .where(RegisterPage.sha256.in_(hashes))
        .values(held=True)
        .execution_options(synchronize_session=False)
    )


def page_as_seen(sha256: str) -> PageAsSeen | None:
    """A stored page by its SHA-256, with its readable text and its hash checked."""
    page = db.session.get(RegisterPage, sha256)
    if page is None:
        return None
    content = gzip.decompress(page.content_gz)
    intact = hashlib.sha256(content).hexdigest() == page.sha256
    text = content.decode("utf-8", errors="replace")
    if page.media_type == "text/html":
        soup = BeautifulSoup(text, "html.parser")
        for hidden in soup(["script", "style", "noscript"]):
            hidden.decompose()
        lines = (line.strip() for line in soup.get_text("\n").splitlines())
        text = "\n".join(line for line in lines if line)
    return PageAsSeen(page, content, text, intact)


def purge_pages(*, now: datetime) -> int:
    """Delete pages last seen more than 90 days ago that no decision relies on; commits."""
    result = db.session.execute(
        delete(RegisterPage).where(
            RegisterPage.held.is_(False), RegisterPage.last_seen_at < now - KEEP_FOR
        )
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
