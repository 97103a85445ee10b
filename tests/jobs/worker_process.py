"""A real RQ worker for the job tests, in a process of its own: `python worker_process.py JSON
[--burst]`, where JSON is the test app's settings (its database, SMTP port, Redis, registers)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from registry import create_app  # noqa: E402
from registry.jobs.worker import run_worker  # noqa: E402
from support import config_for  # noqa: E402

if __name__ == "__main__":
    settings = json.loads(sys.argv[1])
    url = settings.pop("SQLALCHEMY_DATABASE_URI")
    app = create_app(config_for(url, **settings))
    run_worker(app, burst="--burst" in sys.argv[2:])
