"""The words of the domain that cases, assessors' facts, the policy and the gate share."""

from __future__ import annotations

import enum


class Context(enum.StrEnum):
    S47 = "s47"
    CP_PLAN = "cp_plan"
    CIN = "cin"
    PRE_PROCEEDINGS = "pre_proceedings"
    CARE_PROCEEDINGS = "care_proceedings"
    PRIVATE_LAW = "private_law"


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class AgeBand(enum.StrEnum):
    ADULT = "adult"
    AGED_12_17 = "12_17"
    UNDER_12 = "under_12"


class ConvictionStatus(enum.StrEnum):
    CONVICTED = "convicted"
    CAUTIONED = "cautioned"
    FINDING_OF_FACT = "finding_of_fact"
    ALLEGED_ONLY = "alleged_only"
    # The subject is a parent or carer with no sexual offending recorded (protective capacity).
    NONE = "none"


class OffenceCategory(enum.StrEnum):
    CONTACT_INTRA_FAMILIAL = "contact_intra_familial"
    CONTACT_EXTRA_FAMILIAL = "contact_extra_familial"
    IIOC = "iioc"
    ONLINE_GROOMING = "online_grooming"
    OFFENCES_AGAINST_ADULTS = "offences_against_adults"
    NON_CONTACT = "non_contact"
    HSB_YOUNG_PERSON = "hsb_young_person"


class AssessmentType(enum.StrEnum):
    """The assessment types; policy/eligibility.toml must define each of them."""

    ADULT_MALE = "adult_male"
    ONLINE_IIOC = "online_iioc"
    FEMALE = "female"
    YOUNG_PERSON_HSB = "young_person_hsb"
    LEARNING_DISABILITY = "learning_disability"
    PROTECTIVE_CAPACITY = "protective_capacity"


class Purpose(enum.StrEnum):
    RISK = "risk"
    PROTECTIVE_CAPACITY = "protective_capacity"
    CONTACT_PLAN = "contact_plan"


class AccessToChild(enum.StrEnum):
    LIVES_IN_HOUSEHOLD = "lives_in_household"
    CARER = "carer"
    UNSUPERVISED_CONTACT = "unsupervised_contact"
    SUPERVISED_CONTACT = "supervised_contact"
    NO_CONTACT = "no_contact"


class Population(enum.StrEnum):
    """Subject populations that experience entries and tools are recorded against."""

    ADULT_MALE = "adult_male"
    FEMALE = "female"
    YOUNG_PERSON = "young_person"
    LEARNING_DISABILITY = "learning_disability"
    ONLINE = "online"


class AdmissionStatus(enum.StrEnum):
    APPLIED = "applied"
    ADMITTED = "admitted"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    REMOVED = "removed"


class Outcome(enum.StrEnum):
    """What a public-register check concluded, best first (DOMAIN.md "Verification outcomes")."""

    CLEAR = "clear"
    RESTRICTED = "restricted"
    BLOCKED = "blocked"
    NOT_FOUND = "not_found"
    NAME_MISMATCH = "name_mismatch"
    UNREADABLE = "unreadable"


class DbsLevel(enum.StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"
    ENHANCED_BARRED = "enhanced_barred"


class Stage(enum.StrEnum):
    """Where a commission is when the gate runs; conflicts must be declared from DECLARATION."""

    SEARCH = "search"
    SHORTLIST = "shortlist"
    SELECTION = "selection"
    DECLARATION = "declaration"
    APPROVAL = "approval"


class RuleCode(enum.StrEnum):
    """The gate's rules, in the order they are evaluated and shown. Codes are stable."""

    ADMITTED = "admitted"
    ATTESTED = "attested"
    REGULATED = "regulated"
    QUALIFIED = "qualified"
    FRESHLY_VERIFIED = "freshly_verified"
    NO_RESTRICTION = "no_restriction"
    EXPERIENCED = "experienced"
    TRAINED_IN_FITTING_TOOL = "trained_in_fitting_tool"
    SPECIAL_POPULATIONS = "special_populations"
    SAFEGUARDING_CHECK = "safeguarding_check"
    INSURED = "insured"
    CPD_AND_SUPERVISION = "cpd_and_supervision"
    INDEPENDENT = "independent"


RULE_TITLES = {
    RuleCode.ADMITTED: "Admitted to the register",
    RuleCode.ATTESTED: "Profile attested",
    RuleCode.REGULATED: "Regulated",
    RuleCode.QUALIFIED: "Qualified",
    RuleCode.FRESHLY_VERIFIED: "Freshly verified",
    RuleCode.NO_RESTRICTION: "No restriction",
    RuleCode.EXPERIENCED: "Experienced",
    RuleCode.TRAINED_IN_FITTING_TOOL: "Trained in a fitting tool",
    RuleCode.SPECIAL_POPULATIONS: "Special populations",
    RuleCode.SAFEGUARDING_CHECK: "Safeguarding check",
    RuleCode.INSURED: "Insured",
    RuleCode.CPD_AND_SUPERVISION: "CPD and supervision",
    RuleCode.INDEPENDENT: "Independent",
}
