"""The two lock files agree: run-app.sh installs requirements-runtime.lock on a counter PC, the tests
and the build install requirements.lock, and a venv may hold either (scripts/setup-env.sh).

The runtime lock must be the full lock's pins for exactly what pyproject's [project.dependencies]
pull in at run time, and none of the server's or the developers' tools.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "requirements.lock"
RUNTIME = ROOT / "requirements-runtime.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Installed by `pip install -e . --no-build-isolation` (setup-env.sh), so both locks pin it.
BUILD_BACKEND = "setuptools"
# Every venv has pip (sqlite-utils depends on it); `pip freeze` never lists it, so no lock pins it.
IN_EVERY_VENV = {"pip"}
NEVER_AT_THE_COUNTER = {"fastapi", "uvicorn", "psycopg", "psycopg-binary", "ruff", "pyinstaller", "pytest"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def pins(path: Path) -> dict[str, str]:
    """name -> version for every ``name==version`` line; anything else but comments is an error."""
    out: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}:{number}: not an exact pin: {raw!r}"
        name = canonicalize_name(match.group(1))
        assert name not in out, f"{path.name}:{number}: {name} pinned twice"
        out[name] = match.group(2)
    return out


def runtime_closure() -> set[str]:
    """pyproject's runtime dependencies and, from the installed metadata, theirs (no extras)."""
    todo = [Requirement(spec) for spec in PYPROJECT["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            raise AssertionError(f"{name} is not installed in the test venv (full lock)") from None
        for spec in requires:
            sub = Requirement(spec)
            if sub.marker is None or sub.marker.evaluate({"extra": ""}):
                todo.append(sub)
    return seen - IN_EVERY_VENV


def test_runtime_lock_is_a_subset_of_the_full_lock_with_identical_pins() -> None:
    full, runtime = pins(FULL), pins(RUNTIME)
    missing = sorted(set(runtime) - set(full))
    assert not missing, f"in requirements-runtime.lock but not in requirements.lock: {missing}"
    differ = {name: (runtime[name], full[name]) for name in runtime if runtime[name] != full[name]}
    assert not differ, f"pinned differently (runtime, full): {differ}; run scripts/lock.sh"


def test_every_runtime_dependency_is_pinned_and_satisfies_pyproject() -> None:
    runtime = pins(RUNTIME)
    absent = sorted(runtime_closure() - set(runtime))
    assert not absent, f"needed at run time but missing from requirements-runtime.lock: {absent}"
    for spec in PYPROJECT["project"]["dependencies"]:
        req = Requirement(spec)
        version = runtime[canonicalize_name(req.name)]
        assert req.specifier.contains(version, prereleases=True), f"{req.name}=={version} is outside {spec!r}"
    assert BUILD_BACKEND in runtime, "setup-env.sh installs the package without build isolation"


def test_no_server_or_developer_tool_is_in_the_runtime_lock() -> None:
    runtime = pins(RUNTIME)
    extras = {
        canonicalize_name(Requirement(spec).name)
        for group in ("server", "dev")
        for spec in PYPROJECT["project"]["optional-dependencies"][group]
    }
    forbidden = sorted((NEVER_AT_THE_COUNTER | extras) & set(runtime))
    assert not forbidden, f"server/dev-only packages in requirements-runtime.lock: {forbidden}"
    unneeded = sorted(set(runtime) - runtime_closure() - {BUILD_BACKEND})
    assert not unneeded, f"requirements-runtime.lock pins what the app does not need: {unneeded}"
