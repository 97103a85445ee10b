"""Registration numbers: the format of each public register's numbers, and the bodies we know."""

from __future__ import annotations

import re
from dataclasses import dataclass

AUTOMATED_BODIES = ("hcpc", "swe", "gmc", "nmc")
MANUAL_BODIES = ("sssc", "niscc", "scw", "ukcp", "bacp", "bps")

BODY_NAMES = {
    "hcpc": "Health and Care Professions Council",
    "swe": "Social Work England",
    "gmc": "General Medical Council",
    "nmc": "Nursing and Midwifery Council",
    "sssc": "Scottish Social Services Council",
    "niscc": "Northern Ireland Social Care Council",
    "scw": "Social Care Wales",
    "ukcp": "UK Council for Psychotherapy",
    "bacp": "British Association for Counselling and Psychotherapy",
    "bps": "British Psychological Society (Chartered membership)",
}

# Nobody types a registration number this long; refuse early instead of matching patterns on it.
MAX_INPUT_LENGTH = 40


@dataclass(frozen=True)
class NumberFormat:
    """How one register writes its numbers, and how a form should ask for one."""

    pattern: re.Pattern[str]
    what: str
    example: str


HCPC_PREFIXES = (
    "AS", "BS", "CH", "CS", "DT", "HAD", "ODP", "OR", "OT", "PA", "PH", "PO", "PYL", "RA", "SL",
)  # fmt: skip

NUMBER_FORMATS = {
    "hcpc": NumberFormat(
        re.compile(r"(?P<prefix>" + "|".join(HCPC_PREFIXES) + r")(?P<digits>[0-9]{1,6})"),
        "an HCPC registration number",
        "PYL012345",
    ),
    "swe": NumberFormat(
        re.compile(r"SW(?P<digits>[1-9][0-9]{0,6})"),
        "a Social Work England registration number",
        "SW123456",
    ),
    "gmc": NumberFormat(re.compile(r"[0-9]{7}"), "a GMC reference number", "1234567"),
    "nmc": NumberFormat(re.compile(r"[0-9]{2}[A-Z][0-9]{4}[A-Z]"), "an NMC PIN", "12A3456E"),
}

_SWE_LEADING_ZEROS = re.compile(r"SW0+(?=[0-9])")
_GMC_CONSULTANT_CODE = re.compile(r"C([0-9]{7})")


class InvalidNumber(ValueError):
    """A registration number that does not fit its register's format; str() is fit for a form."""

    def __init__(self, body: str, *, empty: bool = False) -> None:
        number_format = NUMBER_FORMATS[body]
        if empty:
            message = f"Enter {number_format.what}"
        else:
            message = (
                f"Enter {number_format.what} in the correct format, like {number_format.example}"
            )
        super().__init__(message)
        self.body = body


def normalise_number_with_warning(body: str, raw: str) -> tuple[str, str | None]:
    """Return the number in the register's form and a warning to show, if any.

    Raises InvalidNumber for any text that is not a number of that register, and KeyError for a
    body without an automated register.
    """
    number_format = NUMBER_FORMATS[body]
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidNumber(body, empty=True)
    cleaned = "".join(raw.split())
    if len(cleaned) > MAX_INPUT_LENGTH or not cleaned.isascii():
        raise InvalidNumber(body)
    cleaned = cleaned.upper()
    warning = None
    if body == "swe":
        # Social Work England renumbered SW000123 as SW123: the register knows only the latter.
        cleaned = _SWE_LEADING_ZEROS.sub("SW", cleaned, count=1)
    elif body == "gmc" and (consultant := _GMC_CONSULTANT_CODE.fullmatch(cleaned)):
        cleaned = consultant.group(1)
        warning = (
            f"{raw.strip()} looks like a consultant code, not a GMC reference number. "
            f"We checked {cleaned}: make sure this is the doctor's GMC reference number."
        )
    if not number_format.pattern.fullmatch(cleaned):
        raise InvalidNumber(body)
    return cleaned, warning


def normalise_number(body: str, raw: str) -> str:
    """Return the number in the register's form. Raises InvalidNumber if it does not fit."""
    return normalise_number_with_warning(body, raw)[0]


def hcpc_prefix(number: str) -> str:
    """The profession letters of a normalised HCPC number (PYL for PYL043541)."""
    match = NUMBER_FORMATS["hcpc"].pattern.fullmatch(number)
    if match is None:
        raise InvalidNumber("hcpc")
    return match.group("prefix")


def same_hcpc_number(left: str, right: str) -> bool:
    """Whether two HCPC numbers name the same entry (the HCPC compares the digits numerically)."""
    a = NUMBER_FORMATS["hcpc"].pattern.fullmatch(left)
    b = NUMBER_FORMATS["hcpc"].pattern.fullmatch(right)
    if a is None or b is None:
        return False
    return a.group("prefix") == b.group("prefix") and int(a.group("digits")) == int(
        b.group("digits")
    )
