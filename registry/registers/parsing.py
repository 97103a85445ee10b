"""Reading register pages: labelled fields only, UK dates, and pages that are not an entry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeGuard

from bs4 import Comment, NavigableString, Tag

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

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Class names that mark an element as a label: "label", "field-label", "govuk-summary-list__key".
_LABEL_CLASS = re.compile(r"(?:^|[-_])(?:label|key|term)(?:$|[-_])", re.IGNORECASE)
_MAX_LABEL = 60
# Markup that may sit inside a label, and inside text read as "Label: value".
_LABEL_MARKUP = frozenset({"strong", "b", "em", "i", "abbr", "span", "small"})
_PHRASING = _LABEL_MARKUP | {"br", "a", "time", "code", "sup", "sub", "mark", "label"}
_CONTROLS = ["input", "select", "textarea", "button"]
_NOT_VALUES = frozenset(
    {*_CONTROLS, "table", "form", "dl", "section", "main", "article", "nav", "header", "footer"}
    | {"aside", "h1", "script", "style", "template", "noscript"}
)

# Tags inside which nothing is a label's value, and what else the readers look for.
_NOT_INSIDE_VALUES = frozenset({*_CONTROLS, "table", "form"})
_DEFINITION_AND_CELLS = frozenset({"dt", "dd", "th", "td"})
_BLOCKS = frozenset({"p", "ul", "ol", "table", "dl", "div"})
_INLINE_HOLDERS = frozenset({"p", "li", "div", "span"})
_BOLD = frozenset({"strong", "b"})
_BOLD_OR_BREAK = frozenset({"strong", "b", "br"})
_CELLS = frozenset({"th", "td"})
_DT_DD = frozenset({"dt", "dd"})
_DL = frozenset({"dl"})
_LI = frozenset({"li"})
_TR = frozenset({"tr"})
_TABLE = frozenset({"table"})
_LABEL_ELEMENT = frozenset({"label"})

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


class _Page:
    """The tags of a parsed page in document order, indexed once, for the readers below.

    Each reader used to call BeautifulSoup's find_all, find and find_parent, which build a
    matcher per call and walk the tree again each time; on a register page that was most of the
    cost of a lookup. Here the tree is walked once: a tag's descendants are the slice of the list
    between its own position and the end of its subtree, in the same order as find_all gives
    them. Every query answers exactly what the BeautifulSoup call it replaces answers, on the
    same tree (a tag the index does not know is asked of BeautifulSoup itself).
    """

    def __init__(self, root: Tag) -> None:
        self.root = root
        self.tags: list[Tag] = []
        self._start: dict[int, int] = {}
        self._end: dict[int, int] = {}
        self._texts: dict[int, str] = {}
        # Pre-order walk: a tag's position, then its subtree, then the position after it.
        stack: list[tuple[Tag, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                self._end[id(node)] = len(self.tags)
                continue
            if node is not root:
                self._start[id(node)] = len(self.tags)
                self.tags.append(node)
            stack.append((node, True))
            stack.extend(
                (child, False) for child in reversed(node.contents) if isinstance(child, Tag)
            )
        self._start[id(root)] = -1

    def all(self, names: frozenset[str] | None = None) -> list[Tag]:
        """soup.find_all(names), or soup.find_all(True) when names is None."""
        if names is None:
            return self.tags
        return [tag for tag in self.tags if tag.name in names]

    def within(self, element: Tag, names: frozenset[str] | None = None) -> list[Tag]:
        """element.find_all(names), or element.find_all(True) when names is None."""
        start = self._start.get(id(element))
        if start is None:
            found = element.find_all(True if names is None else list(names))
            return [tag for tag in found if isinstance(tag, Tag)]
        tags = self.tags[start + 1 : self._end[id(element)]]
        if names is None:
            return tags
        return [tag for tag in tags if tag.name in names]

    def has(self, element: Tag, names: frozenset[str]) -> bool:
        """Whether element.find(names) finds anything."""
        return any(tag.name in names for tag in self.within(element))

    def text(self, element: Tag) -> str:
        """_text(element), worked out once per element."""
        key = id(element)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = _text(element)
        return found


def _text(element: Tag) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def _find_parent(element: Tag, names: frozenset[str]) -> Tag | None:
    """element.find_parent(names): the nearest enclosing tag with one of these names."""
    parent = element.parent
    while parent is not None:
        if parent.name in names:
            return parent
        parent = parent.parent
    return None


def _with_class(page: _Page, pattern: re.Pattern[str]) -> list[Tag]:
    """soup.find_all(True, class_=pattern): a tag matches when one of its class names does, or
    (with other than one class name) all of them joined by spaces, as BeautifulSoup matches."""
    found = []
    for tag in page.tags:
        value = tag.get("class")
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        if any(pattern.search(v) for v in values) or (
            len(values) != 1 and pattern.search(" ".join(values))
        ):
            found.append(tag)
    return found


def _value(page: _Page, label: str, element: Tag) -> Field:
    """The value in element: its list items when it holds a list, else its text ("A; B" lists
    two items)."""
    items = tuple(t for t in (page.text(li) for li in page.within(element, _LI)) if t)
    if items:
        return Field(normalise_label(label), page.text(element), items)
    return _text_value(label, page.text(element))


def _text_value(label: str, text: str) -> Field:
    """A value written as text; "A; B" lists its items."""
    value = " ".join(text.split())
    items = tuple(part.strip() for part in value.split(";") if part.strip())
    return Field(normalise_label(label), value, items)


def _elements(node: Tag) -> list[Tag]:
    return [child for child in node.children if isinstance(child, Tag)]


def _has_loose_text(node: Tag) -> bool:
    return any(
        isinstance(child, NavigableString) and not isinstance(child, Comment) and child.strip()
        for child in node.children
    )


def _following(node: Tag) -> Tag | None:
    """The element right after node among its siblings, with no text of its own in between."""
    for sibling in node.next_siblings:
        if isinstance(sibling, Tag):
            return sibling
        if type(sibling) is NavigableString and sibling.strip():
            return None
    return None


def _is_block_free(page: _Page, element: Tag, allowed: frozenset[str] = _PHRASING) -> bool:
    """Whether element holds only text and phrasing markup (no paragraphs, lists, tables...)."""
    return all(child.name in allowed for child in page.within(element))


def _is_label(page: _Page, element: Tag) -> bool:
    """Whether element can be a label: short text, no structure of its own."""
    text = page.text(element)
    return 0 < len(text) <= _MAX_LABEL and _is_block_free(page, element, _LABEL_MARKUP)


def _usable_value(element: Tag | None, page: _Page) -> TypeGuard[Tag]:
    """Whether element can hold a label's value: not a form control, a table or a section."""
    return (
        element is not None
        and element.name not in _NOT_VALUES
        and not page.has(element, _NOT_INSIDE_VALUES)
    )


def _cells(row: Tag) -> list[Tag]:
    """row.find_all(["th", "td"], recursive=False)."""
    return [cell for cell in row.children if isinstance(cell, Tag) and cell.name in _CELLS]


def _table_fields(page: _Page) -> Iterator[Field]:
    """Rows of label and value cells: <tr><th>Status</th><td>Registered</td></tr>."""
    for row in page.all(_TR):
        cells = _cells(row)
        # A row of header cells only heads the columns of a table read by _column_fields.
        if len(cells) >= 2 and any(cell.name == "td" for cell in cells):
            yield _value(page, page.text(cells[0]), cells[1])


def _column_fields(page: _Page) -> Iterator[Field]:
    """A table whose header row names the columns, with the entry in the row(s) below."""
    for table in page.all(_TABLE):
        rows = [row for row in page.within(table, _TR) if _find_parent(row, _TABLE) is table]
        if len(rows) < 2:
            continue
        header = _cells(rows[0])
        if len(header) < 2 or any(cell.name != "th" for cell in header):
            continue
        for row in rows[1:]:
            cells = _cells(row)
            if len(cells) == len(header) and any(cell.name == "td" for cell in cells):
                for label, cell in zip(header, cells, strict=True):
                    yield _value(page, page.text(label), cell)


def _list_fields(page: _Page) -> Iterator[Field]:
    """Definition lists: <dt>Status</dt><dd>Registered</dd>."""
    for definitions in page.all(_DL):
        label = None
        for child in page.within(definitions, _DT_DD):
            if child.name == "dt":
                label = page.text(child)
            elif label is not None:
                yield _value(page, label, child)


def _heading_fields(page: _Page) -> Iterator[Field]:
    """A heading followed by its paragraph (or list): <h3>Status</h3><p>Registered</p>."""
    for heading in page.all(_HEADINGS):
        value = _following(heading)
        if _is_label(page, heading) and _usable_value(value, page) and value.name not in _HEADINGS:
            yield _value(page, page.text(heading), value)


def _bold_fields(page: _Page) -> Iterator[Field]:
    """A bold label: alone in its paragraph before the value's paragraph, right before the
    value's element, or first in a paragraph with the value after it."""
    for bold in page.all(_BOLD):
        if not _is_label(page, bold) or _find_parent(bold, _DEFINITION_AND_CELLS):
            continue
        parent = bold.parent
        siblings = _elements(parent) if parent is not None else []
        if (
            parent is not None
            and parent.name in {"p", "div"}
            and page.text(parent) == page.text(bold)
        ):
            value = _following(parent)
            if _usable_value(value, page) and value.name not in _HEADINGS:
                yield _value(page, page.text(bold), value)
            continue
        value = _following(bold)
        if _usable_value(value, page) and value.name in {"p", "div", "ul", "ol", "span"}:
            yield _value(page, page.text(bold), value)
            continue
        if (
            parent is not None
            and parent.name in {"p", "li", "div", "span"}
            and siblings
            and siblings[0] is bold
            and not _has_text_before(bold)
            and len(page.within(parent, _BOLD_OR_BREAK)) == 1
            and _is_block_free(page, parent)
        ):
            label = page.text(bold)
            rest = page.text(parent)[len(label) :].lstrip(" :")
            yield _text_value(label, rest)


def _has_text_before(node: Tag) -> bool:
    return any(
        isinstance(sibling, NavigableString) and sibling.strip()
        for sibling in node.previous_siblings
    )


def _class_fields(page: _Page) -> Iterator[Field]:
    """An element whose class names it a label (or a <label>), and the element after it:
    <span class="field-label">Status</span><span class="field-value">Registered</span>."""
    for label in (*_with_class(page, _LABEL_CLASS), *page.all(_LABEL_ELEMENT)):
        if not _is_label(page, label):
            continue
        value = _following(label)
        if value is None and label.parent is not None and _elements(label.parent) == [label]:
            value = _following(label.parent)
        if _usable_value(value, page):
            yield _value(page, page.text(label), value)


def _sibling_fields(page: _Page) -> Iterator[Field]:
    """A label and its value as the only two spans or divs of their parent:
    <div><span>Status</span><span>Registered</span></div>.

    Longer runs of unnamed spans or divs are not paired up by position: one label without a
    value would shift every pair after it, and could hide a restriction field."""
    for container in page.all():
        children = _elements(container)
        if len(children) != 2 or _has_loose_text(container):
            continue
        label, value = children
        if (
            {label.name, value.name} <= {"span", "div"}
            and _is_label(page, label)
            and _usable_value(value, page)
        ):
            yield _value(page, page.text(label), value)


def _lines(element: Tag) -> list[str]:
    """The element's text, one string per line (split at <br>)."""
    lines: list[list[str]] = [[]]
    for node in element.descendants:
        if isinstance(node, Tag) and node.name == "br":
            lines.append([])
        elif type(node) is NavigableString:
            lines[-1].append(str(node))
    joined = (" ".join(" ".join(line).split()) for line in lines)
    return [line for line in joined if line]


def _inline_fields(page: _Page) -> Iterator[Field]:
    """Text such as "Status: Registered" in a paragraph, list item or text-only span or div,
    one field per line."""
    for element in page.all(_INLINE_HOLDERS):
        if _find_parent(element, _DEFINITION_AND_CELLS):
            continue
        if element.name in {"p", "li"} and page.has(element, _BLOCKS):
            continue
        if element.name in {"div", "span"} and not _is_block_free(page, element):
            continue
        for line in _lines(element):
            match = _INLINE_LABEL.fullmatch(line)
            if match:
                yield _text_value(match.group(1), match.group(2))


_READERS = (
    _table_fields,
    _column_fields,
    _list_fields,
    _heading_fields,
    _bold_fields,
    _class_fields,
    _sibling_fields,
    _inline_fields,
)


class Fields:
    """The labelled fields of a page, in any common markup: table rows or columns, definition
    lists, headings or bold labels before their value, label and value spans or divs, and
    "Label: value" lines. Text that no label introduces is never a field."""

    def __init__(self, soup: Tag) -> None:
        self._by_label: dict[str, list[Field]] = {}
        page = _Page(soup)
        for reader in _READERS:
            for found in reader(page):
                self._by_label.setdefault(found.label, []).append(found)

    def __len__(self) -> int:
        return len(self._by_label)

    def get(self, *labels: str) -> Field | None:
        """The field under the first of these labels present. Raises PageUnreadable if it differs
        between two places on the page, because then we cannot tell which one is the entry's.

        A place where the label has no value at all (a label of a search form, say) does not
        count against one where it has."""
        for label in labels:
            found = self._by_label.get(normalise_label(label))
            if found:
                with_text = [f for f in found if f.text]
                if len({f.text for f in with_text}) > 1:
                    raise PageUnreadable(f"The register page showed more than one {label} value.")
                return (with_text or found)[0]
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
