"""The file support asks for: unexpected errors and notable events, outside the database.

Its own small module so the window's crash hook can be installed before the heavy services
(attachments, printing) are imported.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

from counter_app import paths


def log_file() -> Path:
    return paths.data_dir() / "logs" / "counter.log"


def _write_log(level: int, text: str) -> Path:
    target = log_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger = logging.getLogger("counter_app.support")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.log(level, text)
        logger.removeHandler(handler)
        handler.close()
    except OSError:
        pass
    return target


def log_unexpected(exc: BaseException) -> Path:
    """Write the details where support can ask for them; the officer sees a calm one-liner."""
    return _write_log(logging.ERROR, "".join(traceback.format_exception(exc)))


def log_notice(text: str) -> Path:
    """Something support may ask about that is not a fault (a refused scan, say)."""
    return _write_log(logging.INFO, text)
