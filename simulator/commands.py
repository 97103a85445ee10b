"""`flask registers simulate`: serve the simulator (development and tests only; attached by
create_app where the configuration allows it)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from registry.verification.commands import registers_cli


def init_app(app: Flask) -> None:
    """Attach `flask registers simulate` to the registers group."""
    registers_cli.add_command(simulate)


@click.command("simulate")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5001, show_default=True, type=int)
@click.option("--latency", default=0.0, show_default=True, type=float, help="Seconds per lookup.")
def simulate(host: str, port: int, latency: float) -> None:
    """Serve the public-register simulator (development and tests only)."""
    if not (current_app.config["DEMO_DATA_ALLOWED"] or current_app.testing):
        raise click.UsageError("The simulator is for development and tests only")
    from simulator.app import serve

    click.echo(f"Register simulator on http://{host}:{port} (latency {latency}s)")
    serve(host=host, port=port, latency=latency)
