"""Regulated, freshly verified, no restriction, and the safeguarding sentences officers read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from registry.eligibility import (
    AssessmentType,
    DbsFact,
    DbsLevel,
    Outcome,
    RegistrationFact,
    assess,
)

TODAY = date(2026, 11, 20)
ADULT = AssessmentType.ADULT_MALE


def registration(**fields) -> RegistrationFact:
    defaults = {
        "registration_id": 21,
        "body": "hcpc",
        "profession": "practitioner_psychologist",
        "outcome": Outcome.CLEAR,
        "checked_on": TODAY - timedelta(days=2),
        "evidence_id": 121,
        "entries": ("forensic",),
    }
    return RegistrationFact(**{**defaults, **fields})


def rules_for(baseline, policy, *registrations, kind=ADULT):
    facts = replace(baseline.facts(kind), registrations=registrations)
    return assess(facts, baseline.case(kind), policy, TODAY)


def test_regulated_sentence_says_what_the_register_showed_and_when(baseline, gate_policy):
    result = rules_for(baseline, gate_policy, *baseline.facts(ADULT).registrations)
    assert result.rule("regulated").sentence == (
        "Registered with HCPC as a practitioner psychologist (forensic); the public register "
        "showed 'Registered' on 17 November 2026."
    )
    assert result.rule("freshly_verified").sentence == (
        "The registration was checked against the public register on 17 November 2026, within "
        "30 days; the period shown runs to 25 December 2027."
    )


def test_manual_check_is_labelled_as_manual(baseline, gate_policy):
    manual = registration(
        body="sssc",
        profession="social_worker",
        entries=(),
        manual=True,
        checked_on=date(2026, 11, 10),
    )
    result = rules_for(baseline, gate_policy, manual)
    assert result.rule("regulated").sentence == (
        "Registered with SSSC as a social worker; a register manager checked the register by "
        "hand on 10 November 2026 and it showed 'Registered'."
    )
    assert result.rule("freshly_verified").passed


@pytest.mark.parametrize("body", ["bps", "ukcp", "bacp"])
def test_membership_of_a_non_statutory_body_never_counts(baseline, gate_policy, body):
    result = rules_for(baseline, gate_policy, registration(body=body))
    assert not result.rule("regulated").passed
    assert result.rule("regulated").sentence.startswith(
        f"No statutory registration: {body.upper()} membership is not a statutory registration"
    )


def test_chartered_psychologist_with_a_clear_hcpc_entry_is_regulated(baseline, gate_policy):
    result = rules_for(
        baseline, gate_policy, registration(body="bps", registration_id=30), registration()
    )
    assert result.eligible
    assert result.rule("regulated").evidence_ids == (121,)


def test_registration_not_accepted_for_the_type_is_explained(baseline, gate_policy):
    educational = registration(entries=("educational",))
    result = rules_for(baseline, gate_policy, educational)
    assert result.rule("regulated").sentence.startswith(
        "The recorded registration (HCPC practitioner psychologist (educational)) is not "
        "accepted for this assessment; it needs HCPC practitioner psychologist (forensic, "
        "clinical or counselling), GMC psychiatrist"
    )


def test_a_blocked_registration_is_reported_with_its_check_date(baseline, gate_policy):
    blocked = registration(outcome=Outcome.BLOCKED, checked_on=date(2026, 11, 1))
    assert rules_for(baseline, gate_policy, blocked).rule("regulated").sentence == (
        "Registered with HCPC as a practitioner psychologist (forensic), but the latest check of "
        "the register on 1 November 2026 found the registration not in force (suspended, "
        "removed, lapsed or ended)."
    )


def test_an_unreadable_register_never_clears_anyone(baseline, gate_policy):
    unreadable = registration(outcome=Outcome.UNREADABLE)
    assert not rules_for(baseline, gate_policy, unreadable).eligible


@pytest.mark.parametrize(
    ("kind", "profession", "entries", "accepted"),
    [
        (ADULT, "psychiatrist", ("forensic_psychiatry",), True),
        (ADULT, "psychiatrist", ("child_and_adolescent_psychiatry",), False),
        (
            AssessmentType.YOUNG_PERSON_HSB,
            "psychiatrist",
            ("child_and_adolescent_psychiatry",),
            True,
        ),
        (AssessmentType.LEARNING_DISABILITY, "learning_disability_nurse", (), True),
        (ADULT, "learning_disability_nurse", (), False),
        (AssessmentType.FEMALE, "mental_health_nurse", (), False),
    ],
)
def test_assessment_type_names_the_professions_it_accepts(
    baseline, gate_policy, kind, profession, entries, accepted
):
    body = "gmc" if profession == "psychiatrist" else "nmc"
    chosen = registration(body=body, profession=profession, entries=entries)
    result = rules_for(baseline, gate_policy, chosen, kind=kind)
    assert result.rule("regulated").passed is accepted


def test_a_fresh_clear_registration_is_preferred_to_a_stale_one(baseline, gate_policy):
    stale = registration(registration_id=22, evidence_id=122, checked_on=TODAY - timedelta(60))
    fresh = registration(
        registration_id=23, evidence_id=123, body="swe", profession="social_worker", entries=()
    )
    result = rules_for(baseline, gate_policy, stale, fresh)
    assert result.eligible
    assert result.rule("freshly_verified").evidence_ids == (123,)


def test_another_lapsed_registration_does_not_stop_a_clear_one(baseline, gate_policy):
    lapsed = registration(
        registration_id=24, body="nmc", profession="mental_health_nurse", outcome=Outcome.BLOCKED
    )
    assert rules_for(baseline, gate_policy, registration(), lapsed).eligible


def test_conditions_are_quoted_and_sent_to_a_person(baseline, gate_policy):
    conditioned = registration(conditions="Must not work with children unsupervised")
    rule = rules_for(baseline, gate_policy, conditioned).rule("no_restriction")
    assert rule.sentence == (
        "The HCPC practitioner psychologist (forensic) registration shows conditions: 'Must not "
        "work with children unsupervised'. A sanction on any statutory registration makes the "
        "assessor ineligible, even when another registration is clear."
    )
    assert rule.evidence_ids == (121,)


def test_stale_check_sentence_asks_for_a_new_check(baseline, gate_policy):
    stale = registration(checked_on=date(2026, 10, 20))
    assert rules_for(baseline, gate_policy, stale).rule("freshly_verified").sentence == (
        "The registration was last checked against the public register on 20 October 2026, "
        "more than 30 days ago; it must be checked again."
    )


def test_old_dbs_not_on_the_update_service_is_explained(baseline, gate_policy):
    dbs = DbsFact(level=DbsLevel.ENHANCED, issued_on=date(2022, 5, 4), evidence_id=9)
    facts = replace(baseline.facts(ADULT), dbs=dbs)
    rule = assess(facts, baseline.case(ADULT), gate_policy, TODAY).rule("safeguarding_check")
    assert rule.sentence == (
        "The enhanced DBS certificate issued 4 May 2022 is more than 3 years old and is not on "
        "the Update Service."
    )
    assert rule.evidence_ids == (9,)


def test_old_dbs_with_a_recent_update_service_check_counts(baseline, gate_policy):
    dbs = DbsFact(
        level=DbsLevel.ENHANCED_BARRED,
        issued_on=date(2019, 2, 1),
        update_service=True,
        last_status_check_on=date(2026, 11, 2),
        disclosure=True,
        disclosure_decision_recorded=True,
        evidence_id=9,
    )
    facts = replace(baseline.facts(ADULT), dbs=dbs)
    rule = assess(facts, baseline.case(ADULT), gate_policy, TODAY).rule("safeguarding_check")
    assert rule.passed
    assert rule.sentence == (
        "Enhanced DBS certificate with a barred-list check issued 1 February 2019; on the Update "
        "Service, status checked 2 November 2026; its disclosure has a recorded decision."
    )


def test_insurance_sentence_names_the_needed_by_date(baseline, gate_policy):
    facts = baseline.nested(baseline.facts(ADULT), "insurance", expires_on=date(2027, 1, 1))
    rule = assess(facts, baseline.case(ADULT), gate_policy, TODAY).rule("insured")
    assert rule.sentence == (
        "The indemnity insurance expires on 1 January 2027, not after the date the report is "
        "needed by (1 January 2027)."
    )
