"""Rules about statutory registration: regulated, freshly verified, no restriction."""

from __future__ import annotations

from datetime import date

from registry.eligibility.facts import RegistrationFact
from registry.eligibility.results import Inputs, RuleResult, verdict
from registry.eligibility.vocabulary import Outcome, RuleCode
from registry.eligibility.wording import (
    OUTCOME_WORDS,
    accepted_words,
    body_name,
    join,
    long_date,
    registration_words,
    role_words,
    words,
)


def statutory(i: Inputs) -> list[RegistrationFact]:
    """Registrations with a statutory regulator; BPS, UKCP and BACP memberships never count."""
    return [r for r in i.facts.registrations if _is_statutory(i, r.body)]


def acceptable(i: Inputs) -> list[RegistrationFact]:
    """Statutory registrations the assessment type accepts, whatever their latest outcome.

    A registration a register manager rejected is never relied on.
    """
    return [
        r
        for r in statutory(i)
        if not r.rejected
        and any(
            r.body == a.body
            and r.profession == a.profession
            and (not a.entries or any(e in a.entries for e in r.entries))
            for a in i.kind.registrations
        )
    ]


def relied_on(i: Inputs) -> RegistrationFact | None:
    """The clear, acceptable registration the gate relies on: fresh and unconditioned first."""
    clear = [r for r in acceptable(i) if r.outcome == Outcome.CLEAR]
    if not clear:
        return None
    return max(
        clear,
        key=lambda r: (
            _fresh_problem(i, r) is None,
            not _conditions(r),
            r.checked_on or date.min,
            -r.registration_id,
        ),
    )


def regulated(i: Inputs) -> RuleResult:
    """Passes when a registration the assessment type accepts was found clear on its register."""
    chosen = relied_on(i)
    if chosen is not None:
        return verdict(
            RuleCode.REGULATED,
            True,
            f"Registered with {body_name(i.policy, chosen.body)} as a {_role(i, chosen)}; "
            + _what_was_seen(chosen),
            [chosen.evidence_id],
        )
    return verdict(RuleCode.REGULATED, False, *_why_not_regulated(i))


def _why_not_regulated(i: Inputs) -> tuple[str, list[int | None]]:
    candidates = acceptable(i)
    if candidates:
        latest = max(candidates, key=lambda r: (r.checked_on or date.min, -r.registration_id))
        when = f" on {long_date(latest.checked_on)}" if latest.checked_on else ""
        return (
            f"Registered with {body_name(i.policy, latest.body)} as a {_role(i, latest)}, but "
            f"the latest check of the register{when} found "
            f"{words(OUTCOME_WORDS, latest.outcome)}"
            + (
                f" (the register shows '{latest.register_status}')"
                if latest.register_status
                else ""
            ),
            [latest.evidence_id],
        )
    accepted = join((accepted_words(i.policy, a) for a in i.kind.registrations), "or")
    held = statutory(i)
    if held:
        shown = join(_registration(i, r) for r in held)
        return (
            f"The recorded registration ({shown}) is not accepted for this assessment; "
            f"it needs {accepted}",
            [r.evidence_id for r in held],
        )
    others = sorted({body_name(i.policy, r.body) for r in i.facts.registrations})
    if others:
        return (
            f"No statutory registration: {join(others)} membership is not a statutory "
            f"registration and does not count; this assessment needs {accepted}",
            [],
        )
    return f"No statutory registration is recorded; this assessment needs {accepted}", []


def freshly_verified(i: Inputs) -> RuleResult:
    """Passes when that clear result is recent enough and the period shown has not ended."""
    chosen = relied_on(i)
    if chosen is None:
        return verdict(
            RuleCode.FRESHLY_VERIFIED,
            False,
            "There is no clear, accepted registration whose check could be recent",
        )
    problem = _fresh_problem(i, chosen)
    if problem is not None:
        return verdict(RuleCode.FRESHLY_VERIFIED, False, problem, [chosen.evidence_id])
    assert chosen.checked_on is not None  # _fresh_problem reports a missing date
    how = "checked by hand" if chosen.manual else "checked against the public register"
    limit = _limit(i, chosen)
    text = f"The registration was {how} on {long_date(chosen.checked_on)}, within {limit} days"
    warning = None
    if chosen.period_to is not None:
        text += f"; the period shown runs to {long_date(chosen.period_to)}"
        if chosen.period_to < i.case.needed_by:
            warning = (
                f"The registration period shown on the register ends on "
                f"{long_date(chosen.period_to)}, before the report is needed by "
                f"{long_date(i.case.needed_by)}. The register is checked again before then; if "
                "the registration is not renewed the assessor stops being eligible and you are told"
            )
    return verdict(RuleCode.FRESHLY_VERIFIED, True, text, [chosen.evidence_id], warning=warning)


def no_restriction(i: Inputs) -> RuleResult:
    """Fails on a sanction on ANY statutory registration held or declared, even when another is
    clear: a suspension, interim order, conditions, undertakings, warning, caution or
    striking-off. A lapse without a sanction (voluntary removal, not renewed) does not fail it."""
    flagged = [
        r for r in statutory(i) if r.sanction or r.outcome == Outcome.RESTRICTED or _conditions(r)
    ]
    if not flagged:
        return verdict(
            RuleCode.NO_RESTRICTION,
            True,
            "No suspension, interim order, conditions, undertakings, warning, caution or "
            "striking-off is recorded on any statutory registration",
        )
    found = "; ".join(_restriction(i, r) for r in flagged)
    return verdict(
        RuleCode.NO_RESTRICTION,
        False,
        f"{found}. A sanction on any statutory registration makes the assessor ineligible, even "
        "when another registration is clear",
        [r.evidence_id for r in flagged],
    )


def _restriction(i: Inputs, registration: RegistrationFact) -> str:
    where = f"The {_registration(i, registration)} registration"
    conditions = _conditions(registration)
    if conditions:
        return f"{where} shows conditions: '{conditions}'"
    status = f" ('{registration.register_status}')" if registration.register_status else ""
    if registration.outcome == Outcome.RESTRICTED:
        return (
            f"{where} shows a restriction{status} (conditions, a warning, a caution or "
            "undertakings)"
        )
    return (
        f"{where} shows a sanction{status} (a suspension, interim order or striking-off), or the "
        "register's wording did not make it certain that it was not one, so it is treated as one"
    )


def _fresh_problem(i: Inputs, registration: RegistrationFact) -> str | None:
    checked = registration.checked_on
    if checked is None:
        return "The date of the last clear check of the registration is not recorded"
    if registration.period_to is not None and registration.period_to < i.today:
        ended = long_date(registration.period_to)
        return f"The registration period shown on the register ended on {ended}"
    limit = _limit(i, registration)
    if (i.today - checked).days > limit:
        how = "checked by hand" if registration.manual else "checked against the public register"
        return (
            f"The registration was last {how} on {long_date(checked)}, more than {limit} days "
            "ago; it must be checked again"
        )
    return None


def _limit(i: Inputs, registration: RegistrationFact) -> int:
    freshness = i.policy.freshness
    if registration.manual:
        return freshness.manual_registration_check_days
    return freshness.registration_check_days


def _what_was_seen(registration: RegistrationFact) -> str:
    status = registration.register_status or "Registered"
    if registration.checked_on is None:
        return f"the register showed '{status}' (date of the check not recorded)"
    day = long_date(registration.checked_on)
    if registration.manual:
        return f"a register manager checked the register by hand on {day} and it showed '{status}'"
    return f"the public register showed '{status}' on {day}"


def _role(i: Inputs, registration: RegistrationFact) -> str:
    return role_words(i.policy, registration.profession, registration.entries)


def _registration(i: Inputs, registration: RegistrationFact) -> str:
    return registration_words(
        i.policy, registration.body, registration.profession, registration.entries
    )


def _conditions(registration: RegistrationFact) -> str:
    return (registration.conditions or "").strip()


def _is_statutory(i: Inputs, code: str) -> bool:
    body = i.policy.body(code)
    return body is not None and body.statutory
