"""flask commissions monitor: the scheduled watch on approved and open commissions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.clock import utc_now

commissions_cli = AppGroup("commissions", help="Commission requests.")


@commissions_cli.command("monitor")
def monitor() -> None:
    """Re-check the assessor of every open commission; flag and notify on any lapse (cron)."""
    from registry.commissions.after_approval import monitor_open_commissions

    flagged = monitor_open_commissions(now=utc_now())
    click.echo(f"{flagged} commission(s) newly flagged.")
