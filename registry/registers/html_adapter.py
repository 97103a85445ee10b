"""The lookup every HTML register shares: fetch one entry page, read it, judge it, keep evidence."""

from __future__ import annotations

import abc
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar

from bs4 import BeautifulSoup

from registry.clock import uk_date_of
from registry.registers.base import LookupResult, Outcome, RegisterAdapter
from registry.registers.http import FetchedPage, RegisterUnavailable
from registry.registers.judging import Reading, StatusRules, Verdict, judge, period_verdict
from registry.registers.numbers import InvalidNumber, normalise_number
from registry.registers.parsing import (
    Fields,
    PageUnreadable,
    challenge_marker,
    looks_like_consent_page,
)

logger = logging.getLogger(__name__)


class HtmlRegisterAdapter(RegisterAdapter):
    """A register whose entry is one server-rendered HTML page with labelled fields."""

    rules: ClassVar[StatusRules]
    status_labels: ClassVar[tuple[str, ...]]
    # The register's own words for "no such entry", read from the body of an HTTP 200.
    not_found_pattern: ClassVar[re.Pattern[str]]

    @abc.abstractmethod
    def entry_url(self, number: str) -> str:
        """The URL of a normalised number's entry, built from the base URL and the number only."""

    @abc.abstractmethod
    def read_entry(self, fields: Fields, number: str) -> Reading:
        """The entry's labelled fields. Raises PageUnreadable when one is missing or odd."""

    def fetch(self, url: str) -> FetchedPage:
        """The page at url. Raises RegisterUnavailable when it cannot be had."""
        return self.client.get(url)

    def judge_period(self, reading: Reading, today: date) -> Verdict | None:
        """Whether the period shown rules the entry out today (None when it does not)."""
        return period_verdict(reading, today)

    def shows_number(self, shown: str, number: str) -> bool:
        """Whether the number the page shows is the one we asked for."""
        try:
            return normalise_number(self.code, shown) == number
        except InvalidNumber:
            return False

    def require_number(self, fields: Fields, label: str, number: str) -> None:
        """Raise PageUnreadable unless the page shows the number we asked for under label."""
        shown = fields.require(label).text
        if not self.shows_number(shown, number):
            raise PageUnreadable(f"The register page showed another number ({shown}).")

    def read_restrictions(self, fields: Fields) -> tuple[tuple[str, str], ...]:
        """The restriction fields of the entry that have content, verbatim."""
        found = []
        for label in self.rules.restriction_labels:
            field = fields.get(label)
            if field is not None and field.has_content:
                found.append((label, field.text))
        return tuple(found)

    def lookup(
        self,
        number: str,
        *,
        surname: str | None = None,
        given_names: str | None = None,
        now: datetime,
    ) -> LookupResult:
        """Check one registration as of `now` (aware). Raises InvalidNumber before any request."""
        number = normalise_number(self.code, number)
        if now.tzinfo is None:
            raise ValueError("lookup needs an aware datetime for now")
        url = self.entry_url(number)
        try:
            page = self.fetch(url)
        except RegisterUnavailable as failure:
            fetched = _Fetched(failure.url or url, failure.http_status, failure.body_sha256, None)
            verdict, reading = Verdict(Outcome.UNREADABLE, failure.reason), None
        except Exception:
            # As with parsing: a bug on the way to the page must not become a crash.
            logger.exception("register lookup failed", extra={"register": self.code})
            fetched = _Fetched(url, None, None, None)
            verdict, reading = Verdict(Outcome.UNREADABLE, "The register could not be read."), None
        else:
            fetched = _Fetched(page.url, page.status, page.sha256, page)
            verdict, reading = self._judge_page(page, number, surname, given_names, uk_date_of(now))
        return self._result(verdict, reading, fetched, number, now.astimezone(UTC))

    def _judge_page(
        self,
        page: FetchedPage,
        number: str,
        surname: str | None,
        given_names: str | None,
        today: date,
    ) -> tuple[Verdict, Reading | None]:
        reading = None
        try:
            reading = self._read(page, number)
            if reading is None:
                return Verdict(Outcome.NOT_FOUND, f"The register has no entry for {number}."), None
            verdict = judge(
                reading,
                self.rules,
                today=today,
                surname=surname,
                given_names=given_names,
                period_rule=self.judge_period,
            )
        except PageUnreadable as problem:
            verdict = Verdict(Outcome.UNREADABLE, str(problem))
        except Exception:
            # A parser bug must end as unreadable evidence, never as a crash or a clear.
            logger.exception("register page could not be read", extra={"register": self.code})
            verdict = Verdict(Outcome.UNREADABLE, "The register page could not be read.")
        return verdict, reading

    def _read(self, page: FetchedPage, number: str) -> Reading | None:
        """The entry on the page, or None for the register's "not found". Raises PageUnreadable."""
        if page.status != 200:
            raise PageUnreadable(f"The register answered HTTP {page.status} instead of a page.")
        if page.content_type != "text/html":
            shown = page.content_type or "no content type"
            raise PageUnreadable(f"The register answered with {shown} instead of a web page.")
        if challenge_marker(page.text):
            raise PageUnreadable("The register showed a bot-challenge page instead of the entry.")
        soup = BeautifulSoup(page.text, "html.parser")
        fields = Fields(soup)
        says_not_found = bool(self.not_found_pattern.search(soup.get_text(" ")))
        if fields.get(*self.status_labels) is None:
            if says_not_found:
                return None
            if not fields and looks_like_consent_page(page.text):
                raise PageUnreadable(
                    "The register showed a cookie consent page instead of the entry."
                )
            raise PageUnreadable(f"The register page had no {self.status_labels[0]} field.")
        if says_not_found:
            raise PageUnreadable("The register page showed an entry and also said no results.")
        return self.read_entry(fields, number)

    def _result(
        self,
        verdict: Verdict,
        reading: Reading | None,
        fetched: _Fetched,
        number: str,
        checked_at: datetime,
    ) -> LookupResult:
        read = reading or Reading(status_text="", name="")
        return LookupResult(
            body=self.code,
            number=number,
            outcome=verdict.outcome,
            detail=verdict.detail,
            checked_at=checked_at,
            adapter_version=self.version,
            source_url=fetched.url,
            http_status=fetched.status,
            body_sha256=fetched.sha256,
            status_text=read.status_text,
            name=read.name or None,
            period_from=read.period_from,
            period_to=read.period_to,
            entries=read.entries,
            conditions=read.conditions,
            data_valid_on=read.data_valid_on,
            recheck_after=verdict.recheck_after,
            sanction=verdict.sanction and verdict.outcome in {Outcome.BLOCKED, Outcome.RESTRICTED},
            page=fetched.page.content if fetched.page is not None else None,
            page_type=fetched.page.content_type if fetched.page is not None else None,
        )


@dataclass(frozen=True)
class _Fetched:
    """Where the evidence came from: the final URL, the HTTP status, the body's hash, and the
    page itself when one was read."""

    url: str
    status: int | None
    sha256: str | None
    page: FetchedPage | None


def optional_text(fields: Fields, *labels: str) -> str | None:
    """The text of an optional field, or None when it is absent or empty."""
    field = fields.get(*labels)
    return field.text if field is not None and field.text else None
