"""HTML the register simulator serves, shaped like each live register's pages (REGISTERS.md)."""

from __future__ import annotations

from datetime import date
from html import escape

from registry.registers.simulator_data import DATA_VALID_ON, Behaviour, SimRegistrant

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
    return document(
        "Professional registration detail | HCPC",
        f'<main>\n<h1>Check the register</h1>\n<table class="registrant-detail">\n{table}\n'
        f'</table>\n<p class="data-valid">Data valid on: {DATA_VALID_ON}</p>\n</main>',
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
    return document(
        "Search the register | Social Work England",
        f'<main>\n<h1>{escape(registrant.register_name)}</h1>\n<dl class="register-entry">\n'
        f"{_definition_list(rows)}\n{annotation_row}\n</dl>\n</main>",
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
    return document(
        "The medical register | GMC",
        f'<main>\n<h1>{escape(registrant.register_name)}</h1>\n<dl class="registrant">\n'
        f"{_definition_list(rows)}\n</dl>\n</main>",
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
    lines = "\n".join(
        f"<p><strong>{escape(label)}:</strong> {escape(str(value))}</p>" for label, value in rows
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
