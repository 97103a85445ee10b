"""Every flash in the code says what kind of message it is, and a success never reports a failure.

base.html shows a green "Success" banner only for category "success", an "Important" banner for
"warning" and a GOV.UK error summary for "error"; a flash without a category would fall back to
Flask's "message". This test reads the source, so a new flash cannot slip through untested.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = {"success", "warning", "error"}
FAILURE_WORDS = ("could not", "couldn't", "not ", "failed", "unreadable", "pending", "refused")


def _flash_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for package in ("registry", "assessors"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _name(node.func) == "flash":
                    calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _category(call: ast.Call) -> ast.expr | None:
    if len(call.args) >= 2:
        return call.args[1]
    return next((kw.value for kw in call.keywords if kw.arg == "category"), None)


def _possible_categories(node: ast.expr) -> set[str] | None:
    """The literal categories an expression can give: a constant, or either side of an if."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _possible_categories(node.body), _possible_categories(node.orelse)
        if body is not None and orelse is not None:
            return body | orelse
    return None


def _texts(node: ast.expr) -> list[str]:
    """The literal words of a message: constants, f-string parts, dict values, either if branch."""
    return [
        part.value
        for part in ast.walk(node)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    ]


CALLS = _flash_calls()


def test_the_walk_finds_the_flashes():
    assert len(CALLS) > 40
    assert any(where.startswith("assessors/") for where, _ in CALLS)


@pytest.mark.parametrize(("where", "call"), CALLS, ids=[where for where, _ in CALLS])
def test_every_flash_has_an_explicit_category(where, call):
    category = _category(call)
    assert category is not None, f"{where}: flash without a category"
    found = _possible_categories(category)
    assert found is not None, f"{where}: the category is not a literal"
    assert found <= CATEGORIES, f"{where}: category {found - CATEGORIES}"


@pytest.mark.parametrize(("where", "call"), CALLS, ids=[where for where, _ in CALLS])
def test_a_success_message_reports_no_failure(where, call):
    category = _category(call)
    found = _possible_categories(category) if category is not None else None
    if found != {"success"}:
        return
    for text in _texts(call.args[0]):
        for word in FAILURE_WORDS:
            assert word not in text.lower(), f"{where}: success says {word!r}: {text!r}"


def test_base_template_renders_each_category(app):
    from flask import flash, render_template_string

    with app.test_request_context("/"):
        flash("It worked.", "success")
        flash("Check your registration.", "warning")
        flash("That did not work.", "error")
        page = render_template_string('{% extends "base.html" %}{% block title %}T{% endblock %}')
    assert "govuk-notification-banner--success" in page
    success_banner = page.split("govuk-notification-banner--success", 1)[1]
    assert "It worked." in success_banner
    assert "That did not work." not in success_banner
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    assert page.index("That did not work.") < page.index("govuk-notification-banner--success")
    assert "Important" in page
    assert "Check your registration." in page


def test_what_a_register_check_showed_is_a_success_only_when_clear():
    from assessors.registration_words import _WORDS, check_words

    for outcome in _WORDS:
        words = check_words(outcome)
        assert words.category in CATEGORIES
        if words.category == "success":
            assert outcome == "clear"
            for word in FAILURE_WORDS:
                assert word not in words.sentence.lower(), (outcome, word)
