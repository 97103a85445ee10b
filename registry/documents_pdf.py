"""PDFs made on the server from our own HTML (WeasyPrint, on Debian's Pango).

Only the service's own templates are rendered, and nothing is fetched while rendering: every
stylesheet is inline and the URL fetcher refuses all URLs, so a PDF can never reach out.
"""

from __future__ import annotations

from typing import Any


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"Nothing is fetched while making a PDF ({url[:40]})")


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document."""
    from weasyprint import HTML  # imported here: it loads Pango, needed only for PDFs

    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    return pdf
