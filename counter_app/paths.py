"""Where bundled data and the user's data live, in a source tree, an installed package or a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "quay-mot-cua"


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


ROOT = _root()
RESOURCES = Path(os.environ.get("COUNTER_RESOURCES", ROOT / "resources"))
MIGRATIONS = Path(os.environ.get("COUNTER_MIGRATIONS", ROOT / "db"))
CATALOG_FILE = RESOURCES / "catalog" / "procedures.json"
CALENDAR_FILE = RESOURCES / "calendar" / "adjustments.json"


def data_dir() -> Path:
    """The per-user data folder (XDG on Linux, %LOCALAPPDATA% on Windows), overridable for tests."""
    override = os.environ.get("COUNTER_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / APP_DIR_NAME


def default_db_path() -> Path:
    return data_dir() / "counter.db"
