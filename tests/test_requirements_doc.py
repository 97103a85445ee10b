"""docs/requirements.md defines every requirement ID that the code and the tests cite, each with a
test, and nothing in the repository points to design documents outside it."""

from __future__ import annotations

import re

from config import BASE_DIR

FAMILIES = (
    "AUTH",
    "MFA",
    "SES",
    "AC",
    "IN",
    "FILE",
    "HDR",
    "RATE",
    "LOG",
    "ERR",
    "REG",
    "CFG",
    "DEP",
)
ID = re.compile(rf"\b(?:{'|'.join(FAMILIES)})-\d{{2}}\b")
DOC = BASE_DIR / "docs" / "requirements.md"
# Proved by the tests of other requirements, as the file says.
PROVED_ELSEWHERE = {"ERR-02"}


def _sources(*roots: str) -> list:
    files = [
        p for root in roots for p in (BASE_DIR / root).rglob("*") if p.suffix in {".py", ".html"}
    ]
    return [p for p in files if "__pycache__" not in p.parts]


def _defined() -> set[str]:
    rows = re.findall(r"^\| ((?:[A-Z]+)-\d{2}) \|", DOC.read_text(encoding="utf-8"), re.M)
    return set(rows)


def test_every_cited_requirement_is_defined() -> None:
    cited = {
        match
        for path in [
            *_sources("registry", "assessors", "tests", "templates"),
            BASE_DIR / "config.py",
        ]
        for match in ID.findall(path.read_text(encoding="utf-8"))
    }
    assert cited - _defined() == set()


def test_every_defined_requirement_has_a_test() -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in _sources("tests"))
    untested = {
        rid
        for rid in _defined() - PROVED_ELSEWHERE
        if rid not in tests and rid.replace("-", "").lower() not in tests
    }
    assert untested == set()


def test_nothing_points_outside_the_repository_for_its_design() -> None:
    paths = [
        BASE_DIR / "README.md",
        *(BASE_DIR / "docs").rglob("*.md"),
        *_sources("registry", "assessors", "tests", "simulator", "demo"),
        BASE_DIR / "config.py",
    ]
    outside = "/".join(("shared", "design"))  # spelt so that this file does not match itself
    pointing = [str(p) for p in paths if outside in p.read_text(encoding="utf-8")]
    assert pointing == []
