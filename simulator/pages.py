"""HTML the register simulator serves, shaped like each live register's pages (REGISTERS.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from simulator.data import DATA_VALID_ON, Behaviour, Markup, SimRegistrant

# The label of the status row on each register's entry, which "missing label" pages drop.
STATUS_LABELS = {
    "hcpc": "Status",
    "swe": "Status",
    "gmc": "Registration status",
    "nmc": "Registration status",
}

_COOKIE_BANNER = """<div class="cookie-banner" role="region" aria-label="Cookies on this site">
<p>We use some essential cookies to make this website work. We would like to set additional
cookies to understand how you use it.</p>
<button type="button">Accept all cookies</button>
<button type="button">Reject additional cookies</button>
</div>"""


def document(title: str, body: str) -> str:
    """A whole HTML page."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def numeric_date(day: date) -> str:
    """01/06/2025, as the HCPC writes dates."""
    return f"{day:%d/%m/%Y}"


def worded_date(day: date) -> str:
    """1 June 2025, as Social Work England and the NMC write dates."""
    return f"{day.day} {day:%B %Y}"


Row = tuple[str, str | tuple[str, ...]]


def _rows(registrant: SimRegistrant, rows: list[Row]) -> list[Row]:
    status_label = STATUS_LABELS[registrant.body]
    wanted = [row for row in rows if row[1] != ""]
    if registrant.behaviour is Behaviour.MISSING_LABEL:
        wanted = [row for row in wanted if row[0] != status_label]
    return wanted


def _value_html(value: str | tuple[str, ...]) -> str:
    if isinstance(value, tuple):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in value) + "</ul>"
    return escape(value)


def _plain(value: str | tuple[str, ...]) -> str:
    return escape(value if isinstance(value, str) else "; ".join(value))


def _block_value(value: str | tuple[str, ...], tag: str = "p") -> str:
    if isinstance(value, tuple):
        return _value_html(value)
    return f"<{tag}>{escape(value)}</{tag}>"


def _each(rows: list[Row], template: str, value: object = _value_html) -> str:
    return "\n".join(
        template.format(label=escape(label), value=value(v))  # type: ignore[operator]
        for label, v in rows
    )


def _summary_row(label: str, value: str | tuple[str, ...]) -> str:
    return (
        '<div class="govuk-summary-list__row">'
        f'<dt class="govuk-summary-list__key">{escape(label)}</dt>'
        f'<dd class="govuk-summary-list__value">{_value_html(value)}</dd></div>'
    )


def _prose(rows: list[Row]) -> str:
    said = "; ".join(f"{_plain(value)}" for _, value in rows)
    return f"<p>Our records hold the following for this person, in this order. {said}.</p>"


def _table_columns(rows: list[Row]) -> str:
    header = "".join(f'<th scope="col">{escape(label)}</th>' for label, _ in rows)
    cells = "".join(f"<td>{_value_html(value)}</td>" for _, value in rows)
    return (
        f'<table class="results">\n<thead><tr>{header}</tr></thead>\n'
        f"<tbody><tr>{cells}</tr></tbody>\n</table>"
    )


def _split_lists(rows: list[Row]) -> str:
    labels = "".join(f"<li>{escape(label)}</li>" for label, _ in rows)
    values = "".join(f"<li>{_plain(value)}</li>" for _, value in rows)
    return f'<ul class="headings">{labels}</ul>\n<ul class="answers">{values}</ul>'


_TABLE_ROW = '<tr><th scope="row">{label}</th><td>{value}</td></tr>'
_MARKUPS: dict[Markup, Callable[[list[Row]], str]] = {
    Markup.DL: lambda rows: f"<dl>\n{_definition_list(rows)}\n</dl>",
    Markup.TABLE: lambda rows: f"<table>\n{_each(rows, _TABLE_ROW)}\n</table>",
    Markup.TABLE_COLUMNS: _table_columns,
    Markup.GOVUK_SUMMARY: lambda rows: (
        '<dl class="govuk-summary-list">\n'
        + "\n".join(_summary_row(label, value) for label, value in rows)
        + "\n</dl>"
    ),
    Markup.HEADINGS: lambda rows: (
        f"<section>\n{_each(rows, '<h3>{label}</h3>{value}', _block_value)}\n</section>"
    ),
    Markup.BOLD: lambda rows: _each(
        rows, '<div class="field"><strong>{label}</strong>{value}</div>', _block_value
    ),
    Markup.BOLD_PARAGRAPHS: lambda rows: _each(
        rows, "<p><b>{label}</b></p>\n{value}", _block_value
    ),
    Markup.BOLD_INLINE: lambda rows: _each(rows, "<p><strong>{label}</strong> {value}</p>", _plain),
    Markup.CLASSED_SPANS: lambda rows: _each(
        rows,
        '<div class="registrant-field"><span class="registrant-field__label">{label}</span>'
        ' <span class="registrant-field__value">{value}</span></div>',
    ),
    Markup.DIVS: lambda rows: _each(rows, "<div><div>{label}</div><div>{value}</div></div>"),
    Markup.FLAT_SPANS: lambda rows: (
        f'<div class="entry">{_each(rows, "<span>{label}</span><span>{value}</span>")}</div>'
    ),
    Markup.INLINE: lambda rows: _each(rows, "<p>{label}: {value}</p>", _plain),
    Markup.LIST: lambda rows: f"<ul>\n{_each(rows, '<li>{label}: {value}</li>', _plain)}\n</ul>",
    Markup.LINES: lambda rows: f"<p>{_each(rows, '{label}: {value}<br>', _plain)}</p>",
    Markup.PROSE: _prose,
    Markup.SPLIT_LISTS: _split_lists,
}


def marked_up(rows: list[Row], markup: Markup) -> str:
    """An entry's labelled rows in one common markup (not the register's own)."""
    return _MARKUPS[markup](rows)


def _in_markup(registrant: SimRegistrant, rows: list[Row]) -> str | None:
    """The rows in the registrant's markup, or None for the register's own page."""
    if registrant.markup is None or registrant.markup is Markup.REGISTER:
        return None
    return marked_up(rows, registrant.markup)


def hcpc_entry(registrant: SimRegistrant) -> str:
    """The HCPC's professional registration detail: a table of label/value rows."""
    period = ""
    if registrant.period_from and registrant.period_to:
        period = f"{numeric_date(registrant.period_from)} to {numeric_date(registrant.period_to)}"
    rows = _rows(
        registrant,
        [
            ("Name", registrant.register_name),
            ("Registration number", registrant.number),
            ("Profession", "Practitioner psychologist"),
            ("Modality", registrant.entries),
            ("Status", registrant.status),
            ("Period", period),
            ("Location", registrant.location),
            *registrant.restrictions,
        ],
    )
    table = "\n".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{_value_html(value)}</td></tr>'
        for label, value in rows
    )
    fields = _in_markup(registrant, rows)
    if fields is None:
        fields = f'<table class="registrant-detail">\n{table}\n</table>'
    return document(
        "Professional registration detail | HCPC",
        f"<main>\n<h1>Check the register</h1>\n{fields}\n"
        f'<p class="data-valid">Data valid on: {DATA_VALID_ON}</p>\n</main>',
    )


def _definition_list(rows: list[Row]) -> str:
    return "\n".join(
        f"<dt>{escape(label)}</dt><dd>{_value_html(value)}</dd>" for label, value in rows
    )


def swe_entry(registrant: SimRegistrant) -> str:
    """A Social Work England entry: a definition list; Annotations is shown even when empty."""
    restrictions = dict(registrant.restrictions)
    annotations = restrictions.pop("Annotations", "")
    rows = _rows(
        registrant,
        [
            ("Registered name", registrant.register_name),
            ("Registration Number", registrant.number),
            ("Status", registrant.status),
            ("Town of employment", registrant.location),
            ("Registered from", _maybe_worded(registrant.period_from)),
            ("Registered until", _maybe_worded(registrant.period_to)),
            *restrictions.items(),
        ],
    )
    annotation_row = f"<dt>Annotations</dt><dd>{escape(annotations)}</dd>"
    fields = _in_markup(registrant, [*rows, ("Annotations", annotations)])
    if fields is None:
        fields = f'<dl class="register-entry">\n{_definition_list(rows)}\n{annotation_row}\n</dl>'
    return document(
        "Search the register | Social Work England",
        f"<main>\n<h1>{escape(registrant.register_name)}</h1>\n{fields}\n</main>",
    )


def gmc_entry(registrant: SimRegistrant) -> str:
    """A doctor's entry on the GMC register: a definition list, specialist entries as a list."""
    rows = _rows(
        registrant,
        [
            ("Name", registrant.register_name),
            ("GMC reference number", registrant.number),
            ("Registration status", registrant.status),
            ("Specialist register", registrant.entries or "Not on the Specialist Register"),
            ("GP register", "Not on the GP Register"),
            *registrant.restrictions,
        ],
    )
    fields = _in_markup(registrant, rows)
    if fields is None:
        fields = f'<dl class="registrant">\n{_definition_list(rows)}\n</dl>'
    return document(
        "The medical register | GMC",
        f"<main>\n<h1>{escape(registrant.register_name)}</h1>\n{fields}\n</main>",
    )


def nmc_entry(registrant: SimRegistrant) -> str:
    """An NMC search result: "Label: value" lines, under the site's cookie banner."""
    rows = _rows(
        registrant,
        [
            ("Name", registrant.register_name),
            ("Registration status", registrant.status),
            ("Location", registrant.location),
            ("Register entry", "; ".join(registrant.entries)),
            ("Start date", _maybe_worded(registrant.period_from)),
            ("Expiry date", _maybe_worded(registrant.period_to)),
            ("Qualifications", "Nursing degree" if registrant.period_from else ""),
            *registrant.restrictions,
        ],
    )
    lines = _in_markup(registrant, rows)
    if lines is None:
        lines = "\n".join(
            f"<p><strong>{escape(label)}:</strong> {escape(str(value))}</p>"
            for label, value in rows
        )
    return document(
        "Search the register | The Nursing and Midwifery Council",
        f'{_COOKIE_BANNER}\n<main>\n<div class="search-result">\n'
        f"<h2>{escape(registrant.register_name)}</h2>\n{lines}\n</div>\n</main>",
    )


def _maybe_worded(day: date | None) -> str:
    return worded_date(day) if day else ""


NOT_FOUND_SENTENCES = {
    "hcpc": "No results returned for {number}",
    "swe": "No results found for {number}.",
    "gmc": "We could not find a doctor with the GMC reference number {number}.",
    "nmc": "No results found for {number}.",
}


def not_found(body: str, number: str) -> str:
    """The register's own "nothing found" page, served with HTTP 200."""
    sentence = NOT_FOUND_SENTENCES[body].format(number=number)
    banner = _COOKIE_BANNER if body == "nmc" else ""
    return document("Search the register", f"{banner}\n<main>\n<p>{escape(sentence)}</p>\n</main>")


def challenge_page() -> str:
    """A Cloudflare-style interstitial instead of the entry."""
    return document(
        "Just a moment...",
        '<div id="cf-challenge-running">Checking your browser before accessing the site.</div>\n'
        '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>',
    )


def captcha_page() -> str:
    """A CAPTCHA in front of the search."""
    return document(
        "Search the register",
        f"{_COOKIE_BANNER}\n<main>\n<p>Please verify you are human to continue.</p>\n"
        '<div class="g-recaptcha" data-sitekey="simulated"></div>\n</main>',
    )


def consent_page() -> str:
    """A cookie-consent wall with no entry behind it."""
    return document(
        "Search the register",
        f"{_COOKIE_BANNER}\n<main>\n<p>Choose which cookies we may set to continue to the "
        "register search.</p>\n</main>",
    )
