"""Rules about standing: admitted, attested, safeguarding, insured, CPD, independent."""

from __future__ import annotations

from registry.eligibility.results import Inputs, RuleResult, verdict
from registry.eligibility.vocabulary import AdmissionStanding, DbsLevel, RuleCode, Stage
from registry.eligibility.wording import count_of, long_date, months_before, years_before

ADMISSION_PROBLEMS = {
    AdmissionStanding.APPLIED: "The assessor has applied but has not been admitted to the register",
    AdmissionStanding.REFUSED: "The assessor's application to join the register was refused",
    AdmissionStanding.SUSPENDED: "The assessor is suspended from the register",
    AdmissionStanding.REMOVED: "The assessor has been removed from the register",
}

DBS_WORDS = {level: level.words for level in DbsLevel}

# From DECLARATION on, the assessor has been asked to declare conflicts for this commission.
DECLARATION_DUE = frozenset({Stage.DECLARATION, Stage.APPROVAL})


def admitted(i: Inputs) -> RuleResult:
    """Passes when the assessor is admitted, not applied, refused, suspended or removed."""
    status = i.facts.admission
    evidence = [i.facts.admission_evidence_id]
    if status == AdmissionStanding.ADMITTED:
        return verdict(RuleCode.ADMITTED, True, "Admitted to the register", evidence)
    problem = ADMISSION_PROBLEMS.get(status, f"The assessor's admission status is '{status}'")
    return verdict(RuleCode.ADMITTED, False, problem, evidence)


def attested(i: Inputs) -> RuleResult:
    """Passes when the profile was attested within the policy's attestation period."""
    limit = i.policy.freshness.attestation_days
    on = i.facts.attested_on
    evidence = [i.facts.attestation_evidence_id]
    if on is None:
        return verdict(
            RuleCode.ATTESTED, False, "The assessor has never attested that the profile is accurate"
        )
    if (i.today - on).days > limit:
        return verdict(
            RuleCode.ATTESTED,
            False,
            f"The profile was last attested on {long_date(on)}, more than {limit} days ago",
            evidence,
        )
    return verdict(
        RuleCode.ATTESTED,
        True,
        f"The profile was attested on {long_date(on)}, within the last {limit} days",
        evidence,
    )


def safeguarding_check(i: Inputs) -> RuleResult:
    """Passes on a current enhanced DBS certificate whose disclosures have a recorded decision."""
    dbs, rule = i.facts.dbs, i.policy.safeguarding
    if dbs is None:
        return verdict(RuleCode.SAFEGUARDING_CHECK, False, "No DBS certificate is recorded")
    evidence = [dbs.evidence_id]
    kind = DBS_WORDS.get(dbs.level, f"{dbs.level} DBS certificate")
    what = f"{kind} issued {long_date(dbs.issued_on)}"
    if dbs.level not in rule.dbs_levels:
        problem = f"the {what} is not enough; an enhanced certificate is required"
    elif (lapse := _dbs_lapse(i)) is not None:
        problem = f"the {what} {lapse}"
    elif dbs.disclosure and not dbs.disclosure_decision_recorded:
        problem = f"the {what} has a disclosure with no recorded decision on it"
    else:
        decided = "; its disclosure has a recorded decision" if dbs.disclosure else ""
        return verdict(
            RuleCode.SAFEGUARDING_CHECK, True, f"{what}{_dbs_update(i)}{decided}", evidence
        )
    return verdict(RuleCode.SAFEGUARDING_CHECK, False, problem, evidence)


def _dbs_lapse(i: Inputs) -> str | None:
    """Why the certificate no longer counts, or None while it does."""
    dbs, rule = i.facts.dbs, i.policy.safeguarding
    assert dbs is not None
    if dbs.issued_on >= years_before(i.today, rule.dbs_certificate_years):
        return None
    years = count_of(rule.dbs_certificate_years, "year")
    checked = dbs.last_status_check_on
    if not dbs.update_service:
        return f"is more than {years} old and is not on the Update Service"
    if checked is None:
        return f"is more than {years} old and no Update Service status check is recorded"
    if (i.today - checked).days > rule.dbs_status_check_days:
        return (
            f"is more than {years} old and its last Update Service status check, on "
            f"{long_date(checked)}, was more than {rule.dbs_status_check_days} days ago"
        )
    return None


def _dbs_update(i: Inputs) -> str:
    dbs = i.facts.dbs
    assert dbs is not None
    if dbs.update_service and dbs.last_status_check_on is not None:
        return f"; on the Update Service, status checked {long_date(dbs.last_status_check_on)}"
    return ""


def insured(i: Inputs) -> RuleResult:
    """Passes on indemnity insurance for expert reports running beyond the needed-by date."""
    cover, needed_by = i.facts.insurance, i.case.needed_by
    if cover is None:
        return verdict(RuleCode.INSURED, False, "No professional indemnity insurance is recorded")
    evidence = [cover.evidence_id]
    expires = long_date(cover.expires_on)
    if not cover.covers_expert_reports:
        problem = f"The indemnity insurance (to {expires}) does not cover expert reports"
    elif cover.expires_on < i.today:
        problem = f"The indemnity insurance expired on {expires}"
    elif cover.expires_on <= needed_by:
        problem = (
            f"The indemnity insurance expires on {expires}, not after the date the report is "
            f"needed by ({long_date(needed_by)})"
        )
    else:
        return verdict(
            RuleCode.INSURED,
            True,
            f"Indemnity insurance covering expert reports runs to {expires}, beyond the date the "
            f"report is needed by ({long_date(needed_by)})",
            evidence,
        )
    return verdict(RuleCode.INSURED, False, problem, evidence)


def cpd_and_supervision(i: Inputs) -> RuleResult:
    """Passes on CPD within the policy's period and a named supervision arrangement."""
    facts, months = i.facts, i.policy.freshness.cpd_months
    cpd = facts.cpd_last_recorded_on
    period = f"the last {count_of(months, 'month')}"
    evidence = [facts.cpd_evidence_id, facts.supervision_evidence_id]
    problems = []
    if cpd is None:
        problems.append(f"no CPD is recorded in {period}")
    elif cpd < months_before(i.today, months):
        problems.append(f"CPD was last recorded on {long_date(cpd)}, not within {period}")
    if not (facts.supervision_arrangement or "").strip():
        problems.append("no named supervision or peer-review arrangement is recorded")
    if problems:
        return verdict(RuleCode.CPD_AND_SUPERVISION, False, "; ".join(problems), evidence)
    assert cpd is not None
    return verdict(
        RuleCode.CPD_AND_SUPERVISION,
        True,
        f"CPD recorded on {long_date(cpd)}; a named supervision arrangement is recorded",
        evidence,
    )


def independent(i: Inputs) -> RuleResult:
    """Fails on ANY declared conflict with the named parties (whatever its kind: the panel cannot
    override it), on a declaration that neither confirms no conflict nor names one, and on a
    missing declaration once it is due."""
    declared = i.facts.conflict
    code = RuleCode.INDEPENDENT
    if declared is None:
        if i.stage in DECLARATION_DUE:
            return verdict(
                code, False, "The assessor has not declared conflicts for this commission"
            )
        return verdict(
            code, True, "A conflict declaration will be required when the assessor accepts"
        )
    evidence = [declared.evidence_id]
    conflicts = [text.strip() for text in declared.conflicts if text.strip()]
    if conflicts:
        return verdict(
            code,
            False,
            f"The assessor declared a conflict with the named parties: {'; '.join(conflicts)}. "
            "Any declared conflict makes the assessor not independent for this commission; the "
            "panel cannot override it, and another assessor must be selected",
            evidence,
        )
    if not declared.no_conflict:
        return verdict(
            code,
            False,
            "The conflict declaration neither confirms no conflict nor names one",
            evidence,
        )
    return verdict(
        code,
        True,
        f"Declared no conflict with the named parties on {long_date(declared.declared_on)}",
        evidence,
    )
