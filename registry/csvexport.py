"""CSV for every export, with formula injection neutralised (issue 9, item 7).

A spreadsheet opening a CSV treats a cell that starts with `=`, `+`, `-` or `@` as a formula,
and a leading tab or carriage return can hide one. Text typed by users (a referee's name, a
case note) must never run as a formula on a council officer's machine, so every cell that
starts with one of those characters gets a single quote in front: spreadsheets then show it as
text. The quote is visible in the file, which is the accepted trade-off (OWASP "CSV Injection").

Every CSV export writes through `writer()` here; a test fails if any module calls `csv.writer`
itself.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as CSV text, with a leading quote if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """A csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: TextIO) -> SafeWriter:
    """A CSV writer for an export: like csv.writer, with every cell made safe."""
    return SafeWriter(out)
