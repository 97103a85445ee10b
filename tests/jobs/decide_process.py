"""One panel member deciding in a process of its own: `python decide_process.py JSON`.

With "die": the process kills itself with SIGKILL just before its commit (the decision, the
snapshot and the audit rows flushed but not committed), as a crash in the middle would.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from registry import create_app  # noqa: E402
from registry.commissions import panel  # noqa: E402
from registry.errors import InvalidTransition, NotAllowed  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.models import Commission, User  # noqa: E402
from support import config_for  # noqa: E402

if __name__ == "__main__":
    job = json.loads(sys.argv[1])
    app = create_app(config_for(job.pop("url"), **job.pop("settings")))
    with app.app_context():
        member = db.session.get(User, job["member_id"])
        commission = db.session.get(Commission, job["commission_id"])
        if job["die"]:

            def die() -> None:
                db.session.flush()
                os.kill(os.getpid(), signal.SIGKILL)

            db.session.commit = die  # type: ignore[method-assign]
        start = datetime.fromisoformat(job["start_at"])
        threading.Event().wait(max(0.0, (start - datetime.now(UTC)).total_seconds()))
        try:
            panel.decide(member, commission, True, "", now=datetime.now(UTC))
            print("decided")
        except (InvalidTransition, NotAllowed):
            print("refused")
