"""Links of notifications, resolved from their endpoint and arguments (the web layer's part).

The notification module stores a Link (endpoint and arguments); this turns one into an absolute
URL under EXTERNAL_BASE_URL for an email (never from a request's Host header, CFG-03), and into
a path for the notifications page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.routing import BuildError

from registry.models import Notification
from registry.notifications import Link, init_notifications


def init_links(app: Flask) -> None:
    """Install the email link builder and the template helper."""
    init_notifications(app, email_link)
    app.jinja_env.globals.update(notification_href=notification_href)


def email_link(link: Link) -> str:
    """The absolute URL of a link, under the configured base URL."""
    base = urlsplit(current_app.config["EXTERNAL_BASE_URL"] or "http://localhost")
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(link.endpoint, dict(link.values), force_external=True)


def notification_href(note: Notification) -> str | None:
    """Where a notification on the notifications page links to, or None."""
    if note.link_endpoint:
        base = urlsplit(current_app.config["EXTERNAL_BASE_URL"] or "http://localhost")
        adapter = current_app.url_map.bind(base.netloc or "localhost")
        try:
            return adapter.build(note.link_endpoint, dict(note.link_values or {}))
        except BuildError:
            return None
    return note.link
