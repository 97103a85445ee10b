"""Forms for register managers' verification work: shape only, rules in the service."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from registry.formfields import DayMonthYearField
from registry.verification.manual import SANCTION_ANSWERS, ManualCheck
from registry.verification.restrictions import ReviewData

OUTCOME_CHOICES = [
    SelectChoice("clear", "Registered with no restriction and the name matches"),
    SelectChoice("restricted", "Registered with conditions, a caution or undertakings"),
    SelectChoice("blocked", "Suspended, removed, lapsed or not registered"),
    SelectChoice("not_found", "Not found on the register"),
    SelectChoice("name_mismatch", "Found, but the name does not match"),
]

SANCTION_CHOICES = [
    SelectChoice("sanction", "A sanction (suspension, conditions, striking-off…)"),
    SelectChoice("lapse", "A lapse without a sanction (voluntary removal, not renewed)"),
    SelectChoice("unknown", "I cannot tell"),
]


class ManualCheckForm(FlaskForm):
    """Record a look-up made by hand on a register that cannot be checked automatically."""

    outcome = RadioField(
        "What did the register show?",
        choices=OUTCOME_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what the register showed")],
    )
    # Required (by the service) when the outcome is restricted or blocked.
    sanction = RadioField(
        "Is this a sanction (suspension, conditions, striking-off…) or a lapse without a "
        "sanction (voluntary removal, not renewed)?",
        choices=SANCTION_CHOICES,
        description=(
            "Answer if the register showed a restriction or that the person is not registered. "
            "If you cannot tell, it is treated as a sanction."
        ),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[Optional(), AnyOf(list(SANCTION_ANSWERS), message="Select an answer")],
    )
    status_text = StringField(
        "Status, exactly as the register shows it",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the status as the register shows it"),
            Length(max=200),
        ],
    )
    source_url = StringField(
        "Web address of the register page",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the web address of the register page"),
            Length(max=500),
        ],
    )
    period_to = DayMonthYearField(
        "Registered until (if shown)",
        description="For example, 31 3 2027",
        validators=[Optional()],
    )
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Length(max=1000)])
    capture = FileField(
        "Capture of the register page",
        description="A PDF or screenshot (PNG or JPEG), smaller than 10MB",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a capture of the register page")],
    )
    submit = SubmitField("Record the check", widget=GovSubmitInput())

    def to_data(self) -> ManualCheck:
        """The check as plain data for the service."""
        return ManualCheck(
            outcome=self.outcome.data,
            status_text=self.status_text.data.strip(),
            source_url=self.source_url.data.strip(),
            period_to=self.period_to.data,
            notes=(self.notes.data or "").strip(),
            sanction=self.sanction.data or None,
        )


class RecheckForm(FlaskForm):
    """Only a button: check this registration again now."""

    submit = SubmitField("Check the register again now", widget=GovSubmitInput())


class RestrictionReviewForm(FlaskForm):
    """What the manager found when they read a restricted registration's conditions."""

    summary = TextAreaField(
        "What do the conditions mean for this work?",
        description=(
            "For example, whether they limit assessing people who have sexually offended, "
            "working with children, or working without supervision."
        ),
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter what the conditions mean for this work"),
            Length(max=4000, message="Enter 4000 characters or fewer"),
        ],
    )
    reviewed_on = DayMonthYearField(
        "When did you read the conditions?",
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date you read the conditions")],
    )
    submit = SubmitField("Record the review", widget=GovSubmitInput())

    def to_data(self) -> ReviewData:
        """The review as plain data for the service."""
        return ReviewData(summary=self.summary.data or "", reviewed_on=self.reviewed_on.data)
