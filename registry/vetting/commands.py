"""flask reminders send."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.clock import utc_now

reminders_cli = AppGroup("reminders", help="Reminders before dated items fall due.")


@reminders_cli.command("send")
def send_command() -> None:
    """Send every reminder due today (cron, daily); never the same reminder twice."""
    from registry.vetting.reminders import send_due_reminders

    count = send_due_reminders(now=utc_now())
    click.echo(f"Sent {count} reminders.")
