"""What the profile pages show: forms filled from rows, and each item summarised in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.fields.core import UnboundField

from assessors.documents import documents_of
from assessors.overview import Section
from assessors.profile_forms import ITEM_FORMS, OTHER_QUALIFICATION, ServicesForm
from registry.models import Assessor
from registry.policy import Policy
from registry.policy_store import current_policy
from registry.templating import money, uk_date
from registry.vocabulary import DbsLevel, OffenceCategory, Population, Purpose, label_of

Rows = list[tuple[str, str]]

# Per section: the words for "a qualification" etc., used in headings and buttons.
NOUNS = {
    "qualification": "qualification",
    "tool_training": "tool training record",
    "experience_entry": "experience entry",
    "referee": "referee",
    "dbs_check": "DBS certificate",
    "insurance": "insurance policy",
    "cpd_record": "CPD record",
    "supervision": "supervision arrangement",
}
# Each noun with its article: "an experience entry", "a DBS certificate".
WITH_ARTICLE = {key: ("an " if noun[0] in "aeiou" else "a ") + noun for key, noun in NOUNS.items()}


def item_form(section: Section, assessor: Assessor, policy: Policy, item: Any = None) -> FlaskForm:
    """The section's form, filled from the item when changing one, with its choices set."""
    form_class = ITEM_FORMS[section.item_type]
    form = form_class(data=_initial(section.item_type, item) if item is not None else None)
    if hasattr(form, "document_id"):
        form.document_id.choices = [SelectChoice("", "No document")] + [
            SelectChoice(str(d.id), f"{d.description} ({d.original_name})")
            for d in documents_of(assessor)
        ]
    if hasattr(form, "tool_code"):
        form.tool_code.choices = [SelectChoice("", "Select a tool")] + [
            SelectChoice(tool.code, tool.name) for tool in policy.tools
        ]
    if hasattr(form, "kind"):
        form.kind.choices = [SelectChoice(q.code, q.title) for q in policy.qualifications] + [
            SelectChoice(OTHER_QUALIFICATION, "Another qualification")
        ]
    return form


def services_form(assessor: Assessor) -> ServicesForm:
    """The services form, filled from the assessor's record."""
    return ServicesForm(
        data={
            "regions": assessor.regions or [],
            "languages": ", ".join(assessor.languages or []),
            "availability": assessor.availability,
            "day_rate": _pounds(assessor.day_rate_pence),
        }
    )


def _initial(item_type: str, item: Any) -> dict[str, Any]:
    form_class = ITEM_FORMS[item_type]
    values = {name: getattr(item, name) for name in _field_names(form_class) if hasattr(item, name)}
    if "document_id" in values:
        values["document_id"] = str(item.document_id or "")
    for name in ("update_service", "disclosure"):
        if name in values:
            values[name] = "yes" if values[name] else "no"
    if item_type == "insurance":
        values["cover"] = _pounds(item.cover_pence)
    if item_type == "dbs_check":
        values["level"] = str(item.level)
    if item_type == "qualification":
        values["kind"] = item.kind or OTHER_QUALIFICATION
    return values


def _field_names(form_class: type[FlaskForm]) -> list[str]:
    return [n for n in dir(form_class) if isinstance(getattr(form_class, n, None), UnboundField)]


def _pounds(pence: int | None) -> str:
    if pence is None:
        return ""
    pounds, remainder = divmod(pence, 100)
    return f"{pounds}.{remainder:02d}" if remainder else str(pounds)


def _words(vocabulary: type, code: str) -> str:
    """A code's in-sentence words, as a heading or a cell: first letter capital."""
    text = label_of(code, vocabulary, lower=True)
    return text[:1].upper() + text[1:]


def _tool_name(code: str) -> str:
    found = current_policy().tool(code)
    return found.name if found else code


def _qualification_kind(code: str | None) -> str:
    found = current_policy().qualification(code)
    if found is None:
        return "Another qualification (does not count towards being qualified)"
    return found.title


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _evidence(item: Any) -> Rows:
    document = getattr(item, "document", None)
    return [("Evidence", document.description if document else "None")]


SUMMARIES: dict[str, Callable[[Any], tuple[str, Rows]]] = {
    "qualification": lambda q: (
        q.title,
        [
            ("Kind", _qualification_kind(q.kind)),
            ("Awarded by", q.awarding_body),
            ("Date awarded", uk_date(q.awarded_on)),
            *_evidence(q),
        ],
    ),
    "tool_training": lambda t: (
        _tool_name(t.tool_code),
        [
            ("Trained by", t.trainer),
            ("Date trained", uk_date(t.trained_on)),
            ("Refresher due", uk_date(t.refresher_due) or "Not stated"),
            ("Owner's approval", t.owner_approval_reference or "Not needed"),
            *_evidence(t),
        ],
    ),
    "experience_entry": lambda e: (
        _words(OffenceCategory, e.offence_category),
        [
            ("Subjects", _words(Population, e.population)),
            ("Kind", _words(Purpose, e.assessment_purpose)),
            ("Number of assessments", str(e.count)),
            ("Period", f"{uk_date(e.period_from)} to {uk_date(e.period_to)}"),
            ("Last case", uk_date(e.last_case_on)),
        ],
    ),
    "referee": lambda r: (
        r.name,
        [("Job title", r.role), ("Organisation", r.organisation), ("Email", r.email)],
    ),
    "dbs_check": lambda d: (
        f"Certificate issued {uk_date(d.issued_on)}",
        [
            ("Level", label_of(d.level, DbsLevel)),
            ("Certificate number", d.certificate_number),
            ("On the Update Service", _yes(d.update_service)),
            ("Last status check", uk_date(d.last_status_check_on) or "None"),
            ("Discloses information", _yes(d.disclosure)),
            *_evidence(d),
        ],
    ),
    "insurance": lambda i: (
        i.insurer,
        [
            ("Policy number", i.policy_number),
            ("Cover", money(i.cover_pence)),
            ("Expires", uk_date(i.expires_on)),
            ("Covers expert reports", _yes(i.covers_expert_reports)),
            *_evidence(i),
        ],
    ),
    "cpd_record": lambda c: (
        c.title,
        [("Completed", uk_date(c.completed_on)), ("Hours", str(c.hours)), *_evidence(c)],
    ),
    "supervision": lambda s: (
        s.supervisor_name,
        [
            ("Arrangement", s.arrangement),
            ("How often", s.frequency),
            ("Started", uk_date(s.started_on)),
        ],
    ),
}


def summaries(item_type: str, items: list[Any]) -> list[tuple[Any, str, Rows]]:
    """Each item with a heading and its rows of words."""
    return [(item, *SUMMARIES[item_type](item)) for item in items]
