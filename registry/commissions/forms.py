"""Commission forms: the case description, the assessor's answer, the panel's decision."""

from __future__ import annotations

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
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from registry.commissions.after_approval import Review
from registry.commissions.case import CHECKLIST_ITEMS, CHECKLIST_STATES, CaseData
from registry.commissions.selection import Answer
from registry.formfields import DayMonthYearField, parse_pounds
from registry.vocabulary import (
    AccessToChild,
    AgeBand,
    AssessmentType,
    Context,
    ConvictionStatus,
    OffenceCategory,
    Purpose,
    Sex,
    Term,
)


def _choices(vocabulary: type[Term]) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in vocabulary]


def _radio(label: str, vocabulary: type[Term], message: str, hint: str = "") -> RadioField:
    return RadioField(
        label,
        description=hint,
        choices=_choices(vocabulary),
        widget=GovRadioInput(),
        validators=[InputRequired(message=message)],
    )


class CommissionForm(FlaskForm):
    """The structured case description (DOMAIN.md). There is no field for a child's name."""

    case_reference = StringField(
        "Case reference",
        description="Your authority's own reference. Do not use names.",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the case reference"), Length(max=50)],
    )
    context = _radio(
        "What is the context?",
        Context,
        "Select the context",
        "Why the council needs the assessment now: the child protection or court process it "
        "informs.",
    )
    court_permission_on = DayMonthYearField(
        "Date the court gave permission",
        description="Needed for care proceedings. For example, 27 3 2026",
        validators=[Optional()],
    )
    subject_sex = _radio(
        "Sex of the subject",
        Sex,
        "Select the subject's sex",
        "The subject is the person to be assessed, not the child.",
    )
    subject_age_band = _radio(
        "Age of the subject",
        AgeBand,
        "Select the subject's age",
        "Young people who have sexually harmed need assessors experienced with their age.",
    )
    conviction_status = RadioField(
        "The subject's sexual offending",
        description="Choose 'No sexual offending recorded' only for a parent or carer being "
        "assessed for their capacity to protect the child.",
        choices=_choices(ConvictionStatus),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the subject's sexual offending")],
    )
    learning_disability = BooleanField(
        "The subject has a learning disability",
        description="Only assessors experienced with people with a learning disability will be "
        "eligible.",
        widget=GovCheckboxInput(),
    )
    language_needs = StringField(
        "Language needs (optional)",
        description="The language the assessment must be done in, if not English, or an "
        "interpreter needed.",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200)],
    )
    offence_categories = SelectMultipleField(
        "Offence categories",
        description="The subject's own sexual offending (convicted, cautioned, found or "
        "alleged), not a risk from someone else in the household. Leave empty only for a "
        "protective-capacity assessment of a parent or carer.",
        choices=_choices(OffenceCategory),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    assessment_type = _radio(
        "Type of assessment",
        AssessmentType,
        "Select the type of assessment",
        "Who is being assessed decides which professions, tools and experience count.",
    )
    assessment_purpose = _radio(
        "What is the assessment for?",
        Purpose,
        "Select what the assessment is for",
        "The decision the council must make with the report.",
    )
    access_to_child = _radio(
        "The subject's access to the child",
        AccessToChild,
        "Select the subject's access to the child",
        "The contact the subject has with the child now, not what is proposed.",
    )
    access_details = TextAreaField(
        "Details of the access",
        description="For example, how often and who supervises",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
    )
    needed_by = DayMonthYearField(
        "Date the assessment is needed by",
        description="For example, 15 1 2027",
        validators=[InputRequired(message="Enter the date the assessment is needed by")],
    )
    questions = TextAreaField(
        "Questions for the assessor",
        description="What the report must answer, one question a line. Line breaks are kept.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter the questions for the assessor"),
            Length(max=5000),
        ],
    )
    budget = StringField(
        "Budget in pounds (optional)",
        description="The most the council will pay for the assessment and report, for example "
        "2,500.",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20)],
    )
    named_parties = TextAreaField(
        "Names of the parties",
        description="One per line: the subject and the adults involved. "
        "Shown only to the assessor you select, so they can declare any conflict. "
        "Do not enter the child's name.",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Save request", widget=GovSubmitInput())

    def validate_budget(self, field: StringField) -> None:
        """The budget must be an amount of money."""
        try:
            parse_pounds(field.data, what="The budget")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def to_data(self, checklist: dict[str, dict[str, str]]) -> CaseData:
        """The case as plain data."""
        return CaseData(
            case_reference=self.case_reference.data.strip(),
            context=self.context.data,
            court_permission_on=self.court_permission_on.data,
            subject_sex=self.subject_sex.data,
            subject_age_band=self.subject_age_band.data,
            conviction_status=self.conviction_status.data,
            learning_disability=bool(self.learning_disability.data),
            language_needs=(self.language_needs.data or "").strip() or None,
            offence_categories=list(self.offence_categories.data or []),
            assessment_type=self.assessment_type.data,
            assessment_purpose=self.assessment_purpose.data,
            access_to_child=self.access_to_child.data,
            access_details=self.access_details.data or "",
            needed_by=self.needed_by.data,
            questions=self.questions.data or "",
            budget_pence=parse_pounds(self.budget.data, what="The budget"),
            named_parties=(self.named_parties.data or "").splitlines(),
            information_checklist=checklist,
        )


def checklist_fields() -> dict[str, tuple[str, dict[str, str]]]:
    """The information checklist's items and states, for the template and the view."""
    return {key: (label, CHECKLIST_STATES) for key, label in CHECKLIST_ITEMS.items()}


class AssessorChoiceForm(FlaskForm):
    """Shortlist or select one assessor (the id is checked against the gate on the server)."""

    assessor_id = StringField(validators=[InputRequired()])


class WhyNotForm(FlaskForm):
    """Ask why a named assessor is not eligible (the name travels in the body, IN-08)."""

    name = StringField(
        "Assessor's name or registration number",
        description="Part of a name, or a registration number such as PYL012345",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the assessor's name or registration number"),
            Length(min=2, max=100),
        ],
    )
    submit = SubmitField("Why not?", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    """The invited assessor's answer and conflict declaration."""

    accept = RadioField(
        "Do you accept this commission?",
        choices=[SelectChoice("yes", "Yes, I accept"), SelectChoice("no", "No, I decline")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether you accept")],
    )
    decline_reason = TextAreaField(
        "Reason for declining (optional)", widget=GovTextArea(), validators=[Length(max=1000)]
    )
    conflict = RadioField(
        "Do you have a conflict of interest with any of the named parties?",
        description="Any conflict, of whatever kind, means you cannot take this commission: the "
        "officer will choose another assessor.",
        choices=[
            SelectChoice("none", "No, I have no conflict with any of these parties"),
            SelectChoice("conflict", "Yes, I have a conflict"),
        ],
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    conflicts = SelectMultipleField(
        "If you have a conflict, which of these apply?",
        description="Select all that apply.",
        choices=[
            SelectChoice("prior_involvement", "I have been involved in this case before"),
            SelectChoice("treating_relationship", "I am or was the subject's treating clinician"),
            SelectChoice(
                "professional_or_personal_relationship",
                "I have a professional or personal relationship with a party",
            ),
            SelectChoice("financial_interest", "I have a financial interest"),
        ],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    details = TextAreaField(
        "Details of any conflict", widget=GovTextArea(), validators=[Length(max=2000)]
    )
    submit = SubmitField("Send my answer", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        """Accepting needs an explicit answer about conflicts, consistent with what is ticked."""
        valid = super().validate(extra_validators)
        if self.accept.data != "yes":
            return valid
        chosen = bool(self.conflicts.data)
        if self.conflict.data not in {"none", "conflict"}:
            self.conflict.errors = [
                *self.conflict.errors,
                "Select whether you have a conflict with any of the named parties",
            ]
            return False
        if self.conflict.data == "conflict" and not chosen:
            self.conflicts.errors = [*self.conflicts.errors, "Select the conflicts that apply"]
            return False
        if self.conflict.data == "none" and chosen:
            self.conflicts.errors = [
                *self.conflicts.errors,
                "You said you have no conflict: untick the conflicts, or say you have one",
            ]
            return False
        return valid

    def to_data(self) -> Answer:
        """The answer as plain data."""
        chosen = set(self.conflicts.data or [])
        return Answer(
            accept=self.accept.data == "yes",
            decline_reason=self.decline_reason.data or "",
            no_conflict=self.conflict.data == "none",
            prior_involvement="prior_involvement" in chosen,
            treating_relationship="treating_relationship" in chosen,
            professional_or_personal_relationship="professional_or_personal_relationship" in chosen,
            financial_interest="financial_interest" in chosen,
            details=self.details.data or "",
        )


class DecisionForm(FlaskForm):
    """The panel's decision."""

    decision = RadioField(
        "Your decision",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("reject", "Reject")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select approve or reject")],
    )
    reason = TextAreaField(
        "Reason",
        description="Required when you reject: the officer reads it",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for rejecting the request")


class ReportForm(FlaskForm):
    """The date the report was received."""

    received_on = DayMonthYearField(
        "Date the report was received",
        validators=[InputRequired(message="Enter the date the report was received")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class QualityReviewForm(FlaskForm):
    """A structured quality review of the report."""

    on_time = RadioField(
        "Was the report on time?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether it was on time")],
    )
    answered_questions = RadioField(
        "Did it answer the questions?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether it answered the questions")],
    )
    criticised_by_court = RadioField(
        "Was the report criticised by a court?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether a court criticised it")],
    )
    court_citation = StringField(
        "Citation of the judgment", widget=GovTextInput(), validators=[Length(max=200)]
    )
    rating = SelectField(
        "Overall rating",
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        widget=GovSelect(),
        validators=[InputRequired()],
    )
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save and close the request", widget=GovSubmitInput())

    def to_data(self) -> Review:
        """The review as plain data."""
        return Review(
            on_time=self.on_time.data == "yes",
            answered_questions=self.answered_questions.data == "yes",
            criticised_by_court=self.criticised_by_court.data == "yes",
            court_citation=self.court_citation.data,
            rating=int(self.rating.data),
            notes=self.notes.data or "",
        )


class ReasonForm(FlaskForm):
    """A reason (for cancelling)."""

    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the reason"), Length(max=2000)],
    )
    submit = SubmitField("Cancel the request", widget=GovSubmitInput())
