"""flask registers lookup | verify-due | canary | simulate."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from registry.clock import utc_now
from registry.registers import AUTOMATED_BODIES, InvalidNumber, LookupResult, Outcome
from registry.verification.service import adapter_for, record_canary

registers_cli = AppGroup("registers", help="Public registers: look up, re-check, canary, simulate.")

FIELDS = (
    "outcome",
    "status_text",
    "name",
    "period_from",
    "period_to",
    "source_url",
    "http_status",
    "body_sha256",
    "checked_at",
)


def _print_table(result: LookupResult) -> None:
    data = result.to_json_dict()
    rows = [*FIELDS, "entries", "conditions", "data_valid_on", "detail", "adapter_version"]
    width = max(len(name) for name in rows)
    for name in rows:
        value = data.get(name)
        click.echo(f"{name.replace('_', ' '):<{width}}  {'' if value is None else value}")


@registers_cli.command("lookup")
@click.argument("body", type=click.Choice(AUTOMATED_BODIES, case_sensitive=False))
@click.argument("number")
@click.option("--surname", default=None, help="Compare the name on the register with this.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def lookup(body: str, number: str, surname: str | None, as_json: bool) -> None:
    """Look up one registration. Exit 0 when clear, 1 for any other outcome, 2 for bad input."""
    try:
        result = adapter_for(body.lower()).lookup(number, surname=surname, now=utc_now())
    except InvalidNumber as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(result.to_json_dict(), sort_keys=True))
    else:
        _print_table(result)
    sys.exit(0 if result.outcome is Outcome.CLEAR else 1)


@registers_cli.command("verify-due")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Check at most N.")
def verify_due_command(limit: int | None) -> None:
    """Re-check every registration due (cron). Exit 1 if any register was unreadable."""
    from registry.verification.runner import verify_due

    now = utc_now()
    show_bar = sys.stdout.isatty()
    if show_bar:
        with click.progressbar(length=_due_count(now, limit), label="Checking") as bar:
            summary = verify_due(now=now, limit=limit, progress=bar.update)
    else:
        summary = verify_due(now=now, limit=limit)
    click.echo(f"Checked {summary.total} registrations; {summary.lapsed} no longer clear.")
    for body, counts in sorted(summary.outcomes.items()):
        parts = ", ".join(f"{outcome} {n}" for outcome, n in sorted(counts.items()))
        click.echo(f"  {body.upper():<5} {parts}")
    if summary.unreadable_registers:
        click.echo("Unreadable: " + ", ".join(summary.unreadable_registers), err=True)
        sys.exit(1)


def _due_count(now, limit: int | None) -> int:
    from sqlalchemy import func, select

    from registry.extensions import db
    from registry.verification.service import due_registrations_query

    count = db.session.scalar(
        select(func.count()).select_from(due_registrations_query(now).subquery())
    )
    return min(count or 0, limit) if limit else count or 0


@registers_cli.command("canary")
def canary() -> None:
    """Look up one known-good number per register; exit 1 if a register cannot be read."""
    numbers: dict[str, str] = current_app.config["REGISTER_CANARY_NUMBERS"]
    failed = []
    for body in AUTOMATED_BODIES:
        number = numbers.get(body)
        if not number:
            click.echo(f"{body.upper():<5} no canary number configured", err=True)
            failed.append(body)
            continue
        result = adapter_for(body).lookup(number, now=utc_now())
        record_canary(body, result)
        click.echo(f"{body.upper():<5} {number:<10} {result.outcome}  {result.detail}")
        if result.outcome is not Outcome.CLEAR:
            failed.append(body)
    if failed:
        click.echo("Canary failed for: " + ", ".join(failed), err=True)
        sys.exit(1)
