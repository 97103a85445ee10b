"""GOV.UK Frontend templates and widgets, and our display filters (GOV.UK style)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g, request
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from config import BASE_DIR
from registry.auth.sessions import sign_in_stage
from registry.clock import UK
from registry.models import ROLE_LABELS, Role
from registry.policy_store import current_policy
from registry.vocabulary import label_of

# Navigation per role: (endpoint, label). Later features add their own entries here.
NAVIGATION: dict[Role, list[tuple[str, str]]] = {
    Role.ASSESSOR: [
        ("pages.dashboard", "Home"),
        ("assessors.profile_overview", "Profile"),
        ("assessors.registrations", "Registrations"),
        ("assessors.documents_list", "Documents"),
        ("pages.eligibility_policy", "Eligibility"),
    ],
    Role.OFFICER: [
        ("pages.dashboard", "Home"),
        ("commissions.index", "Commissions"),
        ("pages.eligibility_policy", "Eligibility"),
    ],
    Role.PANEL_MEMBER: [
        ("pages.dashboard", "Home"),
        ("commissions.panel_queue", "Panel decisions"),
        ("commissions.index", "Commissions"),
        ("pages.eligibility_policy", "Eligibility"),
    ],
    Role.REGISTER_MANAGER: [
        ("pages.dashboard", "Home"),
        ("users.index", "Users"),
        ("verification.index", "Registrations"),
        ("vetting.index", "Vetting"),
        ("vetting.expiries", "Expiries"),
        ("audit_trail.index", "Audit trail"),
        ("pages.eligibility_policy", "Eligibility"),
    ],
    Role.AUDITOR: [
        ("pages.dashboard", "Home"),
        ("commissions.index", "Commissions"),
        ("audit_trail.index", "Audit trail"),
        ("pages.eligibility_policy", "Eligibility"),
    ],
}


# app.extensions key: endpoint -> function(user) giving the count shown beside that entry.
NAVIGATION_COUNTS = "navigation_counts"


def init_templating(app: Flask) -> None:
    """Chain our templates with the GOV.UK macros, and add filters and globals."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    app.jinja_env.filters.update(
        uk_date=uk_date,
        uk_datetime=uk_datetime,
        money=money,
        label=label,
        words=words,
        policy_name=policy_name,
    )
    app.jinja_env.globals.update(role_labels=ROLE_LABELS)
    app.jinja_env.globals.update(_govuk_macros(app))
    app.context_processor(_navigation)


# The GOV.UK Frontend macros every page may call. They are loaded once, as globals, rather than
# imported by the page template on every render: an import costs a module check per render (and
# forms render templates inside templates), and the macros read nothing from the page's context.
GOVUK_MACROS = {
    "govukSkipLink": "skip-link",
    "govukServiceNavigation": "service-navigation",
    "govukPhaseBanner": "phase-banner",
    "govukErrorSummary": "error-summary",
    "govukNotificationBanner": "notification-banner",
    "govukButton": "button",
    "govukBackLink": "back-link",
    "govukSummaryList": "summary-list",
    "govukTable": "table",
    "govukTag": "tag",
    "govukInsetText": "inset-text",
    "govukWarningText": "warning-text",
    "govukPanel": "panel",
    "govukDetails": "details",
}


def _govuk_macros(app: Flask) -> dict:
    macros = {}
    for name, component in GOVUK_MACROS.items():
        path = f"govuk_frontend_jinja/components/{component}/macro.html"
        macros[name] = getattr(app.jinja_env.get_template(path).module, name)
    return macros


def _navigation() -> dict:
    """The navigation, worked out once per request: a page that renders form widgets renders
    templates inside templates, and each would otherwise count the user's work again."""
    if "navigation" not in g:
        g.navigation = _work_out_navigation()
    return g.navigation


def _work_out_navigation() -> dict:
    items = []
    if current_user and current_user.is_authenticated and sign_in_stage(current_user) is None:
        # Counts beside entries, from the features that register them (what awaits the user).
        counters = current_app.extensions.get(NAVIGATION_COUNTS, {})
        for endpoint, label in NAVIGATION.get(current_user.role, []):
            waiting = counters[endpoint](current_user) if endpoint in counters else 0
            label = f"{label} ({waiting})" if waiting else label
            items.append(
                {"endpoint": endpoint, "label": label, "active": request.endpoint == endpoint}
            )
    unread = 0
    if items:
        from registry.inbox import unread_count

        unread = unread_count(current_user)
        label = f"Notifications ({unread})" if unread else "Notifications"
        items.append(
            {
                "endpoint": "pages.notifications",
                "label": label,
                "active": request.endpoint == "pages.notifications",
            }
        )
    return {"navigation_items": items, "unread_notifications": unread}


def uk_date(value: date | datetime | None) -> str:
    """'3 March 2025' (UK local date for a datetime)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK).date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime | None) -> str:
    """'3 March 2025 at 2:05pm' in UK local time."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{uk_date(local.date())} at {hour}:{local.minute:02d}{suffix}"


def money(pence: int | None) -> str:
    """'£1,250' or '£1,250.50' from a number of pence; never '£1,250.00'."""
    if pence is None:
        return ""
    pounds, remainder = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    if remainder:
        return f"{sign}£{pounds:,}.{remainder:02d}"
    return f"{sign}£{pounds:,}"


def label(value: object, vocabulary: str | None = None) -> str:
    """A code in words: ``member | label``, or ``stored_string | label('Context')``."""
    return label_of(value, vocabulary)


def words(value: object, vocabulary: str | None = None) -> str:
    """A code in the lower-case words used inside a sentence."""
    return label_of(value, vocabulary, lower=True)


def policy_name(code: str | None, kind: str) -> str:
    """The policy's name for one of its codes: a body's short name, a profession's title, a
    tool's or a qualification's name; the code made readable if the policy has no such entry."""
    if not code:
        return ""
    policy = current_policy()
    found: object = None
    if kind == "body":
        body = policy.body(code)
        found = body.short_name if body else None
    elif kind == "profession":
        profession = policy.profession(code)
        found = profession.title if profession else None
    elif kind == "tool":
        tool = policy.tool(code)
        found = tool.name if tool else None
    elif kind == "qualification":
        qualification = policy.qualification(code)
        found = qualification.title if qualification else None
    return str(found) if found else label_of(code)
