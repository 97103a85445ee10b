"""URL converters: ids that fit the database's integer column, or no match (IN-04).

A plain `<int:...>` accepts any number of digits, and a value beyond the database's INTEGER
range made the lookup itself fail (OverflowError on SQLite, NumericValueOutOfRange on
PostgreSQL): a 500 instead of a 404. Every id in a URL uses `<id:...>`, which matches only
1..2**31-1, so anything else is simply "no such page".
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter, Map

ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """A positive id that fits a 32-bit signed INTEGER column."""

    def __init__(self, map: Map) -> None:  # werkzeug names the parameter `map`
        super().__init__(map, min=1, max=ID_MAX)


class Sha256Converter(BaseConverter):
    """A SHA-256 in lower-case hex, the address of a stored register page."""

    regex = "[0-9a-f]{64}"


def init_converters(app: Flask) -> None:
    """Register `<id:...>` and `<sha256:...>` before any blueprint adds its rules."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["sha256"] = Sha256Converter
