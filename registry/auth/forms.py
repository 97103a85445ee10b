"""Sign-in and account forms: shape of the input only; the rules live in auth.service."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length

PASSWORD_HINT = " ".join(  # hint text shown under the new-password field
    [
        "Use 8 characters or more; 15 or more is better.",
        "A few unrelated words make a strong password. Any characters are allowed.",
    ]
)


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=1024)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        "Security code",
        description="Enter the 6-digit code from your authenticator app",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the security code"),
            Length(max=12, message="Enter the 6-digit security code"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RecoveryCodeForm(FlaskForm):
    """One of the ten recovery codes."""

    code = StringField(
        "Recovery code",
        description="For example, abcde-fghij",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a recovery code"), Length(max=32)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    """Choose a password (invitation, reset, first sign-in)."""

    password = PasswordField(
        "New password",
        description=PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a new password")],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    """Change a password: the current one is needed (AUTH-05)."""

    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )


class ResetRequestForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class ReauthenticateForm(FlaskForm):
    """Confirm it is still you: password and a fresh code."""

    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    code = StringField(
        "Security code",
        description="Enter the 6-digit code from your authenticator app",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the security code"), Length(max=12)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A form with only a button (and the CSRF token)."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
