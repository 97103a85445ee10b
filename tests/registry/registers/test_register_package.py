"""The registers package knows HTTP and parsing, and nothing of Flask, the database or sleep."""

import ast
from pathlib import Path

import pytest

import registry.registers
from registry.registers import LIVE_BASE_URLS, REGISTERS, get_register
from registry.registers.base import RegisterAdapter

PACKAGE = Path(registry.registers.__file__).parent
FORBIDDEN = ("flask", "flask_login", "flask_sqlalchemy", "sqlalchemy", "registry.models")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_imports_flask_or_the_database(path):
    for name in imported_modules(path):
        assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_sleeps(path):
    source = path.read_text(encoding="utf-8")
    assert "sleep(" not in source


def test_every_register_has_a_live_base_url_and_builds_an_adapter():
    assert set(REGISTERS) == set(LIVE_BASE_URLS)
    for code, base_url in LIVE_BASE_URLS.items():
        assert base_url.startswith("https://")
        adapter = get_register(code, base_url=base_url)
        assert isinstance(adapter, RegisterAdapter)
        assert adapter.code == code


def test_register_table_cannot_be_patched():
    with pytest.raises(TypeError):
        REGISTERS["hcpc"] = REGISTERS["gmc"]  # type: ignore[index]
