"""The assessor's profile forms: shape only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from assessors.service import Identity, NewRegistration
from registry.registers import BODY_NAMES


class IdentityForm(FlaskForm):
    """Legal name as on the statutory register, and professional title."""

    legal_given_names = StringField(
        "Given names",
        description="Exactly as they appear on your statutory register entry",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your given names"), Length(max=200)],
    )
    legal_surname = StringField(
        "Surname",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your surname"), Length(max=200)],
    )
    professional_title = StringField(
        "Professional title",
        description="For a psychologist, your HCPC protected title, for example "
        "Forensic psychologist",
        widget=GovTextInput(),
        validators=[Length(max=120)],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def to_data(self) -> Identity:
        """The identity as plain data."""
        return Identity(
            self.legal_given_names.data.strip(),
            self.legal_surname.data.strip(),
            (self.professional_title.data or "").strip() or None,
        )


class RegistrationForm(FlaskForm):
    """A statutory registration: register, number and profession."""

    body = SelectField(
        "Register",
        choices=[SelectChoice("", "Select a register")]
        + [SelectChoice(code, name) for code, name in BODY_NAMES.items()],
        widget=GovSelect(),
        validators=[InputRequired(message="Select the register you are on")],
    )
    number = StringField(
        "Registration number",
        description="For example, PYL012345 (HCPC), SW12345 (Social Work England), 1234567 (GMC)",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your registration number"), Length(max=40)],
    )
    profession = SelectField(
        "Profession",
        widget=GovSelect(),
        validators=[InputRequired(message="Select your profession")],
    )
    submit = SubmitField("Add and check the register", widget=GovSubmitInput())

    def to_data(self) -> NewRegistration:
        """The registration as plain data."""
        return NewRegistration(self.body.data, self.number.data, self.profession.data)
