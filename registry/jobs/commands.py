"""flask jobs worker | scheduler | run: the processes beside the web app, and a manual run."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs: the worker, the scheduler, manual runs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--name", default=None, help="The worker's name (default: RQ's).")
@click.option(
    "--owner", is_flag=True, help="Work the owner role's queue (needs DATABASE_OWNER_URL)."
)
def worker_command(burst: bool, name: str | None, owner: bool) -> None:
    """Run jobs from the queue (run one or more beside the web app)."""
    from registry.jobs.worker import run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_worker(app, burst=burst, name=name, owner=owner)


@jobs_cli.command("scheduler")
@click.option("--once", is_flag=True, help="Enqueue what is due now, then stop.")
def scheduler_command(once: bool) -> None:
    """Enqueue the scheduled work when it is due (run exactly one; two never double a run)."""
    from registry.jobs.scheduler import run_scheduler

    run_scheduler(current_app._get_current_object(), once=once)  # type: ignore[attr-defined]


@jobs_cli.command("schedule")
def schedule_command() -> None:
    """Print the scheduled work."""
    from registry.jobs.schedule import SCHEDULE

    for entry in SCHEDULE:
        click.echo(f"{entry.name:<22} every {entry.every}  (+{entry.offset})  {entry.description}")


@jobs_cli.command("run")
@click.argument("name")
def run_command(name: str) -> None:
    """Run one scheduled job now, in this process (e.g. `flask jobs run verify-due`)."""
    import importlib

    from registry.jobs.schedule import SCHEDULE

    entry = next((e for e in SCHEDULE if e.name == name), None)
    if entry is None:
        raise click.UsageError("No scheduled job is called that: see `flask jobs schedule`.")
    module, _, function = entry.function.rpartition(".")
    result = getattr(importlib.import_module(module), function)()
    click.echo(f"{name}: {result}")
