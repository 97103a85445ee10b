"""Load policy/eligibility.toml into a validated, frozen Policy, and describe it in plain English.

Pure: stdlib only. A malformed file raises PolicyError naming the file and the bad key, so a bad
policy stops the app at start-up instead of letting the gate run on a guess.
"""

from __future__ import annotations

import enum
import tomllib
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from registry.eligibility.explain import PolicySection, describe
from registry.eligibility.policy_model import (
    TOOL_KINDS,
    AcceptedRegistration,
    AssessmentTypeRule,
    Body,
    Freshness,
    Policy,
    PopulationRule,
    Profession,
    QualificationKind,
    Safeguarding,
    Tool,
)
from registry.eligibility.vocabulary import (
    AgeBand,
    AssessmentType,
    ConvictionStatus,
    DbsLevel,
    OffenceCategory,
    Population,
    Purpose,
)

__all__ = [
    "AcceptedRegistration",
    "AssessmentTypeRule",
    "Body",
    "Freshness",
    "Policy",
    "PolicyError",
    "PolicySection",
    "PopulationRule",
    "Profession",
    "Safeguarding",
    "Tool",
    "describe",
    "load_policy",
]


class PolicyError(Exception):
    """The policy file is missing, is not TOML, or breaks a rule of its shape."""


_MISSING: Any = object()
E = TypeVar("E", bound=enum.StrEnum)


class _Table:
    """A TOML table read key by key, failing with the file and the dotted key of the fault."""

    def __init__(self, source: str, path: str, data: object) -> None:
        self.source, self.path = source, path
        if not isinstance(data, dict):
            raise PolicyError(f"{source}: {path} must be a table")
        self.data: dict[str, Any] = data
        self.seen: set[str] = set()

    def fail(self, key: str, message: str) -> NoReturn:
        raise PolicyError(f"{self.source}: {self.key(key)} {message}")

    def key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = _MISSING) -> Any:
        self.seen.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            self.fail(key, "is missing")
        return default

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        return value

    def flag(self, key: str, default: bool = _MISSING) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value

    def count(self, key: str, default: int = _MISSING) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, "must be a positive integer")
        return value

    def words(self, key: str, allowed: Any, noun: str, default: Any = ()) -> tuple[str, ...]:
        values = self.get(key, default)
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            self.fail(key, "must be a list of strings")
        for value in values:
            if value not in allowed:
                self.fail(key, f"names an unknown {noun} {value!r}")
        return tuple(values)

    def members(self, key: str, kind: type[E], noun: str, default: Any = ()) -> tuple[E, ...]:
        required = default is _MISSING
        values = tuple(kind(v) for v in self.words(key, list(kind), noun, default))
        if required and not values:
            self.fail(key, f"must name at least one {noun}")
        return values

    def table(self, key: str, default: Any = _MISSING) -> _Table:
        return _Table(self.source, self.key(key), self.get(key, default))

    def tables(self, key: str) -> dict[str, _Table]:
        parent = self.table(key)
        return {name: parent.table(name) for name in parent.data}

    def finish(self) -> None:
        for key in self.data:
            if key not in self.seen:
                self.fail(key, "is not a setting the policy knows")


def load_policy(path: str | Path) -> Policy:
    """Load and validate the policy file. Raises PolicyError naming the file and the bad key."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise PolicyError(f"{source}: cannot be read ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source}: is not valid TOML ({error})") from error
    return _policy(_Table(source, "", data))


def _policy(root: _Table) -> Policy:
    version = root.text("version")
    freshness = _freshness(root.table("freshness"))
    safeguarding = _safeguarding(root.table("safeguarding"))
    defaults = root.table("experience")
    bodies = tuple(_body(code, t) for code, t in root.tables("bodies").items())
    professions = tuple(_profession(code, t) for code, t in root.tables("professions").items())
    populations = _populations(root, defaults)
    tools = tuple(_tool(code, t, freshness) for code, t in root.tables("tools").items())
    qualifications = tuple(
        _qualification(code, t) for code, t in root.tables("qualifications").items()
    )
    qualified = _qualified_lists(root.table("qualified"), professions, qualifications)
    types = _assessment_types(root, defaults, bodies, professions, qualifications, qualified)
    defaults.finish()
    root.finish()
    return Policy(
        version,
        root.source,
        freshness,
        safeguarding,
        bodies,
        professions,
        populations,
        tools,
        types,
        qualifications,
    )


def _freshness(table: _Table) -> Freshness:
    result = Freshness(
        registration_check_days=table.count("registration_check_days"),
        manual_registration_check_days=table.count("manual_registration_check_days"),
        attestation_days=table.count("attestation_days"),
        cpd_months=table.count("cpd_months"),
        tool_refresher_years=table.count("tool_refresher_years"),
    )
    if result.manual_registration_check_days > result.registration_check_days:
        # Nothing watches a hand-checked entry between two checks: its check must be more recent.
        table.fail(
            "manual_registration_check_days",
            "must not be longer than registration_check_days: a check made by hand is not "
            "monitored in between, so it must be at least as recent as an automated one",
        )
    table.finish()
    return result


def _safeguarding(table: _Table) -> Safeguarding:
    result = Safeguarding(
        dbs_levels=table.members("dbs_levels", DbsLevel, "DBS level", _MISSING),
        dbs_certificate_years=table.count("dbs_certificate_years"),
        dbs_status_check_days=table.count("dbs_status_check_days"),
    )
    table.finish()
    return result


def _body(code: str, table: _Table) -> Body:
    result = Body(code, table.text("name"), table.text("short_name"), table.flag("statutory"))
    table.finish()
    return result


def _profession(code: str, table: _Table) -> Profession:
    entries = table.table("entries", {})
    for key in entries.data:
        entries.text(key)
    result = Profession(code, table.text("title"), tuple(entries.data.items()))
    table.finish()
    return result


def _qualification(code: str, table: _Table) -> QualificationKind:
    result = QualificationKind(code, table.text("title"))
    table.finish()
    return result


def _qualified_lists(
    table: _Table,
    professions: tuple[Profession, ...],
    qualifications: tuple[QualificationKind, ...],
) -> dict[str, tuple[str, ...]]:
    """A table of profession -> qualification codes, each code one the policy lists."""
    known = {q.code: q for q in qualifications}
    found = {}
    for key in list(table.data):
        if not any(p.code == key for p in professions):
            table.fail(key, f"names an unknown profession {key!r}")
        codes = table.words(key, known, "qualification", _MISSING)
        if not codes:
            table.fail(key, "must name at least one qualification")
        found[key] = codes
    table.finish()
    return found


def _populations(root: _Table, defaults: _Table) -> tuple[PopulationRule, ...]:
    found = _exactly(root, "populations", Population)
    rules = []
    for key, table in found.items():
        rules.append(
            PopulationRule(
                key=key,
                title=table.text("title"),
                special=table.flag("special"),
                min_assessments=table.count("min_assessments", defaults.count("min_assessments")),
                window_years=table.count("window_years", defaults.count("window_years")),
                needs_tool=table.flag("needs_tool", False),
            )
        )
        table.finish()
    return tuple(rules)


def _tool(code: str, table: _Table, freshness: Freshness) -> Tool:
    kind = table.text("kind")
    if kind not in TOOL_KINDS:
        table.fail("kind", f"must be one of {', '.join(TOOL_KINDS)}")
    result = Tool(
        code=code,
        name=table.text("name"),
        kind=kind,
        owner=table.text("owner"),
        populations=table.members("populations", Population, "population", _MISSING),
        requires_populations=table.members("requires_populations", Population, "population"),
        age_bands=table.members("age_bands", AgeBand, "age band", list(AgeBand)),
        conviction_statuses=table.members(
            "conviction_statuses", ConvictionStatus, "conviction status", list(ConvictionStatus)
        ),
        requires_offences=table.members("requires_offences", OffenceCategory, "offence category"),
        not_when_only=table.members("not_when_only", OffenceCategory, "offence category"),
        training_required=table.flag("training_required"),
        owner_approval_required=table.flag("owner_approval_required"),
        refresher_years=table.count("refresher_years", freshness.tool_refresher_years),
    )
    table.finish()
    return result


def _assessment_types(
    root: _Table,
    defaults: _Table,
    bodies: tuple[Body, ...],
    professions: tuple[Profession, ...],
    qualifications: tuple[QualificationKind, ...],
    qualified: dict[str, tuple[str, ...]],
) -> tuple[AssessmentTypeRule, ...]:
    found = _exactly(root, "assessment_types", AssessmentType)
    rules = []
    for key, table in found.items():
        accepted = _accepted(table, bodies, professions)
        lists = {
            **qualified,
            **_qualified_lists(table.table("qualified", {}), professions, qualifications),
        }
        for registration in accepted:
            if registration.profession not in lists:
                table.fail(
                    "registrations",
                    f"accepts the profession {registration.profession!r}, but the policy lists "
                    "no qualification that makes it qualified ([qualified])",
                )
        rules.append(
            AssessmentTypeRule(
                key=key,
                title=table.text("title"),
                registrations=accepted,
                experience_purposes=table.members(
                    "experience_purposes", Purpose, "purpose", _MISSING
                ),
                required_populations=table.members(
                    "required_populations", Population, "population"
                ),
                tool_required=table.flag("tool_required"),
                subject_is_offender=table.flag("subject_is_offender"),
                min_assessments=table.count("min_assessments", defaults.count("min_assessments")),
                window_years=table.count("window_years", defaults.count("window_years")),
                last_case_within_years=table.count(
                    "last_case_within_years", defaults.count("last_case_within_years")
                ),
                qualified=tuple(
                    (p, lists[p]) for p in dict.fromkeys(r.profession for r in accepted)
                ),
            )
        )
        table.finish()
    return tuple(rules)


def _accepted(
    table: _Table, bodies: tuple[Body, ...], professions: tuple[Profession, ...]
) -> tuple[AcceptedRegistration, ...]:
    items = table.get("registrations", [])
    if not isinstance(items, list) or not items:
        table.fail("registrations", "must list at least one acceptable registration")
    accepted = []
    for index, item in enumerate(items):
        entry = _Table(table.source, table.key(f"registrations[{index}]"), item)
        body = next((b for b in bodies if b.code == entry.text("body")), None)
        if body is None:
            entry.fail("body", f"names an unknown body {entry.data['body']!r}")
        if not body.statutory:
            entry.fail("body", f"names {body.short_name}, which is not a statutory regulator")
        profession = next((p for p in professions if p.code == entry.text("profession")), None)
        if profession is None:
            entry.fail("profession", f"names an unknown profession {entry.data['profession']!r}")
        entries = entry.words("entries", dict(profession.entries), "register entry")
        accepted.append(AcceptedRegistration(body.code, profession.code, entries))
        entry.finish()
    return tuple(accepted)


def _exactly(root: _Table, key: str, kind: type[E]) -> dict[E, _Table]:
    """The sub-tables of `key`, one for each member of `kind`: the gate needs every one."""
    found = root.tables(key)
    for name in found:
        if name not in list(kind):
            root.fail(f"{key}.{name}", "is not known to the gate")
    missing = [member for member in kind if member not in found]
    if missing:
        root.fail(f"{key}.{missing[0]}", "is missing")
    return {member: found[member] for member in kind}
