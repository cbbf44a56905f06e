"""The server shares only the domain and the wire format with the counter; the counter never imports the server."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "district_server").rglob("*.py")), ids=lambda p: p.name)
def test_server_uses_only_domain_and_wire(path: Path) -> None:
    counter_imports = {m for m in imports(path) if m.startswith("counter_app")}
    assert all(m == "counter_app.wire" or m.startswith("counter_app.domain") for m in counter_imports), (
        counter_imports
    )


@pytest.mark.parametrize("path", sorted((ROOT / "counter_app").rglob("*.py")), ids=str)
def test_counter_never_imports_the_server(path: Path) -> None:
    assert not any(m.startswith(("district_server", "fastapi", "psycopg", "uvicorn")) for m in imports(path))


def test_wire_depends_on_nothing_but_the_domain() -> None:
    counter_imports = {m for m in imports(ROOT / "counter_app" / "wire.py") if m.startswith("counter_app")}
    assert all(m.startswith("counter_app.domain") for m in counter_imports)
    assert "httpx" not in imports(ROOT / "counter_app" / "wire.py")
