"""The words of the domain, each defined once: every code with its plain-English label.

A leaf: it imports nothing from the project, so models, the pure gate, the register adapters,
forms, templates, emails and exports can all share it. Each enum member is the code that is
stored (the strings never change: they are in the database and in frozen snapshots) and carries

- ``label``: the words for a heading, a table cell or a form choice ("Child protection plan");
- ``words``: the lower-case phrase used inside a sentence ("child protection plan"), which is
  what the gate's reasons say, word for word.

Templates show any of them with the ``label`` filter (registry/templating.py).
"""

from __future__ import annotations

import enum
from typing import Any


class Term(enum.StrEnum):
    """A code with its words. Members are written ``CODE = "code", "Label"`` or, when a
    sentence needs other words than the lower-cased label, ``CODE = "code", "Label", "words"``."""

    label: str
    words: str

    def __new__(cls, value: str, label: str | None = None, words: str | None = None) -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        text = label if label is not None else value.replace("_", " ").capitalize()
        member.label = text
        member.words = words if words is not None else text[:1].lower() + text[1:]
        return member


# --- The case a commission describes -------------------------------------------------------


class Context(Term):
    S47 = "s47", "Section 47 enquiry", "a section 47 enquiry"
    CP_PLAN = "cp_plan", "Child protection plan", "a child protection plan"
    CIN = "cin", "Child in need", "a child in need"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings (PLO)", "pre-proceedings (PLO)"
    CARE_PROCEEDINGS = "care_proceedings", "Care proceedings"
    PRIVATE_LAW = "private_law", "Private law"


class Sex(Term):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class AgeBand(Term):
    ADULT = "adult", "Adult", "adults"
    AGED_12_17 = "12_17", "12 to 17", "aged 12 to 17"
    UNDER_12 = "under_12", "Under 12", "under 12"


class ConvictionStatus(Term):
    CONVICTED = "convicted", "Convicted", "convicted"
    CAUTIONED = "cautioned", "Cautioned", "cautioned"
    FINDING_OF_FACT = "finding_of_fact", "Finding of fact", "the subject of a finding of fact"
    ALLEGED_ONLY = "alleged_only", "Alleged only", "alleged only"
    # The subject is a parent or carer with no sexual offending recorded (protective capacity).
    NONE = (
        "none",
        "No sexual offending recorded (the subject is a parent or carer)",
        "with no sexual offending recorded",
    )


class OffenceCategory(Term):
    CONTACT_INTRA_FAMILIAL = (
        "contact_intra_familial",
        "Contact offending against a child within the family",
        "contact offending against a child in the family",
    )
    CONTACT_EXTRA_FAMILIAL = (
        "contact_extra_familial",
        "Contact offending against a child outside the family",
        "contact offending against a child outside the family",
    )
    IIOC = "iioc", "Indecent images of children", "indecent images of children"
    ONLINE_GROOMING = (
        "online_grooming",
        "Online grooming or sexual communication",
        "online grooming or sexual communication with a child",
    )
    OFFENCES_AGAINST_ADULTS = (
        "offences_against_adults",
        "Offences against adults",
        "sexual offences against adults",
    )
    NON_CONTACT = "non_contact", "Non-contact offences", "non-contact sexual offences"
    HSB_YOUNG_PERSON = (
        "hsb_young_person",
        "Harmful sexual behaviour by a young person",
        "harmful sexual behaviour by a young person",
    )


class AssessmentType(Term):
    """The assessment types; policy/eligibility.toml must define each of them."""

    ADULT_MALE = "adult_male", "Risk posed by an adult male who has sexually offended"
    ONLINE_IIOC = "online_iioc", "Online or indecent-image offending"
    FEMALE = "female", "A woman who has sexually offended"
    YOUNG_PERSON_HSB = "young_person_hsb", "A young person with harmful sexual behaviour"
    LEARNING_DISABILITY = "learning_disability", "A subject with a learning disability"
    PROTECTIVE_CAPACITY = "protective_capacity", "Protective capacity of a parent or carer"


class Purpose(Term):
    RISK = "risk", "Risk posed by the subject", "risk assessments"
    PROTECTIVE_CAPACITY = (
        "protective_capacity",
        "Protective capacity of a parent or carer",
        "protective capacity assessments",
    )
    CONTACT_PLAN = "contact_plan", "Contact or reunification plan", "contact plan assessments"


class AccessToChild(Term):
    LIVES_IN_HOUSEHOLD = "lives_in_household", "Lives in the household"
    CARER = "carer", "Is a carer for the child"
    UNSUPERVISED_CONTACT = "unsupervised_contact", "Has unsupervised contact"
    SUPERVISED_CONTACT = "supervised_contact", "Supervised contact only"
    NO_CONTACT = "no_contact", "No contact"


class Population(Term):
    """Subject populations that experience entries and tools are recorded against."""

    ADULT_MALE = "adult_male", "Adult men", "adult men"
    FEMALE = "female", "Women", "women"
    YOUNG_PERSON = "young_person", "Young people", "young people"
    LEARNING_DISABILITY = (
        "learning_disability",
        "People with a learning disability",
        "people with a learning disability",
    )
    ONLINE = "online", "People who have offended online", "people who have offended online"


# --- The assessor's standing ---------------------------------------------------------------


class AdmissionStatus(Term):
    """Where an assessor stands on the register, as stored (the vetting feature moves it)."""

    APPLYING = "applying", "Applying"
    SUBMITTED = "submitted", "Submitted"
    ADMITTED = "admitted", "Admitted"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"


class AdmissionStanding(Term):
    """Where an assessor stands on the register, as the gate sees it (both states before
    admission are "applied"; a refused application is "refused")."""

    APPLIED = "applied", "Applied"
    ADMITTED = "admitted", "Admitted"
    REFUSED = "refused", "Refused"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"


class AdmissionAction(Term):
    ADMIT = "admit", "Admit"
    REFUSE = "refuse", "Refuse"
    SUSPEND = "suspend", "Suspend"
    REINSTATE = "reinstate", "Reinstate"
    REMOVE = "remove", "Remove"


class ReviewStatus(Term):
    """A register manager's decision on one profile item."""

    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class CheckMethod(Term):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "Manual"


class Outcome(Term):
    """What a public-register check concluded, best first (DOMAIN.md "Verification outcomes")."""

    CLEAR = "clear", "Clear", "the registration clear"
    RESTRICTED = (
        "restricted",
        "Restricted: needs review",
        "a restriction (conditions, a caution or undertakings)",
    )
    BLOCKED = (
        "blocked",
        "Not registered or suspended",
        "the registration not in force (suspended, removed, lapsed or ended)",
    )
    NOT_FOUND = "not_found", "Not found on the register", "no entry for the number given"
    NAME_MISMATCH = (
        "name_mismatch",
        "Name does not match",
        "a name that does not match the assessor's legal name",
    )
    UNREADABLE = "unreadable", "Register could not be read", "nothing it could read"


class DbsLevel(Term):
    BASIC = "basic", "Basic", "basic DBS certificate"
    STANDARD = "standard", "Standard", "standard DBS certificate"
    ENHANCED = "enhanced", "Enhanced", "enhanced DBS certificate"
    ENHANCED_BARRED = (
        "enhanced_barred",
        "Enhanced with barred list check",
        "enhanced DBS certificate with a barred-list check",
    )


class Availability(Term):
    AVAILABLE = "available", "Available for new work"
    LIMITED = "limited", "Limited availability"
    UNAVAILABLE = "unavailable", "Not taking new work"


# Where an assessor works: the English regions, and Wales (stored as these words).
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
)


class ItemType(Term):
    """The items of a profile that register managers review, named as item reviews store them
    (a table's name, or "identity" and "services" for the assessor's own fields)."""

    IDENTITY = "identity", "Identity", "the identity"
    REGISTRATION = "registration", "Registration", "a registration"
    QUALIFICATION = "qualification", "Qualification", "a qualification"
    TOOL_TRAINING = "tool_training", "Tool training", "tool training"
    EXPERIENCE_ENTRY = "experience_entry", "Experience", "an experience entry"
    REFEREE = "referee", "Referee", "a referee"
    DBS_CHECK = "dbs_check", "DBS check", "a DBS certificate"
    INSURANCE = "insurance", "Insurance", "an insurance policy"
    CPD_RECORD = "cpd_record", "CPD", "a CPD record"
    SUPERVISION = "supervision", "Supervision", "a supervision arrangement"
    SERVICES = "services", "Services (regions, languages, availability, fees)", "the services"


class DocumentKind(Term):
    """What a document is evidence of."""

    QUALIFICATION = "qualification", "Qualification certificate"
    REGISTRATION = "registration", "Professional registration"
    TOOL_TRAINING = "tool_training", "Risk assessment tool training"
    DBS = "dbs", "DBS certificate"
    INSURANCE = "insurance", "Insurance"
    CPD = "cpd", "Continuing professional development"
    SUPERVISION = "supervision", "Supervision"
    CV = "cv", "CV"
    OTHER = "other", "Other"


# --- People and accounts -------------------------------------------------------------------


class OrganisationKind(Term):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    REGISTER_BODY = "register_body", "Register body"


class Role(Term):
    ASSESSOR = "assessor", "Assessor"
    OFFICER = "officer", "Commissioning officer"
    PANEL_MEMBER = "panel_member", "Panel member"
    REGISTER_MANAGER = "register_manager", "Register manager"
    AUDITOR = "auditor", "Auditor"


class AccountStatus(Term):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    DISABLED = "disabled", "Disabled"


class TokenPurpose(Term):
    INVITATION = "invitation", "Invitation"
    PASSWORD_RESET = "password_reset", "Password reset"


# --- The gate ------------------------------------------------------------------------------


class Stage(Term):
    """Where a commission is when the gate runs; conflicts must be declared from DECLARATION."""

    SEARCH = "search", "Search"
    SHORTLIST = "shortlist", "Shortlist"
    SELECTION = "selection", "Selection"
    DECLARATION = "declaration", "Declaration"
    APPROVAL = "approval", "Approval"


class RuleCode(Term):
    """The gate's rules, in the order they are evaluated and shown. Codes are stable."""

    ADMITTED = "admitted", "Admitted to the register"
    ATTESTED = "attested", "Profile attested"
    REGULATED = "regulated", "Regulated"
    QUALIFIED = "qualified", "Qualified"
    FRESHLY_VERIFIED = "freshly_verified", "Freshly verified"
    NO_RESTRICTION = "no_restriction", "No restriction"
    EXPERIENCED = "experienced", "Experienced"
    TRAINED_IN_FITTING_TOOL = "trained_in_fitting_tool", "Trained in a fitting tool"
    SPECIAL_POPULATIONS = "special_populations", "Special populations"
    SAFEGUARDING_CHECK = "safeguarding_check", "Safeguarding check"
    INSURED = "insured", "Insured"
    CPD_AND_SUPERVISION = "cpd_and_supervision", "CPD and supervision"
    INDEPENDENT = "independent", "Independent"


RULE_TITLES = {rule: rule.label for rule in RuleCode}


# --- Commissions ---------------------------------------------------------------------------


class CommissionStatus(Term):
    DRAFT = "draft", "Draft"
    SHORTLISTING = "shortlisting", "Finding an assessor"
    AWAITING_ASSESSOR = "awaiting_assessor", "Waiting for the assessor"
    AWAITING_PANEL = "awaiting_panel", "Waiting for the panel"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected by the panel"
    INSTRUCTED = "instructed", "Assessor instructed"
    REPORT_RECEIVED = "report_received", "Report received"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class PanelOutcome(Term):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# --- Looking words up ----------------------------------------------------------------------

# Every vocabulary, by class name, for the template filter and the "no codes on pages" checks.
VOCABULARIES: dict[str, type[Term]] = {
    cls.__name__: cls
    for cls in (
        Context,
        Sex,
        AgeBand,
        ConvictionStatus,
        OffenceCategory,
        AssessmentType,
        Purpose,
        AccessToChild,
        Population,
        AdmissionStatus,
        AdmissionStanding,
        AdmissionAction,
        ReviewStatus,
        CheckMethod,
        Outcome,
        DbsLevel,
        Availability,
        Stage,
        RuleCode,
        CommissionStatus,
        PanelOutcome,
        DocumentKind,
        ItemType,
        OrganisationKind,
        Role,
        AccountStatus,
        TokenPurpose,
    )
}


def vocabulary(name: str | type[Term]) -> type[Term]:
    """The vocabulary class named ``name`` (or ``name`` itself when it is one)."""
    if isinstance(name, type):
        return name
    return VOCABULARIES[name]


def label_of(value: object, of: str | type[Term] | None = None, *, lower: bool = False) -> str:
    """The words for a code: a member's label, or a stored string's label in vocabulary ``of``.

    A value no vocabulary knows is shown made readable ("some_code" as "Some code") rather than
    failing a page. ``lower`` gives the in-sentence words instead of the label.
    """
    if value is None:
        return ""
    term = value if isinstance(value, Term) else None
    if term is None and of is not None:
        try:
            term = vocabulary(of)(str(value))
        except ValueError:
            term = None
    if term is not None:
        return term.words if lower else term.label
    text = str(value).replace("_", " ")
    return text if lower else text[:1].upper() + text[1:]


def choices(of: str | type[Term], members: Any = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's choices, in the vocabulary's order."""
    return [(str(m.value), m.label) for m in (members or vocabulary(of))]


def codes() -> frozenset[str]:
    """Every code of every vocabulary (for checks that no page shows one)."""
    return frozenset(m.value for cls in VOCABULARIES.values() for m in cls)
