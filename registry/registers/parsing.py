"""Reading register pages: labelled fields only, UK dates, and pages that are not an entry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, Tag

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_WORDED_DATE = re.compile(r"([0-9]{1,2})\s+([A-Za-z]+)\s+([0-9]{4})")
_PERIOD_SEPARATOR = re.compile(r"\s+(?:to|until|-|–|—)\s+")
_INLINE_LABEL = re.compile(r"([A-Za-z][A-Za-z ()'/-]{0,59}?)\s*:\s*(.*)", re.DOTALL)

# Words a register may put in a restriction field to say there is none. *Assumed* wording.
EMPTY_VALUES = frozenset({"", "none", "no", "nil", "n/a", "na", "-", "–", "—"})

# Markers of a bot-challenge or CAPTCHA page (Cloudflare's and the common CAPTCHA widgets).
CHALLENGE_MARKERS = (
    "just a moment",
    "cf-challenge",
    "challenge-platform",
    "checking your browser",
    "verify you are human",
    "attention required",
    "captcha",
)
CONSENT_MARKERS = ("cookie consent", "accept all cookies", "accept cookies", "consent")


class PageUnreadable(Exception):
    """The page is not an entry we can read; str() says why in plain English."""


@dataclass(frozen=True)
class Field:
    """One labelled value on a page: its text, and its list items when it holds a list."""

    label: str
    text: str
    items: tuple[str, ...]

    @property
    def has_content(self) -> bool:
        """Whether the value says something (not empty, not "None")."""
        return self.text.casefold() not in EMPTY_VALUES


def normalise_label(text: str) -> str:
    """A label as compared: case-folded, single spaces, no trailing colon."""
    return " ".join(text.split()).rstrip(":").strip().casefold()


def _text(element: Tag) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def _value(label: str, element: Tag) -> Field:
    text = _text(element)
    items = tuple(t for t in (_text(li) for li in element.find_all("li")) if t)
    return Field(normalise_label(label), text, items or ((text,) if text else ()))


def _table_fields(soup: BeautifulSoup) -> Iterator[Field]:
    for row in soup.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) >= 2:
            yield _value(_text(cells[0]), cells[1])


def _list_fields(soup: BeautifulSoup) -> Iterator[Field]:
    for definitions in soup.find_all("dl"):
        label = None
        for child in definitions.find_all(["dt", "dd"]):
            if child.name == "dt":
                label = _text(child)
            elif label is not None:
                yield _value(label, child)


def _inline_fields(soup: BeautifulSoup) -> Iterator[Field]:
    for element in soup.find_all(["p", "li"]):
        if element.find_parent(["dd", "td", "th", "dt"]) or element.find(["p", "ul", "table"]):
            continue
        match = _INLINE_LABEL.fullmatch(_text(element))
        if match:
            value = match.group(2).strip()
            yield Field(normalise_label(match.group(1)), value, (value,) if value else ())


class Fields:
    """The labelled fields of a page: table rows, definition lists and "Label: value" lines."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self._by_label: dict[str, list[Field]] = {}
        for found in (*_table_fields(soup), *_list_fields(soup), *_inline_fields(soup)):
            self._by_label.setdefault(found.label, []).append(found)

    def __len__(self) -> int:
        return len(self._by_label)

    def get(self, *labels: str) -> Field | None:
        """The field under the first of these labels present. Raises PageUnreadable if it differs
        between two places on the page, because then we cannot tell which one is the entry's."""
        for label in labels:
            found = self._by_label.get(normalise_label(label))
            if found:
                if len({f.text for f in found}) > 1:
                    raise PageUnreadable(f"The register page showed more than one {label} value.")
                return found[0]
        return None

    def require(self, *labels: str) -> Field:
        """The field under the first of these labels. Raises PageUnreadable when there is none."""
        found = self.get(*labels)
        if found is None:
            raise PageUnreadable(f"The register page had no {labels[0]} field.")
        return found


def parse_uk_date(text: str) -> date:
    """A date written 01/06/2025, 1 June 2025 or 1 Jun 2025. Raises PageUnreadable otherwise."""
    cleaned = " ".join(text.split())
    numeric = _NUMERIC_DATE.fullmatch(cleaned)
    worded = _WORDED_DATE.fullmatch(cleaned)
    try:
        if numeric:
            return date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        if worded and worded.group(2).casefold() in _MONTHS:
            month = _MONTHS[worded.group(2).casefold()]
            return date(int(worded.group(3)), month, int(worded.group(1)))
    except ValueError:
        pass
    raise PageUnreadable(f"The register page showed a date we could not read: {cleaned!r}.")


def parse_period(text: str) -> tuple[date, date]:
    """A period written "01/06/2025 to 31/05/2027". Raises PageUnreadable otherwise."""
    parts = _PERIOD_SEPARATOR.split(" ".join(text.split()))
    if len(parts) != 2:
        raise PageUnreadable(f"The register page showed a period we could not read: {text!r}.")
    return parse_uk_date(parts[0]), parse_uk_date(parts[1])


def challenge_marker(html: str) -> str | None:
    """The bot-challenge or CAPTCHA marker found in the raw page, if any."""
    lowered = html.casefold()
    return next((marker for marker in CHALLENGE_MARKERS if marker in lowered), None)


def looks_like_consent_page(html: str) -> bool:
    """Whether the page carries a cookie-consent banner (it matters only when no entry shows)."""
    lowered = html.casefold()
    return any(marker in lowered for marker in CONSENT_MARKERS)
