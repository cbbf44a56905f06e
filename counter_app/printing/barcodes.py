"""Barcodes drawn as vector rectangles, sized in printer dots so a 203 dpi thermal head keeps them.

Code128: the module pattern comes from python-barcode (``Code128(...).build()``, which switches
to code set C on digit runs) and is drawn here bar by bar, adjacent modules merged into one
rectangle. reportlab's own ``Code128`` widget gives the same 288 modules for a 25-character
dossier code; drawing the pattern ourselves lets us snap the bars to the 203 dpi dot grid and
own the quiet zones (see docs/printing.md for the measurements).

QR: reportlab's ``qrencoder`` (pure Python, no image) builds the matrix; modules are drawn as
rectangles, one run per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from barcode.codex import Code128
from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

THERMAL_DPI = 203
DOT = 72.0 / THERMAL_DPI  # one thermal printer dot, in points (0.125 mm)
CODE128_QUIET_MODULES = 10  # ISO/IEC 15417 minimum quiet zone
QR_QUIET_MODULES = 4  # ISO/IEC 18004 quiet zone


@lru_cache(maxsize=256)
def code128_pattern(data: str) -> str:
    """The module string ('1' = bar) of ``data`` including start, check and stop symbols."""
    return Code128(data).build()[0]


def code128_width(data: str, module: float) -> float:
    """Total width in points of the symbol with both quiet zones."""
    return (len(code128_pattern(data)) + 2 * CODE128_QUIET_MODULES) * module


def _runs(bits: str) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of '1'."""
    start = -1
    for i, bit in enumerate(bits):
        if bit == "1" and start < 0:
            start = i
        elif bit != "1" and start >= 0:
            yield start, i - start
            start = -1
    if start >= 0:
        yield start, len(bits) - start


@lru_cache(maxsize=256)
def qr_matrix(data: str, level: str = "M") -> tuple[str, ...]:
    """Rows of the QR symbol as '1'/'0' strings (smallest version that holds ``data``)."""
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(data)
    qr.make()
    n = qr.moduleCount
    return tuple("".join("1" if qr.isDark(r, c) else "0" for c in range(n)) for r in range(n))


LASER_GRID = 72.0 / 600  # one dot of a 600 dpi laser printer (also on the 300 dpi grid)


def _snap(canv: object, grid: float) -> tuple[float, float]:
    """Offset that moves the flowable's origin onto the printer's dot grid of the page."""
    ax, ay = canv.absolutePosition(0, 0)  # type: ignore[attr-defined]
    return round(ax / grid) * grid - ax, round(ay / grid) * grid - ay


class _GridSymbol(Flowable):
    """A symbol drawn in black rectangles from the flowable's origin snapped to the printer's dot grid."""

    def __init__(self, data: str, *, module: float, grid: float, align: str) -> None:
        super().__init__()
        self.data = data
        self.grid = grid
        self.module = module
        self.hAlign = align

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        dx, dy = _snap(canv, self.grid)
        canv.translate(dx, dy)
        canv.setFillColorRGB(0, 0, 0)
        self.draw_modules(canv)
        canv.restoreState()

    def draw_modules(self, canv: Canvas) -> None:
        raise NotImplementedError


class Code128Bars(_GridSymbol):
    """A Code128 symbol of ``data``; ``module`` is the narrowest bar in points (snap it to dots)."""

    def __init__(
        self, data: str, *, module: float, height: float, grid: float = DOT, align: str = "CENTER"
    ) -> None:
        super().__init__(data, module=module, grid=grid, align=align)
        self.bar_height = height
        self.pattern = code128_pattern(data)
        self.width = (len(self.pattern) + 2 * CODE128_QUIET_MODULES) * module
        self.height = height

    def draw_modules(self, canv: Canvas) -> None:
        x0 = CODE128_QUIET_MODULES * self.module
        for start, length in _runs(self.pattern):
            canv.rect(x0 + start * self.module, 0, length * self.module, self.bar_height, stroke=0, fill=1)


class QrCode(_GridSymbol):
    """A QR symbol (level M by default) with its 4-module quiet zone; ``module`` in points."""

    def __init__(
        self, data: str, *, module: float, level: str = "M", grid: float = DOT, align: str = "CENTER"
    ) -> None:
        super().__init__(data, module=module, grid=grid, align=align)
        self.rows = qr_matrix(data, level)
        self.width = self.height = (len(self.rows) + 2 * QR_QUIET_MODULES) * module

    def draw_modules(self, canv: Canvas) -> None:
        m = self.module
        q = QR_QUIET_MODULES * m
        top = self.height - q
        for r, row in enumerate(self.rows):
            y = top - (r + 1) * m
            for start, length in _runs(row):
                canv.rect(q + start * m, y, length * m, m, stroke=0, fill=1)


def dots(n: int) -> float:
    """``n`` thermal dots in points."""
    return n * DOT


# Narrowest Code128 bar on sheets: 1/100 inch (0.254 mm) on A5 = 3 dots at 300 dpi, 6 at 600 dpi,
# ~2 at 203 dpi; 1/75 inch (0.339 mm) on A4, where there is room, for older or cheaper scanners.
SHEET_MODULE = {"a5": 72 / 100, "a4": 72 / 75}
SHEET_BAR_HEIGHT = {"a5": 11 * 72 / 25.4, "a4": 13 * 72 / 25.4}


def sheet_code128(data: str, paper_key: str) -> Code128Bars:
    """The dossier code's Code128 for an A5/A4 sheet (printed by laser or inkjet printers)."""
    return Code128Bars(
        data, module=SHEET_MODULE[paper_key], height=SHEET_BAR_HEIGHT[paper_key], grid=LASER_GRID
    )
