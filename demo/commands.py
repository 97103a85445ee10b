"""`flask demo seed`, `flask demo commissions` and `flask demo code` (development only; attached
by create_app where the configuration allows demo data)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from registry.clock import utc_now

demo_cli = AppGroup("demo", help="Demo data for development (refused outside development).")


def init_app(app: Flask) -> None:
    """Attach `flask demo ...` to the app."""
    app.cli.add_command(demo_cli)


@demo_cli.command("seed")
@click.option(
    "--assessors",
    "extra_assessors",
    type=click.IntRange(min=0),
    default=0,
    help="Also add N synthetic assessors in bulk, for benchmarks (their registration numbers "
    "are unknown to the register simulator).",
)
def demo_seed(extra_assessors: int) -> None:
    """Seed demo organisations and one user per role, printing their sign-in details."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.UsageError("Demo data is only allowed in development")
    from demo.seed import seed_demo

    for line in seed_demo(now=utc_now()):
        click.echo(line)
    if extra_assessors:
        from demo.bulk import seed_bulk_assessors

        seed_bulk_assessors(extra_assessors, now=utc_now())
        click.echo(f"Synthetic assessors: {extra_assessors} added.")


@demo_cli.command("commissions")
def demo_commissions() -> None:
    """Both demo councils' commission requests in every state, made through the services.

    Run after `flask registers verify-due` (make run does): selecting and approving an assessor
    needs their registration checked clear against the register simulator."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.UsageError("Demo data is only allowed in development")
    from demo.commissions import seed_demo_commissions

    for line in seed_demo_commissions():
        click.echo(line)


@demo_cli.command("code")
@click.argument("email")
def demo_code(email: str) -> None:
    """Print the current TOTP code of a demo user (development only)."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.UsageError("Demo codes are only available in development")
    from demo.seed import demo_code_for

    click.echo(demo_code_for(email, now=utc_now()))
