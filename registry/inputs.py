"""One gate for control characters in every request's input (IN-04).

A NUL byte or another control character in a form field or a query parameter has no business
in this service: nobody types one, PostgreSQL refuses NUL in text outright (a 500), and the
others end up in emails, logs and CSV exports. Rather than teach every form and every view to
refuse them, one `before_request` hook looks at every query parameter, form field and uploaded
file name, and answers 400 with the service's error page when it finds one. Tab, carriage return
and line feed are allowed, because multi-line text (case questions, notes, named parties) needs
them; single-line fields are checked by their own validators. See
docs/decisions/0007-control-characters-refused-at-the-door.md.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, request
from flask.typing import ResponseReturnValue

log = logging.getLogger("registry.inputs")

# C0 controls except tab, LF and CR; DEL; the C1 controls (U+0080..U+009F).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MESSAGE = (
    "What you sent contains characters that cannot be used, such as a null character. "
    "Go back, remove them (or type the text again rather than pasting it) and try again."
)


def has_control_characters(text: str) -> bool:
    """True when the text holds a character this service never accepts."""
    return CONTROL_CHARACTERS.search(text) is not None


def _offending_input() -> str | None:
    """Where the first control character is: 'query', 'form' or 'file name', or None."""
    sources = [("query", request.args)]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        sources.append(("form", request.form))
    for where, values in sources:
        for key, value in values.items(multi=True):
            if has_control_characters(key) or has_control_characters(value):
                return where
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        for key, upload in request.files.items(multi=True):
            if has_control_characters(key) or has_control_characters(upload.filename or ""):
                return "file name"
    return None


def refuse_control_characters() -> ResponseReturnValue | None:
    """Answer 400 with the error page when any input holds a control character."""
    where = _offending_input()
    if where is None:
        return None
    log.warning("input.refused", extra={"reason": f"control character in {where}"})
    from registry.handlers import render_error

    return render_error(400, MESSAGE)


def init_inputs(app: Flask) -> None:
    """Install the gate before every view (and before the sign-in gate redirects)."""
    app.before_request(refuse_control_characters)
