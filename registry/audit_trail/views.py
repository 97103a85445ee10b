"""The audit trail's pages: the whole trail (filters, pages, CSV) and one commission's history.

Auditors read their authority's trail; register managers (and the register's auditors) read the
register's own. Each read is itself audited, with one INSERT after the page is built.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registry import csvexport, feature_limits
from registry.audit import record_view
from registry.audit_trail import queries
from registry.audit_trail.events import ACTION_WORDS, event_choices
from registry.audit_trail.present import STATUS_WORDS, lines
from registry.auth.access import role_required
from registry.clock import UK, utc_now
from registry.models import Role

bp = Blueprint("audit_trail", __name__, url_prefix="/audit-trail")
READERS = (Role.AUDITOR, Role.REGISTER_MANAGER)
# The events an authority's trail can hold, for its event filter.
AUTHORITY_PREFIXES = ("commission.", "audit.", "auth.", "user.", "register_page.", "document.")


def _events(scope: queries.Scope) -> list[tuple[str, str]]:
    if scope.is_authority:
        codes = [code for code in ACTION_WORDS if code.startswith(AUTHORITY_PREFIXES)]
    else:
        codes = [code for code in ACTION_WORDS if not code.startswith("commission.")]
    return [("", "Any event"), *event_choices(codes)]


@bp.get("")
@role_required(*READERS)
def index() -> ResponseReturnValue:
    """The trail as a whole, newest first, with filters and pages."""
    scope = queries.scope_of(current_user)
    filters = queries.Filters.from_args(request.args)
    page = queries.trail_page(scope, filters)
    record_view(current_user, "audit.trail_viewed", scope.organisation)
    return render_template(
        "audit/index.html",
        scope=scope,
        filters=filters,
        page=page,
        lines=lines(page),
        actors=queries.actor_choices(scope),
        events=_events(scope),
    )


@bp.get("/export.csv")
@role_required(*READERS)
@feature_limits.export
def export_csv() -> ResponseReturnValue:
    """The filtered trail as CSV (every cell made safe for spreadsheets)."""
    scope = queries.scope_of(current_user)
    filters = queries.Filters.from_args(request.args)
    out = io.StringIO()
    writer = csvexport.writer(out)
    writer.writerow(
        ["When (UK time)", "Who", "Role", "Event", "About", "Outcome", "Details", "Event number"]
    )
    for page in queries.export_rows(scope, filters):
        for line in lines(page):
            writer.writerow(
                [
                    line.occurred_at.astimezone(UK).strftime("%Y-%m-%d %H:%M:%S"),
                    line.who,
                    line.role,
                    line.event,
                    line.about,
                    line.outcome,
                    line.details,
                    line.id,
                ]
            )
    record_view(current_user, "audit.trail_exported", scope.organisation)
    response = Response(out.getvalue(), mimetype="text/csv")
    stamp = utc_now().astimezone(UK).strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/commissions/<id:commission_id>")
@role_required(Role.AUDITOR)
def commission_history(commission_id: int) -> ResponseReturnValue:
    """Everything recorded about one commission request of the auditor's authority."""
    scope = queries.scope_of(current_user)
    page_arg = request.args.get("page", "1")
    number = int(page_arg) if page_arg.isdigit() and 0 < int(page_arg) < 100_000 else 1
    commission, page = queries.commission_history(scope, commission_id, number)
    record_view(current_user, "commission.history_viewed", commission)
    return render_template(
        "audit/commission_history.html",
        commission=commission,
        page=page,
        lines=lines(page),
        status_words=STATUS_WORDS,
    )
