"""Sign in, second factor, recovery codes, emailed links and account settings."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from limits import parse

from registry.auth import service, totp
from registry.auth.access import fresh_mfa_required, safe_next
from registry.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmForm,
    NewPasswordForm,
    ReauthenticateForm,
    RecoveryCodeForm,
    ResetRequestForm,
    SignInForm,
)
from registry.auth.sessions import end_session, reissue_session, sign_in_stage, start_session
from registry.clock import utc_now
from registry.errors import ValidationFailed
from registry.extensions import limiter
from registry.limits import account_key, client_address, fingerprint, scaled, setting
from registry.models import TokenPurpose

bp = Blueprint("auth", __name__)


def _failed(response) -> bool:
    # Only failures count towards the sign-in and code limits (RATE-01, RATE-02).
    return response.status_code != 302


def _failed_on_a_new_unknown_account(response) -> bool:
    # Per address, a failure counts against SIGN_IN_LIMIT_PER_IP only when the account does not
    # exist and this address has not already tried that name in the window: spraying many names
    # is stopped, while staff mistyping their own passwords are not (rate-limits.md).
    return _failed(response) and g.get("sign_in_new_unknown_account", False)


def _address_key(kind: str):
    return lambda: f"{kind}:{client_address()}"


def _first_try_of_unknown_account(email: str) -> bool:
    """True when no account has this email and this address has not tried it in the window."""
    if not limiter.enabled or service.find_user_by_email(email) is not None:
        return False
    window = parse(scaled(current_app.config["SIGN_IN_LIMIT_PER_IP"]))
    once = type(window)(1, window.multiples)
    try:
        return limiter.limiter.hit(
            once, "sign-in-unknown-seen", client_address(), fingerprint(email.strip().lower())
        )
    except Exception:  # the storage failed just now: count it (fail closed)
        return True


def _user_key() -> str:
    return "user:" + (current_user.get_id() or "").partition(":")[0]


def external_link(endpoint: str):
    """A link builder for emails: the configured base URL, never the Host header (CFG-03)."""
    base = current_app.config["EXTERNAL_BASE_URL"].rstrip("/")
    return lambda token: base + url_for(endpoint, token=token)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    setting("SIGN_IN_LIMIT_PER_ACCOUNT"),
    key_func=account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    setting("SIGN_IN_LIMIT_PER_IP"),
    key_func=_address_key("sign-in-unknown"),
    methods=["POST"],
    deduct_when=_failed_on_a_new_unknown_account,
)
@limiter.limit(
    setting("SIGN_IN_CEILING_PER_IP"),
    key_func=_address_key("sign-in-any"),
    methods=["POST"],
    deduct_when=_failed,
)
def sign_in() -> ResponseReturnValue:
    """Ask for email and password; the same answer for an unknown email or a wrong password."""
    if current_user.is_authenticated and sign_in_stage(current_user) is None:
        return redirect(url_for("pages.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data, now=utc_now())
        if user is not None:
            start_session(user, mfa_complete=False)
            stage = sign_in_stage(user)
            target = {"password": "auth.password_first", "enrol": "auth.mfa_enrol"}
            return redirect(
                url_for(target.get(stage, "auth.second_factor"), next=request.args.get("next"))
            )
        g.sign_in_new_unknown_account = _first_try_of_unknown_account(form.email.data)
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End this session (SES-08) and bump the version so a copied cookie dies (SES-02)."""
    if current_user.is_authenticated:
        service.sign_out(current_user, now=utc_now())
    end_session()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


# One count for every page that checks a code: TOTP, recovery code and re-authentication (RATE-02).
code_limit = limiter.shared_limit(
    setting("CODE_LIMIT_PER_ACCOUNT"),
    scope="second-factor",
    key_func=_user_key,
    methods=["POST"],
    deduct_when=_failed,
)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@code_limit
def second_factor() -> ResponseReturnValue:
    """Ask for the code from the authenticator app (MFA-01)."""
    if sign_in_stage(current_user) != "code":
        return redirect(url_for("pages.dashboard"))  # freshness comes only from reauthenticate
    form = CodeForm()
    if form.validate_on_submit():
        if service.verify_second_factor(current_user, form.code.data, now=utc_now()):
            start_session(current_user, mfa_complete=True)
            return redirect(safe_next(request.args.get("next")))
        form.code.errors.append("The security code is not correct or has already been used")
    return render_template("auth/second_factor.html", form=form)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@code_limit
def recovery_code() -> ResponseReturnValue:
    """Sign in with a single-use recovery code instead of the app (MFA-05)."""
    if sign_in_stage(current_user) != "code":
        return redirect(url_for("pages.dashboard"))
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        if service.use_recovery_code(current_user, form.code.data, now=utc_now()):
            start_session(current_user, mfa_complete=True)
            flash(
                "You used a recovery code. Each code works once: replace them in your account.",
                "warning",
            )
            return redirect(url_for("pages.dashboard"))
        form.code.errors.append("The recovery code is not correct or has already been used")
    return render_template("auth/recovery_code.html", form=form)


@bp.route("/account/password/new", methods=["GET", "POST"])
def password_first() -> ResponseReturnValue:
    """Replace a one-time password before anything else (AUTH-07)."""
    if sign_in_stage(current_user) != "password":
        return redirect(url_for("pages.dashboard"))  # a change needs the current one (AUTH-05)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.set_first_password(current_user, form.password.data, now=utc_now())
        except ValidationFailed as error:
            form.password.errors.append(error.message)
        else:
            start_session(current_user, mfa_complete=False)
            return redirect(url_for("auth.mfa_enrol"))
    return render_template("auth/password_form.html", form=form, first=True)


@bp.get("/account/two-factor")
def mfa_enrol() -> ResponseReturnValue:
    """Explain two-factor sign-in before showing the secret (shown once, on POST)."""
    return render_template("auth/mfa_enrol.html", form=ConfirmForm())


@bp.post("/account/two-factor/start")
def mfa_enrol_start() -> ResponseReturnValue:
    """Make a new secret and show it once, as a QR code and as text (MFA-02)."""
    if current_user.mfa_enrolled:
        abort(409)
    seed = service.start_enrolment(current_user, now=utc_now())
    return _render_enrolment(seed, CodeForm(formdata=None))


@bp.post("/account/two-factor/confirm")
def mfa_enrol_confirm() -> ResponseReturnValue:
    """Check the first code, then show the ten recovery codes once. After a wrong code the
    secret is discarded, never shown again: the person starts again with a new one (MFA-02)."""
    form = CodeForm()
    if form.validate_on_submit():
        codes = service.confirm_enrolment(current_user, form.code.data, now=utc_now())
        if codes is not None:
            start_session(current_user, mfa_complete=True)
            return render_template("auth/recovery_codes.html", codes=codes)
        # The secret is shown only once (MFA-02): start again with a new one.
        return render_template("auth/mfa_enrol.html", form=ConfirmForm(), failed=True)
    return redirect(url_for("auth.mfa_enrol"))


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(setting("RESET_LIMIT_PER_ACCOUNT"), key_func=account_key, methods=["POST"])
@limiter.limit(setting("RESET_LIMIT_PER_IP"), key_func=_address_key("reset"), methods=["POST"])
def password_reset_request() -> ResponseReturnValue:
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        service.request_password_reset(
            form.email.data, now=utc_now(), link_to=external_link("auth.password_reset")
        )
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def password_reset(token: str) -> ResponseReturnValue:
    """Choose a new password from an emailed link; TOTP is still needed to sign in."""
    if not service.token_is_live(token, TokenPurpose.PASSWORD_RESET, now=utc_now()):
        return render_template("auth/link_expired.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(token, form.password.data, now=utc_now())
        except ValidationFailed as error:
            form.password.errors.append(error.message)
        else:
            end_session()
            flash(
                "Your password has been reset. Sign in with it and your security code.", "success"
            )
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/password_form.html", form=form, reset=True)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation_accept(token: str) -> ResponseReturnValue:
    """Set a password from an invitation, then set up two-factor sign-in."""
    if not service.token_is_live(token, TokenPurpose.INVITATION, now=utc_now()):
        return render_template("auth/link_expired.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = service.accept_invitation(token, form.password.data, now=utc_now())
        except ValidationFailed as error:
            form.password.errors.append(error.message)
        else:
            start_session(user, mfa_complete=False)
            return redirect(url_for("auth.mfa_enrol"))
    return render_template("auth/password_form.html", form=form, invitation=True)


@bp.get("/account")
def account() -> ResponseReturnValue:
    """The signed-in user's own account settings."""
    return render_template("auth/account.html", form=ConfirmForm())


@bp.route("/account/password", methods=["GET", "POST"])
@fresh_mfa_required
def password_change() -> ResponseReturnValue:
    """Change the password: the current one and a fresh sign-in are needed (AUTH-05, MFA-06)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(
                current_user, form.current_password.data, form.password.data, now=utc_now()
            )
        except ValidationFailed as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            reissue_session(current_user)
            flash(
                "Your password has been changed. Your other sessions have been signed out.",
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/password_form.html", form=form, change=True)


@bp.post("/account/recovery-codes")
@fresh_mfa_required
def recovery_codes_replace() -> ResponseReturnValue:
    """Replace the recovery codes and show the new ones once."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    codes = service.regenerate_recovery_codes(current_user, now=utc_now())
    reissue_session(current_user)
    return render_template("auth/recovery_codes.html", codes=codes, replaced=True)


@bp.route("/account/confirm-identity", methods=["GET", "POST"])
@code_limit
def reauthenticate() -> ResponseReturnValue:
    """Ask for the password and a fresh code before a sensitive action (MFA-06, MFA-07)."""
    form = ReauthenticateForm()
    if form.validate_on_submit():
        now = utc_now()
        if service.reauthenticate(current_user, form.password.data, form.code.data, now=now):
            start_session(current_user, mfa_complete=True)
            return redirect(safe_next(request.args.get("next")))
        form.code.errors.append("Your password or security code is not correct")
    return render_template("auth/reauthenticate.html", form=form)


def _render_enrolment(seed: str, form: CodeForm) -> ResponseReturnValue:
    uri = totp.provisioning_uri(
        seed, email=current_user.email, issuer=current_app.config["TOTP_ISSUER"]
    )
    return render_template(
        "auth/mfa_enrol_start.html",
        form=form,
        secret=seed,
        qr_code=totp.qr_code_svg_data_uri(uri),
    )
