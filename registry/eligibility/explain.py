"""The policy in plain English, as data for the page "What makes an assessor eligible"."""

from __future__ import annotations

from dataclasses import dataclass

from registry.eligibility.policy_model import TOOL_KINDS, AssessmentTypeRule, Policy, Tool
from registry.eligibility.vocabulary import RULE_TITLES, RuleCode
from registry.eligibility.wording import (
    AGE_WORDS,
    CONVICTION_WORDS,
    OFFENCE_WORDS,
    POPULATION_WORDS,
    PURPOSE_WORDS,
    accepted_words,
    count_of,
    join,
    words,
)


@dataclass(frozen=True)
class PolicySection:
    """A heading and its paragraphs. `key` is a rule code, "assessment_type:<key>", or a topic."""

    key: str
    heading: str
    paragraphs: tuple[str, ...]


def describe(policy: Policy) -> tuple[PolicySection, ...]:
    """Every rule, assessment type, special population and tool of the policy, in plain English."""
    about = PolicySection(
        "policy",
        f"Eligibility policy, version {policy.version}",
        (
            "An assessor can be commissioned for a case only if they pass every rule below for "
            "that case. The rules are checked when an officer searches, and again when the panel "
            "approves.",
            "Only what a register manager has accepted counts. A qualification, tool training, "
            "experience entry, DBS certificate, insurance policy, CPD record or supervision "
            "arrangement that an assessor adds or changes counts for nothing until a register "
            "manager accepts it; a changed item stops counting until it is accepted again.",
            f"This is version {policy.version}. Every decision records the version it used.",
        ),
    )
    rules = _rules(policy)
    return (
        about,
        *(PolicySection(code.value, RULE_TITLES[code], rules[code]) for code in RuleCode),
        *(_assessment_type(policy, kind) for kind in policy.assessment_types),
        PolicySection(
            "populations",
            "Special populations",
            tuple(
                f"{p.title[0].upper()}{p.title[1:]}: at least {p.min_assessments} assessments in "
                f"the last {count_of(p.window_years, 'year')}"
                + ("; and current training in a tool built for them." if p.needs_tool else ".")
                for p in policy.populations
                if p.special
            ),
        ),
        PolicySection("tools", "Risk assessment tools", tuple(_tool(t) for t in policy.tools)),
    )


def _rules(policy: Policy) -> dict[RuleCode, tuple[str, ...]]:
    f, s = policy.freshness, policy.safeguarding
    values = {
        "attestation_days": f.attestation_days,
        "check_days": f.registration_check_days,
        "manual_check_days": f.manual_registration_check_days,
        "refresher": count_of(f.tool_refresher_years, "year"),
        "dbs_years": count_of(s.dbs_certificate_years, "year"),
        "dbs_check_days": s.dbs_status_check_days,
        "cpd": count_of(f.cpd_months, "month"),
    }
    return {
        code: tuple(paragraph.format(**values) for paragraph in RULE_TEXT[code])
        for code in RuleCode
    }


# What each rule asks, with the policy's numbers filled in by _rules.
RULE_TEXT: dict[RuleCode, tuple[str, ...]] = {
    RuleCode.ADMITTED: (
        "The assessor has been vetted and admitted to the register, and is not suspended or "
        "removed.",
    ),
    RuleCode.ATTESTED: (
        "The assessor has confirmed that the whole profile is accurate within the last "
        "{attestation_days} days.",
    ),
    RuleCode.REGULATED: (
        "The assessor holds a registration with a statutory regulator, in a profession accepted "
        "for the type of assessment (listed under each type below), and the latest check of the "
        "public register found it clear.",
        "Membership of the British Psychological Society, UKCP or BACP is a quality signal but "
        "never counts as a statutory registration.",
    ),
    RuleCode.QUALIFIED: (
        "The assessor holds a qualification that counts for their profession and the type of "
        "assessment (listed under each type below), and a register manager has accepted it. "
        "Other qualifications are recorded but do not make an assessor qualified.",
    ),
    RuleCode.FRESHLY_VERIFIED: (
        "That clear result was read from the public register within the last {check_days} days, "
        "and the registration period shown has not ended. Where a register can only be checked "
        "by hand, the check must be within the last {manual_check_days} days: nothing watches "
        "such an entry between two checks, so a hand check must be more recent, not less.",
        "If the registration period shown ends before the report is due, the officer and the "
        "panel see a warning; the register is checked again before then.",
    ),
    RuleCode.NO_RESTRICTION: (
        "No statutory registration the assessor holds or has declared shows a suspension, "
        "interim order, conditions, undertakings, a warning, a caution or striking-off, even "
        "when another registration is clear. A registration that lapsed without a sanction (for "
        "example voluntary removal, or not renewed) does not fail this rule. Where the "
        "register's wording does not make it certain, it is treated as a sanction.",
    ),
    RuleCode.EXPERIENCED: (
        "For every offence category of the case, the assessor has done enough assessments in "
        "the last few years, and the last one recently (the numbers for each type of assessment "
        "are below). An experience entry counts in full when its period overlaps those years.",
    ),
    RuleCode.TRAINED_IN_FITTING_TOOL: (
        "The assessor holds current training in at least one tool that is valid for the subject "
        "of the case, and the tool owner's approval where the owner requires it. Training needs "
        "a refresher every {refresher} unless the tool says otherwise.",
    ),
    RuleCode.SPECIAL_POPULATIONS: (
        "A woman, a young person, a person with a learning disability, or a case involving "
        "indecent images or online grooming needs experience with that population, because "
        "tools and experience built on adult men over-estimate or do not apply. A young person "
        "also needs training in a framework built for young people, such as AIM.",
    ),
    RuleCode.SAFEGUARDING_CHECK: (
        "An enhanced DBS certificate issued within the last {dbs_years}, or one on the Update "
        "Service with a status check within the last {dbs_check_days} days. Any disclosure on "
        "the certificate has a recorded decision.",
    ),
    RuleCode.INSURED: (
        "Professional indemnity insurance that covers expert reports and runs beyond the date "
        "the report is needed by.",
    ),
    RuleCode.CPD_AND_SUPERVISION: (
        "CPD recorded in the last {cpd}, and a named supervision or peer-review arrangement.",
    ),
    RuleCode.INDEPENDENT: (
        "When the assessor accepts a commission they declare whether they have any conflict "
        "with the named parties, answering 'I have no conflict with any of these parties' "
        "explicitly if so. Any declared conflict, of whatever kind (a relationship, a financial "
        "interest, prior involvement in the case, being the subject's treating clinician, or "
        "anything else), rules them out of that commission; the panel cannot override it, and "
        "the officer selects someone else. Without a declaration the panel cannot approve.",
    ),
}


def _assessment_type(policy: Policy, kind: AssessmentTypeRule) -> PolicySection:
    who = join((accepted_words(policy, a) for a in kind.registrations), "or")
    purposes = join((words(PURPOSE_WORDS, p) for p in kind.experience_purposes), "or")
    paragraphs = [
        f"Who can do it: a registered {who}.",
        f"Qualifications that count: {_qualifications(policy, kind)}.",
        f"Experience: at least {kind.min_assessments} {purposes} in each offence category of "
        f"the case in the last {count_of(kind.window_years, 'year')}, the last within "
        f"{count_of(kind.last_case_within_years, 'year')}.",
    ]
    if kind.required_populations:
        titles = join(policy.population(p).title for p in kind.required_populations)
        paragraphs.append(f"Always needs experience with {titles}.")
    if not kind.subject_is_offender:
        paragraphs[2] = (
            f"Experience: at least {kind.min_assessments} {purposes} in the last "
            f"{count_of(kind.window_years, 'year')}, the last within "
            f"{count_of(kind.last_case_within_years, 'year')}."
        )
        paragraphs.append(
            "The subject is a parent or carer: this type cannot be chosen when the case records "
            "sexual offending by the subject (a conviction, caution, finding or allegation, or "
            "offence categories)."
        )
    paragraphs.append(
        "Needs current training in a tool valid for the subject."
        if kind.tool_required
        else "No risk assessment tool is required."
    )
    return PolicySection(f"assessment_type:{kind.key}", kind.title, tuple(paragraphs))


def _qualifications(policy: Policy, kind: AssessmentTypeRule) -> str:
    """ "for a social worker, a social work qualification; for a psychiatrist, ..." """
    parts = []
    for code, codes in kind.qualified:
        profession = policy.profession(code)
        titles = []
        for qualification_code in codes:
            found = policy.qualification(qualification_code)
            title = found.title if found else qualification_code
            titles.append(title[0].lower() + title[1:])
        parts.append(f"for a {profession.title if profession else code}, {join(titles, 'or')}")
    return "; ".join(parts)


def _tool(tool: Tool) -> str:
    limits = [f"for {join((words(POPULATION_WORDS, p) for p in tool.populations), 'or')}"]
    if tool.requires_populations:
        needed = join(words(POPULATION_WORDS, p) for p in tool.requires_populations)
        limits.append(f"only for {needed}")
    if len(tool.age_bands) < len(AGE_WORDS):
        limits.append(join((words(AGE_WORDS, a) for a in tool.age_bands), "or"))
    if len(tool.conviction_statuses) < len(CONVICTION_WORDS):
        allowed = join((words(CONVICTION_WORDS, c) for c in tool.conviction_statuses), "or")
        limits.append(f"only when the subject is {allowed}")
    if tool.requires_offences:
        needed = join((words(OFFENCE_WORDS, o) for o in tool.requires_offences), "or")
        limits.append(f"only when the case involves {needed}")
    if tool.not_when_only:
        excluded = join((words(OFFENCE_WORDS, o) for o in tool.not_when_only), "or")
        limits.append(f"not when the only offences are {excluded}")
    needs = []
    if tool.training_required:
        needs.append(f"training (refreshed every {count_of(tool.refresher_years, 'year')})")
    if tool.owner_approval_required:
        needs.append(f"approval from {tool.owner}")
    kind = TOOL_KINDS.get(tool.kind, tool.kind)
    text = f"{tool.name}, {kind}: {'; '.join(limits)}."
    return text + (f" Needs {join(needs)}." if needs else "")
