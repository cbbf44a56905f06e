"""Per-PC window preferences (size, maximised, preview choice) in an INI file beside the database.

QSettings' native store would be the registry per Windows account; the counter's data folder is
what every officer of the PC shares, and tests redirect it with COUNTER_DATA_DIR.
"""

from __future__ import annotations

from counter_app import paths
from counter_app.ui.qt import QtCore


def prefs() -> QtCore.QSettings:
    return QtCore.QSettings(str(paths.data_dir() / "window.ini"), QtCore.QSettings.Format.IniFormat)
