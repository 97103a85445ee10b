"""Forms for the profile items: shape only; each hands the services plain data (to_data)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from assessors.profile_data import (
    CpdData,
    DbsData,
    ExperienceData,
    InsuranceData,
    QualificationData,
    RefereeData,
    ServicesData,
    SupervisionData,
    ToolTrainingData,
)
from registry.formfields import CountField, DayMonthYearField, parse_pounds, pounds
from registry.vocabulary import (
    REGIONS,
    Availability,
    DbsLevel,
    OffenceCategory,
    Population,
    Purpose,
    Term,
)

DBS_LEVELS = [SelectChoice(level.value, level.label) for level in reversed(DbsLevel)]
AVAILABILITY = [SelectChoice(choice.value, choice.label) for choice in Availability]
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def _choices(vocabulary: type[Term]) -> list[SelectChoice]:
    """A vocabulary's codes, each shown in its in-sentence words with a capital letter."""
    return [SelectChoice(m.value, m.words[:1].upper() + m.words[1:]) for m in vocabulary]


class DateField(DayMonthYearField):
    """A GOV.UK date input whose error for an impossible date is worded the GOV.UK way."""

    def __init__(self, label: str, required: str | None = None, **kwargs: Any) -> None:
        validators = [InputRequired(message=required)] if required else [Optional()]
        super().__init__(label, validators, **kwargs)
        self.invalid = f"{label} must be a real date"

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid) from error


def text(label: str, required: str, length: int = 200, **kwargs: Any) -> StringField:
    """A required text input."""
    too_long = f"{label} must be {length} characters or fewer"
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[InputRequired(message=required), Length(max=length, message=too_long)],
        **kwargs,
    )


def _document_id(form: Any) -> int | None:
    value = form.document_id.data
    return int(value) if value else None


class _EvidenceForm(FlaskForm):
    """A form whose item may cite one of the assessor's own documents (choices set by the view)."""

    document_id = SelectField("Evidence", widget=GovSelect(), validate_choice=True, choices=[])
    submit = SubmitField("Save", widget=GovSubmitInput())


OTHER_QUALIFICATION = "other"


class QualificationForm(_EvidenceForm):
    kind = RadioField(
        "Which kind of qualification is it?",
        description="Only the kinds listed count towards being qualified for an assessment; "
        "record any other qualification as 'Another qualification'.",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the kind of qualification")],
        choices=[],
    )
    title = text("Qualification", "Enter the name of the qualification")
    awarding_body = text("Awarding body", "Enter who awarded the qualification")
    awarded_on = DateField("Date awarded", "Enter the date the qualification was awarded")

    def to_data(self) -> QualificationData:
        """The qualification as plain data."""
        return QualificationData(
            self.title.data.strip(),
            self.awarding_body.data.strip(),
            self.awarded_on.data,
            _document_id(self),
            None if self.kind.data == OTHER_QUALIFICATION else self.kind.data,
        )


class ToolTrainingForm(_EvidenceForm):
    tool_code = SelectField(
        "Tool",
        widget=GovSelect(),
        validators=[InputRequired(message="Select the tool you were trained in")],
    )
    trainer = text("Who trained you", "Enter who trained you")
    trained_on = DateField("Date trained", "Enter the date you were trained")
    refresher_due = DateField("Refresher due (if known)")
    owner_approval_reference = StringField(
        "Tool owner's approval reference",
        description="Only for tools whose owner approves practitioners, such as AIM",
        widget=GovTextInput(),
        validators=[Length(max=100, message="The reference must be 100 characters or fewer")],
    )

    def to_data(self) -> ToolTrainingData:
        """The training as plain data."""
        return ToolTrainingData(
            self.tool_code.data,
            self.trainer.data.strip(),
            self.trained_on.data,
            self.refresher_due.data,
            (self.owner_approval_reference.data or "").strip() or None,
            _document_id(self),
        )


class ExperienceForm(FlaskForm):
    offence_category = RadioField(
        "Offence category",
        choices=_choices(OffenceCategory),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the offence category")],
    )
    population = RadioField(
        "Who were the assessments of?",
        choices=_choices(Population),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select who the assessments were of")],
    )
    assessment_purpose = RadioField(
        "Kind of assessment",
        choices=_choices(Purpose),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the kind of assessment")],
    )
    count = CountField(
        "Number of assessments",
        validators=[InputRequired(message="Enter the number of assessments")],
    )
    period_from = DateField("From", "Enter the start of the period")
    period_to = DateField("To", "Enter the end of the period")
    last_case_on = DateField("Date of the last case", "Enter the date of the last case")
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Length(max=2000)]
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def to_data(self) -> ExperienceData:
        """The experience entry as plain data."""
        return ExperienceData(
            self.offence_category.data,
            self.population.data,
            self.assessment_purpose.data,
            self.count.data,
            self.period_from.data,
            self.period_to.data,
            self.last_case_on.data,
            (self.description.data or "").strip(),
        )


class RefereeForm(FlaskForm):
    name = text("Full name", "Enter the referee's full name")
    role = text("Job title", "Enter the referee's job title")
    organisation = text("Organisation", "Enter the referee's organisation")
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the referee's email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    relationship_to_assessor = TextAreaField(
        "How do they know your work?",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter how the referee knows your work"),
            Length(max=2000),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def to_data(self) -> RefereeData:
        """The referee as plain data."""
        return RefereeData(
            self.name.data.strip(),
            self.role.data.strip(),
            self.organisation.data.strip(),
            self.email.data.strip(),
            self.relationship_to_assessor.data.strip(),
        )


class DbsForm(_EvidenceForm):
    level = RadioField(
        "Level of the certificate",
        choices=DBS_LEVELS,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the level of the certificate")],
    )
    certificate_number = text("Certificate number", "Enter the certificate number", 20)
    issued_on = DateField("Date of issue", "Enter the date the certificate was issued")
    update_service = RadioField(
        "Is the certificate on the DBS Update Service?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[
            InputRequired(message="Select yes if the certificate is on the Update Service")
        ],
    )
    last_status_check_on = DateField("Date of the last status check (Update Service only)")
    disclosure = RadioField(
        "Does the certificate disclose any information?",
        description="A register manager records a decision on any disclosure",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select yes if the certificate discloses information")],
    )

    def to_data(self) -> DbsData:
        """The certificate as plain data."""
        return DbsData(
            self.level.data,
            self.certificate_number.data.strip(),
            self.issued_on.data,
            self.update_service.data == "yes",
            self.last_status_check_on.data,
            self.disclosure.data == "yes",
            _document_id(self),
        )


class InsuranceForm(_EvidenceForm):
    insurer = text("Insurer", "Enter the name of the insurer")
    policy_number = text("Policy number", "Enter the policy number", 100)
    cover = StringField(
        "Amount of cover, in pounds",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the amount of cover"),
            pounds("Amount of cover"),
        ],
    )
    expires_on = DateField("Expiry date", "Enter the date the insurance expires")
    covers_expert_reports = BooleanField(
        "The policy covers expert reports for courts and local authorities",
        widget=GovCheckboxInput(),
    )

    def to_data(self) -> InsuranceData:
        """The insurance as plain data, cover in pence."""
        return InsuranceData(
            self.insurer.data.strip(),
            self.policy_number.data.strip(),
            parse_pounds(self.cover.data) or 0,
            self.expires_on.data,
            bool(self.covers_expert_reports.data),
            _document_id(self),
        )


class CpdForm(_EvidenceForm):
    title = text("Activity", "Enter what the activity was")
    completed_on = DateField("Date completed", "Enter the date you completed it")
    hours = CountField(
        "Hours",
        validators=[InputRequired(message="Enter the number of hours")],
    )

    def to_data(self) -> CpdData:
        """The CPD record as plain data."""
        return CpdData(
            self.title.data.strip(), self.completed_on.data, self.hours.data, _document_id(self)
        )


class SupervisionForm(FlaskForm):
    supervisor_name = text("Supervisor's name", "Enter your supervisor's name")
    arrangement = TextAreaField(
        "Arrangement",
        description="For example, individual supervision or a peer review group",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the arrangement"), Length(max=2000)],
    )
    frequency = text("How often", "Enter how often you meet", 100)
    started_on = DateField("Start date", "Enter the date the arrangement started")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def to_data(self) -> SupervisionData:
        """The supervision arrangement as plain data."""
        return SupervisionData(
            self.supervisor_name.data.strip(),
            self.arrangement.data.strip(),
            self.frequency.data.strip(),
            self.started_on.data,
        )


class ServicesForm(FlaskForm):
    regions = SelectMultipleField(
        "Regions you cover",
        choices=[SelectChoice(region, region) for region in REGIONS],
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select the regions you cover")],
    )
    languages = StringField(
        "Languages you assess in",
        description="Separate languages with commas, for example English, Welsh",
        widget=GovTextInput(),
        validators=[Length(max=500)],
    )
    availability = RadioField(
        "Availability",
        choices=AVAILABILITY,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select your availability")],
    )
    day_rate = StringField(
        "Day rate, in pounds (optional)",
        widget=GovTextInput(),
        validators=[pounds("Day rate")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def to_data(self) -> ServicesData:
        """The services as plain data, the day rate in pence."""
        languages = [part.strip() for part in (self.languages.data or "").split(",")]
        return ServicesData(
            tuple(self.regions.data or ()),
            tuple(language for language in languages if language),
            self.availability.data,
            parse_pounds(self.day_rate.data),
        )


# item_type -> its form
ITEM_FORMS: dict[str, type[FlaskForm]] = {
    "qualification": QualificationForm,
    "tool_training": ToolTrainingForm,
    "experience_entry": ExperienceForm,
    "referee": RefereeForm,
    "dbs_check": DbsForm,
    "insurance": InsuranceForm,
    "cpd_record": CpdForm,
    "supervision": SupervisionForm,
}
