"""Forms for managing accounts. Choices are filled by the view from the database."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from registry.models import ROLE_LABELS, Role
from registry.users.service import IdentityCheck, Invitation

ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


def _organisation_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class InviteForm(FlaskForm):
    """Invite a person to the service with a role (and an organisation for staff roles)."""

    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the person's full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a role")],
    )
    organisation_id = SelectField(
        "Organisation",
        description="Officers, panel members and auditors belong to a local authority; "
        "register managers to the register body; assessors to none.",
        widget=GovSelect(),
        validators=[Optional()],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def to_data(self) -> Invitation:
        """The invitation as plain data for the service."""
        return Invitation(
            email=self.email.data,
            full_name=self.full_name.data,
            role=Role(self.role.data),
            organisation_id=_organisation_id(self.organisation_id.data),
        )


class ChangeRoleForm(FlaskForm):
    """Change a user's role and organisation."""

    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a role")],
    )
    organisation_id = SelectField("Organisation", widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Change role", widget=GovSubmitInput())

    def organisation(self) -> int | None:
        """The chosen organisation's id, if any."""
        return _organisation_id(self.organisation_id.data)


class ResetMfaForm(FlaskForm):
    """Record how the person's identity was confirmed before their MFA is reset (MFA-08)."""

    method = RadioField(
        "How did you confirm this person's identity?",
        choices=[
            SelectChoice("video_call_photo_id", "Video call with photo identity document"),
            SelectChoice("in_person_photo_id", "In person with photo identity document"),
            SelectChoice(
                "call_back_known_number", "Called back on a number held by their organisation"
            ),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select how you confirmed their identity")],
    )
    notes = TextAreaField(
        "Notes",
        description="For example, the document type and the last 4 characters of its number",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter notes on the identity check"), Length(max=500)],
    )
    submit = SubmitField("Reset two-factor sign-in", widget=GovSubmitInput())

    def to_data(self) -> IdentityCheck:
        """The identity check as plain data for the service."""
        return IdentityCheck(method=self.method.data, notes=self.notes.data)
