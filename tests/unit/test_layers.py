"""The layers of DESIGN.md, checked on the source: the domain stays pure, Qt stays in ui/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "counter_app"
FORBIDDEN_IN_DOMAIN = {
    "PySide6",
    "sqlite3",
    "sqlite_utils",
    "httpx",
    "reportlab",
    "barcode",
    "fastapi",
    "psycopg",
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted((PACKAGE / "domain").rglob("*.py")), ids=lambda p: p.name)
def test_domain_imports_no_io_library(path: Path) -> None:
    assert not imported_roots(path) & FORBIDDEN_IN_DOMAIN


@pytest.mark.parametrize(
    "path", sorted(p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts), ids=str
)
def test_only_ui_imports_qt(path: Path) -> None:
    assert "PySide6" not in imported_roots(path)


def test_domain_does_not_import_outer_layers() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for layer in ("store", "services", "ui", "printing", "sync", "cli"):
            assert f"counter_app.{layer}" not in text, f"{path.name} imports counter_app.{layer}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "printing").rglob("*.py")), ids=lambda p: p.name)
def test_printing_is_pure_pdf_making(path: Path) -> None:
    """Forms are built from plain data: no Qt, no SQL, no network, no use cases."""
    assert not imported_roots(path) & {"PySide6", "sqlite3", "sqlite_utils", "httpx"}
    text = path.read_text(encoding="utf-8")
    for layer in ("store", "services", "ui", "sync", "cli"):
        assert f"counter_app.{layer}" not in text


def test_ui_writes_no_sql() -> None:
    for path in (PACKAGE / "ui").rglob("*.py"):
        assert not imported_roots(path) & {"sqlite3", "sqlite_utils"}
        assert "counter_app.store" not in path.read_text(encoding="utf-8")
