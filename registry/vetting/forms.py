"""Forms for vetting: shape only, the rules are in the services. Each lists its fields, so
nothing else posted (admission_status, decided_by...) is ever bound (AC-05)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from registry.vetting.reminders import KIND_LABELS


@dataclass(frozen=True)
class ReviewDecision:
    """A manager's decision on one item."""

    accept: bool
    message: str


@dataclass(frozen=True)
class Reason:
    """The reason a manager gives for an admission decision."""

    reason: str


@dataclass(frozen=True)
class Signature:
    """The name an assessor types to sign the attestation."""

    signed_name: str


@dataclass(frozen=True)
class ReminderRequest:
    """Which dated item to remind an assessor about."""

    item_type: str
    item_id: int


class ReviewDecisionForm(FlaskForm):
    """Accept an item, or reject it with a message for the assessor."""

    decision = RadioField(
        "Decision",
        choices=[
            SelectChoice("accept", "Accept"),
            SelectChoice("reject", "Reject and tell the assessor what to change"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select accept or reject")],
    )
    message = TextAreaField(
        "Message to the assessor",
        description="Needed when you reject: say what is wrong and what to change",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def to_data(self) -> ReviewDecision:
        """The decision as plain data for the service."""
        return ReviewDecision(self.decision.data == "accept", (self.message.data or "").strip())


class ReasonForm(FlaskForm):
    """The reason for an admission, suspension, reinstatement or removal."""

    reason = TextAreaField(
        "Reason",
        description="Recorded with the decision and shown to the assessor where they are told",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the reason for this decision"), Length(max=2000)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def to_data(self) -> Reason:
        """The reason as plain data for the service."""
        return Reason(self.reason.data.strip())


class ReminderForm(FlaskForm):
    """The one-click reminder button: which item (hidden fields)."""

    item_type = HiddenField(validators=[InputRequired(), AnyOf(list(KIND_LABELS))])
    item_id = IntegerField(validators=[InputRequired()])
    submit = SubmitField("Send a reminder", widget=GovSubmitInput())

    def to_data(self) -> ReminderRequest:
        """The item as plain data for the service."""
        return ReminderRequest(self.item_type.data, self.item_id.data)


WINDOW_CHOICES = [SelectChoice(str(days), f"Next {days} days") for days in (30, 60, 90)]
KIND_CHOICES = [SelectChoice("", "Everything")] + [
    SelectChoice(code, label) for code, label in KIND_LABELS.items()
]


class ExpiriesFilterForm(FlaskForm):
    """The expiries dashboard's filter (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    within = SelectField(
        "Due within",
        choices=WINDOW_CHOICES,
        default="30",
        widget=GovSelect(),
        validators=[Optional()],
    )
    kind = SelectField(
        "What", choices=KIND_CHOICES, default="", widget=GovSelect(), validators=[Optional()]
    )
    submit = SubmitField("Show", widget=GovSubmitInput())

    def window(self) -> int:
        """The chosen window in days (30 unless a valid choice was made)."""
        return int(self.within.data) if self.validate() and self.within.data else 30

    def chosen_kind(self) -> str | None:
        """The chosen kind of item, or None for everything."""
        return (self.kind.data or None) if self.validate() else None


class AttestationForm(FlaskForm):
    """The assessor signs the attestation by typing their name."""

    signed_name = StringField(
        "Your full name",
        description="Type your name as it is in your profile to sign",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your full name"), Length(max=200)],
    )
    submit = SubmitField("I confirm my profile is accurate", widget=GovSubmitInput())

    def to_data(self) -> Signature:
        """The signature as plain data for the service."""
        return Signature(self.signed_name.data)


class DisclosureDecisionForm(FlaskForm):
    """The register manager's decision on a disclosure on a DBS certificate."""

    decision = TextAreaField(
        "Your decision on the disclosure",
        description=(
            "What was disclosed, whether it bears on assessing risk for children's services, "
            "and what you decided."
        ),
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter your decision on the disclosure"),
            Length(max=2000, message="Enter 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())
