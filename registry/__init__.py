"""The application factory: a table of contents of the steps that build the app."""

from __future__ import annotations

import importlib

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config, config_from_environment


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the app for a configuration class (APP_ENV's when none is given)."""
    config_class = config_class or config_from_environment()
    config_class.validate()
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(config_class)
    register_policy(app)
    register_proxy_fix(app)
    register_logging(app)
    register_extensions(app)
    register_templating(app)
    register_notifications(app)
    register_reactions(app)
    register_security(app)
    register_converters(app)
    register_blueprints(app)
    register_jobs(app)
    register_handlers(app)
    register_cli(app)
    return app


def register_policy(app: Flask) -> None:
    """Load the eligibility policy; a malformed policy stops the app with a clear message."""
    from registry.policy_store import init_policy

    init_policy(app)


def register_proxy_fix(app: Flask) -> None:
    """Trust exactly the configured number of proxy hops (CFG-04, RATE-05)."""
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app,
        x_for=app.config["PROXY_FIX_X_FOR"],
        x_proto=app.config["PROXY_FIX_X_PROTO"],
    )


def register_logging(app: Flask) -> None:
    """JSON lines on stdout (LOG-04)."""
    from registry.applog import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    """Database, migrations, CSRF, sign-in and rate limiting."""
    from registry import models  # noqa: F401  (every table on the metadata)
    from registry.extensions import csrf, db, limiter, login_manager, migrate, tune_sqlite

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)


def register_templating(app: Flask) -> None:
    """GOV.UK Frontend loaders, WTForms widgets and our filters."""
    from registry.templating import init_templating

    init_templating(app)


def register_notifications(app: Flask) -> None:
    """Notifications: emails after the commit, links resolved by the web layer."""
    from registry.links import init_links

    init_links(app)


def register_reactions(app: Flask) -> None:
    """What one feature does when another announces an event, wired here, once, visibly.

    An assessor who stops being eligible (a registration lapsed, or a suspension or removal)
    has each open commission flagged, and its officer and panel told. A frozen panel decision
    keeps the register pages behind the checks it cites.
    """
    from registry import reactions
    from registry.commissions.after_approval import flag_open_commissions
    from registry.verification.pages import hold_pages_of_checks

    reactions.init_reactions(app)
    reactions.on(app, reactions.ASSESSOR_LAPSED, flag_open_commissions)
    reactions.on(app, reactions.DECISION_FROZEN, hold_pages_of_checks)


def register_security(app: Flask) -> None:
    """Headers, the control-character gate, the deny-by-default session gate, and the request
    context for the audit."""
    from registry.auth.sessions import init_sessions
    from registry.inputs import init_inputs
    from registry.security import init_security

    init_security(app)
    init_inputs(app)
    init_sessions(app)


def register_converters(app: Flask) -> None:
    """URL converters: `<id:...>` for every database id in a URL (IN-04)."""
    from registry.converters import init_converters

    init_converters(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature; the assessors' self-service lives in its own package."""
    from registry.audit_trail import bp as audit_trail_bp
    from registry.auth import bp as auth_bp
    from registry.commissions import bp as commissions_bp
    from registry.pages import bp as pages_bp
    from registry.users import bp as users_bp
    from registry.verification import bp as verification_bp
    from registry.vetting import bp as vetting_bp

    app.register_blueprint(pages_bp)
    from registry.health import init_health
    from registry.health.views import bp as health_bp

    app.register_blueprint(health_bp)
    init_health(app)  # /health, /ready and /metrics, with the hooks for the job queue
    app.register_blueprint(auth_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(verification_bp)
    app.register_blueprint(commissions_bp)
    app.register_blueprint(vetting_bp)
    app.register_blueprint(audit_trail_bp)
    # The one place registry imports assessors: to mount its blueprint.
    from assessors import bp as assessors_bp

    app.register_blueprint(assessors_bp)


def register_jobs(app: Flask) -> None:
    """Background jobs (RQ): the failed-jobs page, the queue's readiness check and metric."""
    from registry.jobs import init_jobs

    init_jobs(app)


def register_handlers(app: Flask) -> None:
    """Error pages and the DomainError mapping."""
    from registry.handlers import init_handlers

    init_handlers(app)


def register_cli(app: Flask) -> None:
    """flask users ..., flask audit ..., each feature's group; and, only where the configuration
    allows demo data or is a test, the development tools (`flask demo ...`, `flask registers
    simulate`), which live outside the service's packages and are never imported by them."""
    from registry.cli import init_cli

    init_cli(app)
    if app.config["DEMO_DATA_ALLOWED"] or app.testing:
        for tools in DEVELOPMENT_TOOLS:
            importlib.import_module(tools).init_app(app)


# Development-only command modules, attached by name so that no service module imports them.
DEVELOPMENT_TOOLS = ("demo.commands", "simulator.commands")
