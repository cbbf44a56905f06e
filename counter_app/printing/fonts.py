"""The one typeface of every form: Tinos (Times New Roman metrics, full Vietnamese), embedded.

The TTF files ship in ``resources/fonts/`` with their SIL OFL 1.1 licence; reportlab embeds a
subset with a ToUnicode map, so the text stays extractable. Each style gets its own internal
name (two files under one name in one process mix up their glyphs), and registration is lazy,
idempotent and thread-safe: the UI may print from a worker thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from counter_app import paths

FONT_DIR: Path = paths.RESOURCES / "fonts"
FAMILY = "QMC-Tinos"
REGULAR = f"{FAMILY}-Regular"
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

FILES: dict[str, str] = {
    REGULAR: "Tinos-Regular.ttf",
    BOLD: "Tinos-Bold.ttf",
    ITALIC: "Tinos-Italic.ttf",
    BOLD_ITALIC: "Tinos-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the four styles and the family (so <b>/<i> in paragraphs pick the right file)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in FILES.items():
            path = FONT_DIR / filename
            if not path.is_file():
                raise FileNotFoundError(f"Thiếu tệp phông chữ {path}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
        for name in FILES:  # a style's own name maps to itself, so <b> inside a bold paragraph works
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(
                        name,
                        bold,
                        italic,
                        _style(bold or "Bold" in name, italic or "Italic" in name),
                    )
        _registered = True


def _style(bold: bool, italic: bool) -> str:
    return {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}[
        (bool(bold), bool(italic))
    ]


def missing_glyphs(text: str, font_name: str = REGULAR) -> set[str]:
    """Characters of ``text`` the font cannot draw (they would print as boxes)."""
    register()
    face = pdfmetrics.getFont(font_name).face
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in face.charToGlyph}


def width(text: str, font_name: str, size: float) -> float:
    """Advance width of ``text`` in points."""
    register()
    return pdfmetrics.stringWidth(text, font_name, size)
