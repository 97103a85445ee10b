"""Browser journeys: Debian's Chromium driven by Playwright against a live server.

The live server runs the real app in a thread, on its own migrated database (a file, so that
the server's threads share it), with CSRF on. Chromium comes from the system package; a
browser download is neither needed nor possible. REQUIRE_BROWSER=1 turns a missing Chromium into
a failure instead of a skip (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_helpers import AXE
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from registry import create_app
from registry.extensions import db
from support import config_for, migrate_to_head, scratch_database, simulator_settings

# CI shares two CPUs between the live server, PostgreSQL and Chromium: give pages time to load.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here as a browser journey; skip (or fail in CI) without Chromium."""
    here = Path(__file__).parent
    missing = not Path(CHROMIUM).exists() or not AXE.exists()
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # Chromium may drop a connection while the live server streams a static file; the
            # server thread then leaves that file to the garbage collector. Not our code's leak.
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )
            if missing and not os.environ.get("REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason="Chromium or axe-core not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium, merged into pytest-playwright's own settings."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@dataclass
class LiveServer:
    """The running app: its base URL and the Flask app (for seeding data in app context)."""

    url: str
    app: Flask

    def seed(self, work: Callable[[], object]) -> object:
        """Run database work in the live app's context, committed for real."""
        with self.app.app_context():
            result = work()
            db.session.commit()
            return result


@pytest.fixture(scope="module")
def live_server(
    tmp_root: Path,
    smtp_server,
    database_url: str,
    register_simulator,
) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1 in a thread, on a scratch database, with CSRF on.

    One per test module: each journey file starts from an empty register, so that journeys
    written apart (each seeding the simulator's well-known registrants) never collide.
    """
    url = scratch_database(database_url, "browser", tmp_root)
    config = config_for(
        url,
        **simulator_settings(register_simulator),
        WTF_CSRF_ENABLED=True,
        MAIL_PORT=smtp_server[0].port,
        UPLOAD_FOLDER=str(tmp_root / "browser-uploads"),
    )
    app = create_app(config)
    migrate_to_head(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["EXTERNAL_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=base, app=app)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
