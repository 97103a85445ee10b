"""The assessor's profile forms: shape only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length

from assessors.documents import NewDocument
from assessors.service import Application, Identity, NewRegistration
from registry.models import DOCUMENT_KIND_LABELS
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


class DocumentForm(FlaskForm):
    """An evidence file and what it is: shape only (the service checks the file itself)."""

    kind = SelectField(
        "What is the document?",
        choices=[SelectChoice("", "Select what the document is")]
        + [SelectChoice(kind.value, label) for kind, label in DOCUMENT_KIND_LABELS.items()],
        widget=GovSelect(),
        validators=[InputRequired(message="Select what the document is")],
    )
    description = StringField(
        "Description",
        description="For example, Level 7 certificate in risk assessment, issued June 2024",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a description of the document"),
            Length(max=200, message="Description must be 200 characters or fewer"),
        ],
    )
    file = FileField(
        "Upload a file",
        description="A PDF, PNG or JPEG, smaller than 10MB",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a file")],
    )
    submit = SubmitField("Upload the document", widget=GovSubmitInput())

    def to_data(self) -> NewDocument:
        """The document's details as plain data (the file goes separately)."""
        return NewDocument(self.kind.data, self.description.data.strip())


class ApplyForm(FlaskForm):
    """Apply to join: a name and an email address to confirm."""

    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        description="We will send a link to this address to confirm it",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Apply", widget=GovSubmitInput())

    def to_data(self) -> Application:
        """The application as plain data."""
        return Application(self.full_name.data, self.email.data)
