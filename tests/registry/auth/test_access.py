"""Access control: deny by default, and one role x endpoint matrix tested in full (AC-01, AC-02).

ACCESS is the matrix. It has one line per endpoint of app.url_map and says who may use it:
PUBLIC (anyone, signed in or not) or the set of roles. Adding a route means adding its line
here; test_ac01_every_rule_has_an_entry fails until you do. If the route takes a URL argument
this suite has not seen before, add a sample value to SAMPLE_VALUES in auth_helpers.py.

Expected outcomes of the walk:
- anonymous: PUBLIC endpoints answer normally; every other one redirects to the sign-in page;
- a signed-in role listed for the endpoint: anything but 403 or a server error;
- a signed-in role not listed: 403.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from auth_helpers import ROLES, UNSAFE_METHODS, Samples, methods_of, routes, url_for_rule
from flask import Flask

from registry.auth.sessions import PUBLIC_ENDPOINTS
from registry.models import AccountStatus, Role, User

PUBLIC = "public"
ANYONE_SIGNED_IN = frozenset(Role)
ASSESSOR = Role.ASSESSOR
OFFICER = Role.OFFICER
PANEL = Role.PANEL_MEMBER
MANAGER = Role.REGISTER_MANAGER
AUDITOR = Role.AUDITOR
STAFF = frozenset({OFFICER, PANEL, AUDITOR})  # the local-authority roles

# endpoint -> PUBLIC, or the roles that may use it (with every method the rule accepts).
ACCESS: dict[str, str | frozenset[Role]] = {
    "pages.dashboard": ANYONE_SIGNED_IN,
    "pages.eligibility_policy": ANYONE_SIGNED_IN,
    "pages.notifications": ANYONE_SIGNED_IN,
    "pages.notifications_read": ANYONE_SIGNED_IN,
    "health.health": PUBLIC,
    "health.ready": PUBLIC,
    "health.metrics": PUBLIC,  # answered from loopback (the test client) or with the token
    "pages.accessibility": PUBLIC,
    "pages.privacy": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": ANYONE_SIGNED_IN,
    "auth.second_factor": ANYONE_SIGNED_IN,  # a sign-in stage (MFA-01)
    "auth.recovery_code": ANYONE_SIGNED_IN,  # a sign-in stage (MFA-05)
    "auth.password_first": ANYONE_SIGNED_IN,  # a sign-in stage (AUTH-07)
    "auth.mfa_enrol": ANYONE_SIGNED_IN,  # a sign-in stage (AUTH-07)
    "auth.mfa_enrol_start": ANYONE_SIGNED_IN,  # a sign-in stage
    "auth.mfa_enrol_confirm": ANYONE_SIGNED_IN,  # a sign-in stage
    "auth.password_reset_request": PUBLIC,
    "auth.password_reset": PUBLIC,
    "auth.invitation_accept": PUBLIC,
    "assessors.apply": PUBLIC,
    "auth.account": ANYONE_SIGNED_IN,
    "auth.password_change": ANYONE_SIGNED_IN,
    "auth.recovery_codes_replace": ANYONE_SIGNED_IN,
    "auth.reauthenticate": ANYONE_SIGNED_IN,
    "users.index": frozenset({MANAGER}),
    "users.invite": frozenset({MANAGER}),
    "users.show": frozenset({MANAGER}),
    "users.role_change": frozenset({MANAGER}),
    "users.disable": frozenset({MANAGER}),
    "users.enable": frozenset({MANAGER}),
    "users.sign_out_everywhere": frozenset({MANAGER}),
    "users.mfa_reset": frozenset({MANAGER}),
    "users.invitation_resend": frozenset({MANAGER}),
    "jobs.failed": frozenset({MANAGER}),
    "jobs.retry": frozenset({MANAGER}),
    "users.grants_index": frozenset({MANAGER, PANEL}),
    "users.grant_confirm": frozenset({MANAGER, PANEL}),
    "users.grant_cancel": frozenset({MANAGER, PANEL}),
    "verification.index": frozenset({MANAGER}),
    "verification.registration_show": frozenset({MANAGER}),
    "verification.registration_recheck": frozenset({MANAGER}),
    "verification.manual_check_create": frozenset({MANAGER}),
    "verification.capture_download": frozenset({MANAGER}),
    "verification.restriction_review_create": frozenset({MANAGER}),
    "vetting.index": frozenset({MANAGER}),
    "vetting.assessor_show": frozenset({MANAGER}),
    "vetting.review_decide": frozenset({MANAGER}),
    "vetting.admission_propose": frozenset({MANAGER}),
    "vetting.admission_confirm": frozenset({MANAGER}),
    "vetting.suspend": frozenset({MANAGER}),
    "vetting.reinstate": frozenset({MANAGER}),
    "vetting.remove": frozenset({MANAGER}),
    "vetting.expiries": frozenset({MANAGER}),
    "vetting.reminder_send": frozenset({MANAGER}),
    "vetting.disclosure_decide": frozenset({MANAGER}),
    "vetting.reference": frozenset({MANAGER}),
    "assessors.vetting": frozenset({ASSESSOR}),
    "assessors.vetting_submit": frozenset({ASSESSOR}),
    "assessors.attestation": frozenset({ASSESSOR}),
    "assessors.identity": frozenset({ASSESSOR}),
    "assessors.registrations": frozenset({ASSESSOR}),
    "assessors.registration_add": frozenset({ASSESSOR}),
    "assessors.documents_list": frozenset({ASSESSOR}),
    "assessors.document_upload": frozenset({ASSESSOR}),
    "assessors.assessor_documents": ANYONE_SIGNED_IN,  # the object check answers 404 (AC-03)
    "assessors.document_download": ANYONE_SIGNED_IN,  # the object check answers 404 (AC-03)
    "assessors.profile_overview": frozenset({ASSESSOR}),
    "assessors.profile_section": frozenset({ASSESSOR}),
    "assessors.profile_item_add": frozenset({ASSESSOR}),
    "assessors.profile_item_change": frozenset({ASSESSOR}),
    "assessors.profile_item_remove": frozenset({ASSESSOR}),
    "assessors.profile_services": frozenset({ASSESSOR}),
    "assessors.profile_export_json": frozenset({ASSESSOR}),
    "assessors.profile_export_csv": frozenset({ASSESSOR}),
    "assessors.commissions": frozenset({ASSESSOR}),
    "assessors.registration_correct": frozenset({ASSESSOR}),
    "assessors.registration_withdraw": frozenset({ASSESSOR}),
    "commissions.index": STAFF,
    "commissions.create": frozenset({OFFICER}),
    "commissions.edit": frozenset({OFFICER}),
    "commissions.show": STAFF,
    "commissions.start_search": frozenset({OFFICER}),
    "commissions.search_results": frozenset({OFFICER}),
    "commissions.shortlist": frozenset({OFFICER}),
    "commissions.select_assessor": frozenset({OFFICER}),
    "commissions.panel_queue": frozenset({PANEL}),
    "commissions.decide": frozenset({PANEL}),
    "commissions.decision_record": STAFF,
    "commissions.decision_record_pdf": STAFF,
    "commissions.instruct": frozenset({OFFICER}),
    "commissions.report": frozenset({OFFICER}),
    "commissions.quality_review": frozenset({OFFICER}),
    "commissions.cancel": frozenset({OFFICER}),
    "commissions.invitation": frozenset({ASSESSOR}),
    "commissions.why_not": frozenset({OFFICER}),
    "commissions.why_not_suggestions": frozenset({OFFICER}),
    "commissions.export_csv": STAFF,
    "audit_trail.index": frozenset({AUDITOR, MANAGER}),
    "audit_trail.export_csv": frozenset({AUDITOR, MANAGER}),
    "audit_trail.commission_history": frozenset({AUDITOR}),
    "verification.page_as_seen": STAFF | {MANAGER},
    "verification.page_download": STAFF | {MANAGER},
}

# The only endpoints where an auditor may use an unsafe method: their own sign-in, sign-out and
# account security. Everything else they do is read-only (AC-02).
OWN_ACCOUNT_ENDPOINTS = frozenset(
    {
        "auth.sign_in",
        "auth.sign_out",
        "auth.second_factor",
        "auth.recovery_code",
        "auth.password_first",
        "auth.mfa_enrol_start",
        "auth.mfa_enrol_confirm",
        "auth.password_reset_request",
        "auth.password_reset",
        "auth.invitation_accept",
        "auth.password_change",
        "auth.recovery_codes_replace",
        "auth.reauthenticate",
        "pages.notifications_read",  # marks the user's own notifications as read
    }
)


WHO = ("anonymous", *ROLES)


def expected_outcome(endpoint: str, who: str | Role) -> str:
    """What the matrix says should happen."""
    allowed = ACCESS[endpoint]
    if allowed == PUBLIC:
        return "answered"
    if who == "anonymous":
        return "sent to sign-in"
    return "answered" if who in allowed else "refused"


def observed_outcome(response, who: str | Role) -> str:
    """What happened, in the matrix's words."""
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code in (401, 403):
        return "refused"
    target = urlsplit(response.headers.get("Location", ""))
    if who == "anonymous" and response.status_code == 302 and target.path == "/sign-in":
        return "sent to sign-in"
    return "answered"


def test_ac01_every_rule_has_an_entry(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in routes(app)}
    assert endpoints == set(ACCESS), "update ACCESS in tests/registry/auth/test_access.py"


def test_ac01_public_entries_are_the_code_allow_list() -> None:
    public = {endpoint for endpoint, allowed in ACCESS.items() if allowed == PUBLIC}
    assert public == PUBLIC_ENDPOINTS - {"static"}


def test_ac02_auditors_may_use_unsafe_methods_only_on_their_own_account(app: Flask) -> None:
    unsafe_for_auditors = {
        rule.endpoint
        for rule in routes(app)
        if rule.methods & UNSAFE_METHODS
        and ACCESS.get(rule.endpoint) != PUBLIC
        and AUDITOR in ACCESS.get(rule.endpoint, ())
    }
    assert unsafe_for_auditors <= OWN_ACCOUNT_ENDPOINTS


BLUEPRINTS = sorted({endpoint.partition(".")[0] for endpoint in ACCESS})


@pytest.mark.slow
@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_ac02_role_matrix(blueprint: str, app: Flask, make_user, logged_in) -> None:
    """Every endpoint of the blueprint, with every method, as anonymous and each role."""
    samples = Samples(make_user)
    clients = {"anonymous": app.test_client()} | {role: logged_in(role) for role in ROLES}
    expected, observed = {}, {}
    for endpoint in sorted(e for e in ACCESS if e.partition(".")[0] == blueprint):
        for rule in app.url_map.iter_rules(endpoint):
            url = url_for_rule(rule, samples)
            for method in methods_of(rule):
                for who in WHO:
                    key = f"{endpoint}: {method} {url} as {who}"
                    response = clients[who].open(url, method=method)
                    expected[key] = expected_outcome(endpoint, who)
                    observed[key] = observed_outcome(response, who)
    assert observed == expected


def test_ac02_auditor_refused_every_unsafe_method(app: Flask, make_user, logged_in) -> None:
    samples = Samples(make_user)
    auditor = logged_in(AUDITOR)
    statuses = {}
    for rule in routes(app):
        if rule.endpoint in OWN_ACCOUNT_ENDPOINTS or ACCESS.get(rule.endpoint) == PUBLIC:
            continue
        url = url_for_rule(rule, samples)
        for method in sorted(rule.methods & UNSAFE_METHODS):
            statuses[f"{method} {url}"] = auditor.open(url, method=method).status_code
    assert statuses
    assert {key: status for key, status in statuses.items() if status != 403} == {}


# --------------------------------------------------------------------------- AC-05, AC-08


def test_ac05_extra_fields_on_an_invitation_are_ignored(db, logged_in) -> None:
    manager = logged_in(MANAGER)
    manager.post(
        "/users/invite",
        data={
            "full_name": "Mass Assigner",
            "email": "mass@example.org",
            "role": "assessor",
            "status": "active",
            "password_hash": "$argon2id$forged",
            "totp_enrolled_at": "2026-01-01",
            "session_version": "99",
        },
    )
    user = db.session.scalar(sa.select(User).where(User.email == "mass@example.org"))
    assert (user.status, user.password_hash, user.mfa_enrolled, user.session_version) == (
        AccountStatus.INVITED,
        None,
        False,
        1,
    )


def test_ac05_extra_fields_on_a_role_change_are_ignored(logged_in, make_user, stored_user) -> None:
    target = make_user(OFFICER, email="target@example.org")
    logged_in(MANAGER).post(
        f"/users/{target.id}/role",
        data={
            "role": "assessor",
            "organisation_id": "",
            "email": "hijacked@example.org",
            "status": "disabled",
            "full_name": "Renamed",
        },
    )
    user = stored_user(target)
    assert (user.role, user.email, user.status, user.full_name) == (
        ASSESSOR,
        "target@example.org",
        AccountStatus.ACTIVE,
        "Test Person",
    )


def test_ac05_own_account_forms_cannot_raise_a_role(logged_in, stored_user) -> None:
    client = logged_in(OFFICER)
    made = client.made_user
    new = "lantern orchard velvet compass"
    client.post(
        "/account/password",
        data={
            "current_password": made.password,
            "password": new,
            "confirm": new,
            "role": "register_manager",
            "organisation_id": "",
        },
    )
    assert stored_user(made).role is OFFICER


def test_ac08_role_is_read_from_the_database_on_every_request(db, logged_in) -> None:
    client = logged_in(MANAGER)
    assert client.get("/users").status_code == 200
    db.session.execute(
        sa.update(User).where(User.id == client.made_user.id).values(role=OFFICER)
    )  # revoked in the database, without touching the session version
    db.session.commit()
    assert client.get("/users").status_code == 403


def test_ac08_a_role_in_the_session_is_not_trusted(logged_in) -> None:
    client = logged_in(OFFICER)
    with client.session_transaction() as session:
        session["role"] = "register_manager"
        session["_role"] = "register_manager"
    assert client.get("/users").status_code == 403
