"""The register simulator's seeded data set: one documented registrant per case in REGISTERS.md.

Each registrant's `expected` is the outcome a lookup with the registrant's legal name gives at
REFERENCE_NOW (and, for the "stall" registrants, with a read timeout shorter than the stall).
Demo seeds, tests and the canary refer to registrants by these numbers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from registry.registers.base import Outcome

REFERENCE_NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
DATA_VALID_ON = "27/11/2026 23:00:00"


class Behaviour(enum.StrEnum):
    """How the simulator answers for a registrant."""

    PAGE = "page"  # the entry page, as the register shows it
    MISSING_LABEL = "missing_label"  # the entry page without its status row (layout drift)
    CHALLENGE = "challenge"  # a Cloudflare-style "Just a moment..." page, HTTP 200
    CAPTCHA = "captcha"  # a CAPTCHA page, HTTP 200
    CONSENT = "consent"  # a cookie-consent page with no entry, HTTP 200
    RATE_LIMITED = "rate_limited"  # HTTP 429 with Retry-After
    UNAVAILABLE = "unavailable"  # HTTP 503
    STALL = "stall"  # the entry page, but only after the app's stall_seconds
    REDIRECT_OFF_HOST = "redirect_off_host"  # GMC only: /doctors/ redirects to another host


class Markup(enum.StrEnum):
    """How the simulator marks up an entry's labelled fields: the register's own way, or another
    common way a register might move to (the adapters must read them all alike)."""

    REGISTER = "register"  # the register's own page (the default)
    DL = "dl"  # <dt>Label</dt><dd>value</dd>
    TABLE = "table"  # <tr><th>Label</th><td>value</td></tr>
    TABLE_COLUMNS = "table_columns"  # a header row of labels, the values in the row below
    GOVUK_SUMMARY = "govuk_summary"  # a GOV.UK summary list: rows of dt and dd with classes
    HEADINGS = "headings"  # <h3>Label</h3><p>value</p>
    BOLD = "bold"  # <div><strong>Label</strong><p>value</p></div>
    BOLD_PARAGRAPHS = "bold_paragraphs"  # <p><b>Label</b></p><p>value</p>
    BOLD_INLINE = "bold_inline"  # <p><strong>Label</strong> value</p> (no colon)
    CLASSED_SPANS = "classed_spans"  # <span class="field-label">…</span><span class="field-value">
    DIVS = "divs"  # <div><div>Label</div><div>value</div></div>, no class names
    FLAT_SPANS = "flat_spans"  # unfamiliar: one run of unnamed label and value spans
    INLINE = "inline"  # <p>Label: value</p>
    LIST = "list"  # <ul><li>Label: value</li></ul>
    LINES = "lines"  # <p>Label: value<br>Label: value</p>
    PROSE = "prose"  # an unfamiliar layout: the entry in a sentence, no labels (unreadable)
    SPLIT_LISTS = "split_lists"  # unfamiliar: labels in one list, values in another (unreadable)


# Markups in which the labels cannot be tied to their values: a lookup must come back unreadable.
# (Unnamed spans in one run are paired by position only, which one missing value would shift.)
UNFAMILIAR_MARKUPS = frozenset({Markup.PROSE, Markup.SPLIT_LISTS, Markup.FLAT_SPANS})


@dataclass(frozen=True)
class SimRegistrant:
    """One entry on a simulated register, with the assessor's legal name and the expected outcome.

    restrictions are (label, text) rows shown on the entry, such as ("Conditions", "...").
    """

    body: str
    number: str
    register_name: str
    legal_surname: str
    legal_given_names: str
    status: str
    expected: Outcome | None
    case: str
    period_from: date | None = None
    period_to: date | None = None
    entries: tuple[str, ...] = ()
    restrictions: tuple[tuple[str, str], ...] = ()
    behaviour: Behaviour = Behaviour.PAGE
    location: str = "England"
    # For blocked and restricted entries: whether the lookup reports a sanction (uncertain
    # wording counts as one). None once changed while running.
    expected_sanction: bool | None = None
    # None: the simulator's current markup (the register's own unless set).
    markup: Markup | None = None


# Periods a register shows for a current entry at REFERENCE_NOW (and for entries added while
# running). GMC entries show no period.
CURRENT_PERIODS: dict[str, tuple[date | None, date | None]] = {
    "hcpc": (date(2025, 6, 1), date(2027, 5, 31)),
    "swe": (date(2019, 12, 2), date(2027, 11, 30)),
    "gmc": (None, None),
    "nmc": (date(2015, 3, 12), date(2028, 3, 31)),
}
CONDITIONS_LABELS = {
    "hcpc": "Conditions",
    "swe": "Conditions",
    "gmc": "Conditions",
    "nmc": "Conditions of practice",
}
DEFAULT_ENTRIES = {
    "hcpc": ("Clinical psychologist",),
    "swe": (),
    "gmc": ("General Psychiatry",),
    "nmc": ("Registered Nurse – Mental Health",),
}
_CONDITIONS = "Must practise under the supervision of a named clinical supervisor."


def _sim(
    body: str,
    number: str,
    name: str,
    status: str,
    expected: Outcome,
    case: str,
    *,
    legal: tuple[str, str] | None = None,
    **changes: Any,
) -> SimRegistrant:
    """A registrant whose legal name is the register's (minus any title) unless legal is given."""
    words = [w for w in name.split() if w.rstrip(".") not in {"Dr", "Mr", "Mrs", "Ms", "Prof"}]
    surname, given = legal or (words[-1], " ".join(words[:-1]))
    period_from, period_to = CURRENT_PERIODS[body]
    # Fail closed: every blocked or restricted entry is a sanction unless marked a lapse.
    changes.setdefault("expected_sanction", expected in {Outcome.BLOCKED, Outcome.RESTRICTED})
    registrant = SimRegistrant(
        body,
        number,
        name,
        surname,
        given,
        status,
        expected,
        case,
        period_from=period_from,
        period_to=period_to,
        entries=DEFAULT_ENTRIES[body],
    )
    return replace(registrant, **changes)


# Short names keep each registrant of the tables below on one or two lines.
B, C, N, R, U = (
    Outcome.BLOCKED,
    Outcome.CLEAR,
    Outcome.NAME_MISMATCH,
    Outcome.RESTRICTED,
    Outcome.UNREADABLE,
)
_ENDED_HCPC = {"period_from": date(2023, 6, 1), "period_to": date(2025, 5, 31)}

HCPC_REGISTRANTS = (
    _sim("hcpc", "PYL000100", "Robin Ashdown", "Registered", C, "canary: known-good entry"),
    _sim("hcpc", "PYL043541", "Dr Amelia Hart", "Registered", C,
         "clear forensic psychologist; stored with a leading zero, PYL43541 finds it too",
         entries=("Forensic psychologist",)),
    _sim("hcpc", "PYL31200", "Siobhán O'Neill-Byrne", "Registered", C,
         "clear clinical psychologist; no leading zero; accent, apostrophe and hyphen in name",
         legal=("O’Neill Byrne", "Siobhan")),
    _sim("hcpc", "PYL048210", "Dr Helen Forsyth", "Registered", C,
         "clear forensic psychologist: the demo assessor who signs in (assessor@example.org)",
         entries=("Forensic psychologist",)),
    _sim("hcpc", "PYL31377", "Dr Grace Adeyemi", "Registered", C,
         "clear forensic psychologist, for the journey of training awaiting review",
         entries=("Forensic psychologist",)),
    _sim("hcpc", "PYL20001", "Daniel Okafor", "Caution", R, "caution"),
    _sim("hcpc", "PYL20002", "Fiona Blake", "Conditions of practice", R, "conditions of practice",
         restrictions=(("Conditions", _CONDITIONS),)),
    _sim("hcpc", "PYL20003", "Gareth Price", "Suspended", B, "suspended"),
    _sim("hcpc", "PYL20004", "Hannah Doyle", "Struck off", B, "struck off"),
    _sim("hcpc", "PYL20005", "Ian Mercer", "Lapsed", B, "lapsed: did not renew by 31 May 2025",
         expected_sanction=False, **_ENDED_HCPC),
    _sim("hcpc", "PYL20006", "Julia Stone", "Interim suspension order", B, "interim order"),
    _sim("hcpc", "PYL20007", "Kieran Walsh", "Registered", B,
         "Registered, but the period shown ended on 31 May 2025", expected_sanction=False,
         **_ENDED_HCPC),
    _sim("hcpc", "PYL20008", "Laura Quinn", "Registered (renewal in progress)", U,
         "a status wording nobody has seen before"),
    _sim("hcpc", "PYL20009", "Mark Ellis", "Registered", U, "page with the Status row missing",
         behaviour=Behaviour.MISSING_LABEL),
    _sim("hcpc", "PYL20010", "Nadia Khan", "Registered", U, "bot-challenge page",
         behaviour=Behaviour.CHALLENGE),
    _sim("hcpc", "PYL20011", "Owen Hughes", "Registered", U, "HTTP 429 with Retry-After",
         behaviour=Behaviour.RATE_LIMITED),
    _sim("hcpc", "PYL20012", "Paula Reid", "Registered", U, "HTTP 503",
         behaviour=Behaviour.UNAVAILABLE),
    _sim("hcpc", "PYL20013", "Rhys Morgan", "Registered", U, "answers slower than the timeout",
         behaviour=Behaviour.STALL),
    _sim("hcpc", "PYL20014", "Helen Marsh", "Registered", N,
         "the register's name differs from the assessor's legal name", legal=("Brook", "Helen")),
    _sim("hcpc", "PYL20015", "Sara Lindqvist", "Registered", R,
         "status Registered, but the Conditions row has content",
         restrictions=(("Conditions", _CONDITIONS),)),
    _sim("hcpc", "PYL20016", "Tom Bright", "Voluntary removal", B,
         "voluntary removal: a lapse without a sanction", expected_sanction=False),
    _sim("hcpc", "PYL20017", "Una Fields", "Removed", B,
         "removed, no ground stated: uncertain, so treated as a sanction"),
    _sim("hcpc", "PYL20018", "Victor Lane", "Not renewed", B,
         "not renewed: a lapse without a sanction", expected_sanction=False, **_ENDED_HCPC),
)  # fmt: skip

SWE_REGISTRANTS = (
    _sim("swe", "SW100", "Jordan Ellis", "Registered", C, "canary: known-good entry"),
    _sim("swe", "SW123", "Marcus Bell", "Registered", C,
         "clear social worker; renumbered from SW000123, which finds it too"),
    _sim("swe", "SW2001", "Tara Nolan", "Registered", R, "Registered with conditions",
         restrictions=(("Conditions", _CONDITIONS),)),
    _sim("swe", "SW2002", "Umar Siddiqui", "Registered", R, "Registered with an interim order",
         restrictions=(("Interim order", "Interim conditions of practice order"),)),
    _sim("swe", "SW2003", "Vera Lowe", "Suspended", B, "suspended"),
    _sim("swe", "SW2004", "William Frost", "Removed", B,
         "removed, no ground stated: uncertain, so treated as a sanction"),
    _sim("swe", "SW2005", "Yasmin Patel", "Not registered", B,
         "not registered, no reason stated: uncertain, so treated as a sanction"),
    _sim("swe", "SW2006", "Zoe Hart", "Registered", U,
         "December renewal window: Registered until 30 November 2026, re-check after 31 December",
         period_to=date(2026, 11, 30)),
    _sim("swe", "SW2007", "Adam Cole", "Registered", B,
         "Registered, but until 30 November 2025, long past the renewal window",
         period_to=date(2025, 11, 30), expected_sanction=False),
    _sim("swe", "SW2008", "Bethan Rees", "Temporary registration", U,
         "a status wording nobody has seen before"),
    _sim("swe", "SW2009", "Callum Reid", "Registered", U, "page with the Status row missing",
         behaviour=Behaviour.MISSING_LABEL),
    _sim("swe", "SW2010", "Dina Shah", "Registered", U, "bot-challenge page",
         behaviour=Behaviour.CHALLENGE),
    _sim("swe", "SW2011", "Ethan Price", "Registered", U, "HTTP 429 with Retry-After",
         behaviour=Behaviour.RATE_LIMITED),
    _sim("swe", "SW2012", "Farah Ali", "Registered", U, "HTTP 503",
         behaviour=Behaviour.UNAVAILABLE),
    _sim("swe", "SW2013", "George Lamb", "Registered", U, "answers slower than the timeout",
         behaviour=Behaviour.STALL),
    _sim("swe", "SW2014", "Paul Green", "Registered", N,
         "the register's name differs from the assessor's legal name", legal=("Grey", "Paul")),
    _sim("swe", "SW2015", "Carys Hughes", "Removed (removal order)", B,
         "removed from the register by a removal order (struck off)"),
    _sim("swe", "SW2016", "Declan Moss", "Voluntarily removed", B,
         "voluntarily removed: a lapse without a sanction", expected_sanction=False),
    _sim("swe", "SW2017", "Esme Ward", "Lapsed", B, "lapsed: did not renew by 30 November 2025",
         period_to=date(2025, 11, 30), expected_sanction=False),
)  # fmt: skip

GMC_REGISTRANTS = (
    _sim("gmc", "7000100", "Dr Sam Whitfield", "Registered with a licence to practise", C,
         "canary: known-good entry"),
    _sim("gmc", "7012345", "Dr Priya Raman", "Registered with a licence to practise", C,
         "clear forensic psychiatrist, reached through the /doctors/ to /registrants/ redirect",
         entries=("Forensic Psychiatry", "General Psychiatry")),
    _sim("gmc", "7020001", "Dr Adebayo Ogun", "Registered with a licence to practise", R,
         "conditions", restrictions=(("Conditions", _CONDITIONS),)),
    _sim("gmc", "7020002", "Dr Bryony Hale", "Registered with a licence to practise", R,
         "undertakings", restrictions=(("Undertakings", "Not to prescribe controlled drugs."),)),
    _sim("gmc", "7020003", "Dr Colin Marsh", "Registered with a licence to practise", R,
         "warning", restrictions=(("Warnings", "Warning issued 4 March 2025, in force 5 years."),)),
    _sim("gmc", "7020004", "Dr Deborah Fox", "Suspended", B, "suspended"),
    _sim("gmc", "7020005", "Dr Edwin Lyle", "Erased", B, "erased"),
    _sim("gmc", "7020006", "Dr Frances Bird", "Erased for administrative reasons", B,
         "administrative erasure: not a sanction", expected_sanction=False),
    _sim("gmc", "7020007", "Dr Gavin Royle", "Registered without a licence to practise", B,
         "without a licence"),
    _sim("gmc", "7020008", "Dr Hina Qureshi",
         "Provisionally registered with a licence to practise", B,
         "provisional registration: not a sanction", expected_sanction=False),
    _sim("gmc", "7020009", "Dr Isaac Penn", "Registered with a licence to practise", B,
         "interim order", restrictions=(("Interim orders", "Interim order of suspension"),)),
    _sim("gmc", "7020010", "Dr Jess Cairns",
         "Registered with a licence to practise (revalidation pending)", U,
         "a status wording nobody has seen before"),
    _sim("gmc", "7020011", "Dr Kofi Mensah", "Registered with a licence to practise", U,
         "page with the Registration status row missing", behaviour=Behaviour.MISSING_LABEL),
    _sim("gmc", "7020012", "Dr Lena Fischer", "Registered with a licence to practise", U,
         "bot-challenge page", behaviour=Behaviour.CHALLENGE),
    _sim("gmc", "7020013", "Dr Marco Rossi", "Registered with a licence to practise", U,
         "HTTP 429 with Retry-After", behaviour=Behaviour.RATE_LIMITED),
    _sim("gmc", "7020014", "Dr Nina Berg", "Registered with a licence to practise", U,
         "HTTP 503", behaviour=Behaviour.UNAVAILABLE),
    _sim("gmc", "7020015", "Dr Omar Haddad", "Registered with a licence to practise", U,
         "answers slower than the timeout", behaviour=Behaviour.STALL),
    _sim("gmc", "7020016", "Dr Oliver Grant", "Registered with a licence to practise", N,
         "the register's name differs from the assessor's legal name",
         legal=("Granger", "Oliver")),
    _sim("gmc", "7020017", "Dr Petra Novak", "Registered with a licence to practise", U,
         "/doctors/ redirects to another host", behaviour=Behaviour.REDIRECT_OFF_HOST),
    _sim("gmc", "7020018", "Dr Rosa Lindgren", "Voluntary erasure", B,
         "voluntary erasure: a lapse without a sanction", expected_sanction=False),
    _sim("gmc", "7020019", "Dr Stefan Bauer", "Removed", B,
         "removed, no ground stated: uncertain, so treated as a sanction"),
)  # fmt: skip

_ENDED_NMC = {"period_to": date(2026, 1, 31)}

NMC_REGISTRANTS = (
    _sim("nmc", "00A0100Z", "Casey Linford", "Registered", C, "canary: known-good entry"),
    _sim("nmc", "12A3456E", "Grace Adeyemi", "Registered", C, "clear mental health nurse"),
    _sim("nmc", "12B0001E", "Harriet Cole", "Registered", R, "conditions of practice",
         restrictions=(("Conditions of practice", _CONDITIONS),)),
    _sim("nmc", "12B0002E", "Imran Baig", "Registered", R, "undertakings",
         restrictions=(("Undertakings", "To complete a medicines management course."),)),
    _sim("nmc", "12B0003E", "Jade Morris", "Suspended", B, "suspended"),
    _sim("nmc", "12B0004E", "Kevin Doyle", "Lapsed", B, "lapsed", expected_sanction=False,
         **_ENDED_NMC),
    _sim("nmc", "12B0005E", "Lucy Vance", "Removed", B,
         "removed from the register, no ground stated: uncertain, so treated as a sanction"),
    _sim("nmc", "12B0006E", "Megan Tate", "Registered", B,
         "shows Registered while an interim suspension order is in force",
         restrictions=(("Interim order", "Interim suspension order"),)),
    _sim("nmc", "12B0007E", "Neil Foster", "Registered", B,
         "Registered, but the expiry date was 31 January 2026", expected_sanction=False,
         **_ENDED_NMC),
    _sim("nmc", "12B0008E", "Olivia Grant", "Registration pending", U,
         "a status wording nobody has seen before"),
    _sim("nmc", "12B0009E", "Peter Lynch", "Registered", U,
         "page with the Registration status row missing", behaviour=Behaviour.MISSING_LABEL),
    _sim("nmc", "12B0010E", "Rachel Kerr", "Registered", U,
         "cookie-consent page with no entry", behaviour=Behaviour.CONSENT),
    _sim("nmc", "12B0011E", "Simon Hale", "Registered", U, "CAPTCHA page",
         behaviour=Behaviour.CAPTCHA),
    _sim("nmc", "12B0012E", "Tessa Moore", "Registered", U, "HTTP 429 with Retry-After",
         behaviour=Behaviour.RATE_LIMITED),
    _sim("nmc", "12B0013E", "Usha Nair", "Registered", U, "HTTP 503",
         behaviour=Behaviour.UNAVAILABLE),
    _sim("nmc", "12B0014E", "Victor Osei", "Registered", U, "answers slower than the timeout",
         behaviour=Behaviour.STALL),
    _sim("nmc", "12B0015E", "Ruth Okafor", "Registered", N,
         "the register's name differs from the assessor's legal name", legal=("Okoro", "Ruth")),
    _sim("nmc", "12B0016E", "Wendy Price", "Struck off", B, "struck off"),
    _sim("nmc", "12B0017E", "Xavier Dunn", "Voluntary removal", B,
         "voluntary removal: a lapse without a sanction", expected_sanction=False),
)  # fmt: skip

SEED_REGISTRANTS = HCPC_REGISTRANTS + SWE_REGISTRANTS + GMC_REGISTRANTS + NMC_REGISTRANTS

CANARY_NUMBERS = {"hcpc": "PYL000100", "swe": "SW100", "gmc": "7000100", "nmc": "00A0100Z"}

# Numbers with no entry: each register answers HTTP 200 with its own "not found" wording.
NOT_FOUND_NUMBERS = {"hcpc": "PYL99999", "swe": "SW999999", "gmc": "7999999", "nmc": "99Z9999Z"}

# PYL31200's digits under another profession's letters: the HCPC finds nothing.
HCPC_PREFIX_MISMATCH = "CS31200"

# (body, as typed, the entry it finds): leading zeros that the register ignores.
TYPED_VARIANTS = (("hcpc", "PYL43541", "PYL043541"), ("swe", "SW000123", "SW123"))

SWE_DECEMBER_WINDOW = "SW2006"


def seed_registrant(body: str, number: str) -> SimRegistrant:
    """The seeded registrant with this exact number. Raises KeyError if there is none."""
    for registrant in SEED_REGISTRANTS:
        if (registrant.body, registrant.number) == (body, number):
            return registrant
    raise KeyError((body, number))
