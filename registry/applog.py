"""Application logs as one JSON object per line, control characters escaped (LOG-04)."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.exc import StatementError

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as a single JSON line; json.dumps escapes newlines and control chars."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=True)

    def formatException(self, exc_info) -> str:
        """The traceback with SQL parameters hidden and the database's DETAIL lines dropped.

        A failed statement's parameters carry search terms and email addresses, and PostgreSQL's
        DETAIL line repeats a conflicting value ("Key (email)=(...) already exists").
        """
        _hide_sql_parameters(exc_info[1])
        text = super().formatException(exc_info)
        return "\n".join(line for line in text.splitlines() if not _DETAIL.match(line))


_DETAIL = re.compile(r"^\s*DETAIL:")


def _hide_sql_parameters(error: BaseException | None) -> None:
    """Set hide_parameters on every SQLAlchemy statement error in the exception's chain."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, StatementError):
            error.hide_parameters = True
        error = error.__cause__ or error.__context__


class RequestIdFilter(logging.Filter):
    """Put the current request's id (or a job's, when jobs set one) on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            from registry.audit import current_request

            context = current_request.get()
            request_id = context.request_id if context is not None else None
            if request_id:
                record.request_id = request_id
        return True


def configure_logging(app: Flask) -> None:
    """Send the app's logs to stdout, as JSON unless development asked for plain text."""
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(RequestIdFilter())
    if app.config["LOG_JSON"]:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger("registry")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    app.logger.handlers[:] = [handler]
