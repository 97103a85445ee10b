"""Plain English for the gate and the policy page: GOV.UK dates, lists, and the domain's words."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from registry.eligibility.policy_model import AcceptedRegistration, Policy
from registry.eligibility.vocabulary import (
    AgeBand,
    ConvictionStatus,
    OffenceCategory,
    Outcome,
    Population,
    Purpose,
)

# Month names written out: strftime("%B") follows the process locale.
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# The in-sentence words of each code (registry/vocabulary.py holds them, once).
OFFENCE_WORDS = {member: member.words for member in OffenceCategory}
PURPOSE_WORDS = {member: member.words for member in Purpose}
POPULATION_WORDS = {member: member.words for member in Population}
AGE_WORDS = {member: member.words for member in AgeBand}
CONVICTION_WORDS = {member: member.words for member in ConvictionStatus}
OUTCOME_WORDS = {member: member.words for member in Outcome}


def long_date(day: date) -> str:
    """A date in GOV.UK style: "3 March 2025"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def join(items: Iterable[str], last: str = "and") -> str:
    """Join words as a sentence would: "a", "a and b", "a, b and c"."""
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def count_of(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 assessment", "3 assessments"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def words(table: Mapping[Any, str], key: object) -> str:
    """The plain words for a code, or the code made readable when it is unknown."""
    return table.get(key, str(key).replace("_", " "))


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def body_name(policy: Policy, code: str) -> str:
    body = policy.body(code)
    return body.short_name if body else code.upper()


def role_words(policy: Policy, profession: str, entries: Iterable[str]) -> str:
    """ "practitioner psychologist (forensic)"."""
    known = policy.profession(profession)
    title = known.title if known else profession.replace("_", " ")
    shown = [known.entry_title(e) if known else e for e in entries]
    return title + (f" ({join(shown)})" if shown else "")


def registration_words(policy: Policy, body: str, profession: str, entries: Iterable[str]) -> str:
    """ "HCPC practitioner psychologist (forensic)"."""
    return f"{body_name(policy, body)} {role_words(policy, profession, entries)}"


def accepted_words(policy: Policy, accepted: AcceptedRegistration) -> str:
    """ "HCPC practitioner psychologist (forensic, clinical or counselling)"."""
    known = policy.profession(accepted.profession)
    title = known.title if known else accepted.profession
    shown = [known.entry_title(e) if known else e for e in accepted.entries]
    return f"{body_name(policy, accepted.body)} {title}" + (
        f" ({join(shown, 'or')})" if shown else ""
    )


def years_before(day: date, years: int) -> date:
    """The same calendar date `years` earlier (28 February for 29 February); clamped at date.min."""
    return _shift_years(day, -years)


def years_after(day: date, years: int) -> date:
    """The same calendar date `years` later (28 February for 29 February); clamped at date.max."""
    return _shift_years(day, years)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier, or that month's last day; clamped at date.min."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift_years(day: date, years: int) -> date:
    year = day.year + years
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
