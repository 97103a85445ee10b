"""Command-line entry points: flask users ..., flask audit ..., and each feature's group."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from registry.clock import utc_now
from registry.commissions.commands import commissions_cli
from registry.errors import ValidationFailed
from registry.models import Role
from registry.verification.commands import registers_cli
from registry.vetting.commands import reminders_cli

users_cli = AppGroup("users", help="Manage accounts.")
audit_cli = AppGroup("audit", help="The audit trail.")


def init_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(registers_cli)
    app.cli.add_command(commissions_cli)
    app.cli.add_command(reminders_cli)
    from registry.jobs.commands import jobs_cli

    app.cli.add_command(jobs_cli)
    from registry.integrity import integrity_cli

    app.cli.add_command(integrity_cli)
    # `flask db grant-app-role`, beside Flask-Migrate's own database commands.
    from flask_migrate.cli import db as db_cli

    db_cli.add_command(grant_app_role_command)


@users_cli.command("create")
@click.option("--email", required=True, help="The person's email address.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Their role; the first account is a register_manager.",
)
@click.option("--org", "organisation", default=None, help="Organisation name (created if new).")
@click.option("--name", "full_name", default=None, help="Full name (defaults to the email).")
def users_create(email: str, role: str, organisation: str | None, full_name: str | None) -> None:
    """Create an account with a one-time password that must be changed at first sign-in."""
    from registry.users.service import create_user, ensure_organisation

    now = utc_now()
    if organisation:
        ensure_organisation(organisation, Role(role), now=now)
    try:
        user, password = create_user(
            email, Role(role), full_name=full_name or email, organisation_name=organisation, now=now
        )
    except ValidationFailed as error:
        raise click.UsageError(error.message) from error
    lifetime = current_app.config["ONE_TIME_PASSWORD_LIFETIME"]
    click.echo(f"Created {user.role.label.lower()} {user.email}.")
    click.echo(f"One-time password (expires in {lifetime.days} days): {password}")
    click.echo("They must choose a new password and set up two-factor sign-in when they sign in.")


@users_cli.command("confirm-grant")
@click.argument("grant_id", type=click.IntRange(min=1))
def users_confirm_grant(grant_id: int) -> None:
    """Confirm the second register manager of a new system (no other manager can; AC-09)."""
    from registry.errors import InvalidTransition
    from registry.extensions import db
    from registry.models.people import RoleGrant
    from registry.users import grants

    grant = db.session.get(RoleGrant, grant_id)
    if grant is None:
        raise click.UsageError(f"No grant has the number {grant_id}")
    refusal = grants.cli_may_confirm(grant)
    if refusal is not None:
        raise click.UsageError(refusal)
    try:
        grants.confirm(None, grant, now=utc_now(), link_to=_invitation_link, via_cli=True)
    except InvalidTransition as error:
        raise click.UsageError(error.message) from error
    click.echo(f"Confirmed: {grant.user.email} is now a {grant.role.label.lower()}.")


def _invitation_link(token: str) -> str:
    from registry.auth.views import external_link

    with current_app.test_request_context():
        return external_link("auth.invitation_accept")(token)


@audit_cli.command("purge")
def audit_purge() -> None:
    """Delete security events older than the retention period (never commission evidence).

    Runs as the database owner role, DATABASE_OWNER_URL (DATABASE_URL where there is one role):
    the application's role cannot delete audit rows.
    """
    from registry.audit_retention import purge_security_events
    from registry.dbroles import owner_session

    with owner_session() as session:
        deleted = purge_security_events(
            now=utc_now(),
            retention_days=current_app.config["SECURITY_EVENT_RETENTION_DAYS"],
            session=session,
        )
    click.echo(f"Deleted {deleted} security events older than the retention period.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; exit 1 at the first broken link.

    Runs as the application's role (DATABASE_URL): it reads the trail and appends one row with
    the result, which the auditors' dashboard shows. Schedule it daily.
    """
    from registry.audit_chain import record_verification, verify_chain
    from registry.extensions import db

    report = verify_chain(db.session)
    record_verification(report, now=utc_now())
    if not report.ok:
        click.echo(f"The audit trail's hash chain is broken: {report.first_break}", err=True)
        raise SystemExit(1)
    click.echo(f"The audit trail's hash chain verified: {report.events} events, no break.")


@click.command("grant-app-role")
@click.argument("role")
def grant_app_role_command(role: str) -> None:
    """Create the application's PostgreSQL role ROLE (if new) and grant it exactly its rights.

    Run as the owner role (DATABASE_OWNER_URL, else DATABASE_URL) after every `flask db upgrade`.
    ROLE may SELECT and INSERT the audit trail, panel decisions and register checks, and never
    UPDATE, DELETE or TRUNCATE them; it has full rights on the other tables. The application then
    connects as ROLE (DATABASE_URL); set its password with ALTER ROLE, or use peer or certificate
    authentication. On SQLite there is one role and nothing to do.
    """
    from registry.dbroles import grant_app_role

    try:
        granted = grant_app_role(role)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    if granted:
        click.echo(f"Role {role} can now read and write the working tables, and only read and")
        click.echo("append to audit_event, panel_decision and verification_check.")
    else:
        click.echo("SQLite has one role: nothing to grant.")
