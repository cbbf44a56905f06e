"""What every form shares: paper, type sizes, the national header, signature blocks, page numbers.

Administrative papers follow NĐ 30/2020/NĐ-CP habits: agency block top left (superior agency in
regular capitals, issuing unit in bold with a short rule under it), national title top right
(bold capitals, motto in bold with a rule as long as the motto), place and date in italics,
title in bold capitals. Sizes scale with the paper: A5 is A4 shrunk by √2, so type shrinks too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.printing import fonts
from counter_app.printing.formatting import clean, escape_line, one_line

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ROLL_WIDTH = 80 * mm
ROLL_PRINTABLE = 72 * mm  # what a 203 dpi head prints (576 dots)


@dataclass(frozen=True)
class Paper:
    """A sheet and its margins; ``base`` is the body type size in points."""

    key: str
    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    base: float

    @property
    def frame_width(self) -> float:
        return self.size[0] - self.left - self.right


PAPERS: dict[str, Paper] = {
    "a5": Paper("a5", A5, 12 * mm, 10 * mm, 8 * mm, 10 * mm, 10.0),
    "a4": Paper("a4", A4, 20 * mm, 15 * mm, 15 * mm, 15 * mm, 13.0),
    "a4_landscape": Paper("a4_landscape", landscape(A4), 12 * mm, 10 * mm, 10 * mm, 11 * mm, 8.0),
    # height is set per receipt (as long as the content); the 72 mm head prints from 4 to 76 mm, and
    # 4.5 mm margins keep rules and grid lines (half their width outside the frame) inside it
    "80mm": Paper("80mm", (ROLL_WIDTH, 200 * mm), 4.5 * mm, 4.5 * mm, 3 * mm, 8 * mm, 9.0),
}


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one body size."""

    size: float
    body: ParagraphStyle
    body_justify: ParagraphStyle
    indent: ParagraphStyle
    numbered: ParagraphStyle
    center: ParagraphStyle
    center_bold: ParagraphStyle
    center_italic: ParagraphStyle
    right_italic: ParagraphStyle
    title: ParagraphStyle
    header: ParagraphStyle
    header_bold: ParagraphStyle
    national: ParagraphStyle
    motto: ParagraphStyle
    small: ParagraphStyle
    small_center: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_bold_center: ParagraphStyle


@cache
def styles(size: float) -> Styles:
    """Styles scaled from ``size`` (cached: building styles costs more than using them)."""
    fonts.register()
    lead = size * 1.2

    def style(name: str, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": fonts.REGULAR,
            "bulletFontName": fonts.REGULAR,
            "fontSize": size,
            "leading": lead,
            "alignment": TA_LEFT,
            "spaceBefore": 0,
            "spaceAfter": size * 0.12,
        }
        base.update(kw)
        return ParagraphStyle(f"qmc-{name}-{size}", **base)

    def tight(name: str, font_size: float, leading: float, **kw: Any) -> ParagraphStyle:
        """Lines set close, with no space after: header blocks, small print, table cells."""
        return style(name, fontSize=font_size, leading=leading, spaceAfter=0, **kw)

    head = size * 0.95
    cell = size * 0.9
    return Styles(
        size=size,
        body=style("body"),
        body_justify=style("body-justify", alignment=TA_JUSTIFY),
        indent=style("indent", alignment=TA_JUSTIFY, firstLineIndent=size * 1.6, spaceAfter=size * 0.3),
        numbered=style("numbered", alignment=TA_JUSTIFY, leftIndent=size * 1.6, bulletIndent=0),
        center=style("center", alignment=TA_CENTER),
        center_bold=style("center-bold", alignment=TA_CENTER, fontName=fonts.BOLD),
        center_italic=style("center-italic", alignment=TA_CENTER, fontName=fonts.ITALIC),
        right_italic=style("right-italic", alignment=TA_RIGHT, fontName=fonts.ITALIC, fontSize=size * 0.75),
        title=style(
            "title",
            alignment=TA_CENTER,
            fontName=fonts.BOLD,
            fontSize=size * 1.12,
            leading=size * 1.4,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.4,
        ),
        header=tight("header", head, head * 1.2, alignment=TA_CENTER),
        header_bold=tight("header-bold", head, head * 1.2, alignment=TA_CENTER, fontName=fonts.BOLD),
        national=tight("national", head, head * 1.2, alignment=TA_CENTER, fontName=fonts.BOLD),
        motto=tight("motto", head * 1.05, head * 1.25, alignment=TA_CENTER, fontName=fonts.BOLD),
        small=tight("small", size * 0.82, size * 1.02),
        small_center=tight("small-center", size * 0.82, size * 1.02, alignment=TA_CENTER),
        cell=tight("cell", cell, cell * 1.18),
        cell_center=tight("cell-center", cell, cell * 1.18, alignment=TA_CENTER),
        cell_bold_center=tight(
            "cell-bold-center", cell, cell * 1.18, alignment=TA_CENTER, fontName=fonts.BOLD
        ),
    )


class Rule(Flowable):
    """A centred horizontal rule of a fixed length (the short line under header blocks)."""

    def __init__(
        self, length: float, *, thickness: float = 0.6, above: float = 4.0, below: float = 2.0
    ) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.above = above
        self.below = below
        self.avail = length

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.avail = available_width
        return available_width, self.above + self.below

    def draw(self) -> None:
        length = min(self.length, self.avail)
        x = (self.avail - length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, self.below, x + length, self.below)


class SectionMark(Flowable):
    """Zero-size marker: pages after it belong to copy ``key`` (footer text ``label``) for page numbers."""

    def __init__(self, key: str, label: str = "") -> None:
        super().__init__()
        self.key = key
        self.label = label
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.qmc_section = (self.key, self.label)  # type: ignore[attr-defined]


def bold_width(text: str, style: ParagraphStyle) -> float:
    return fonts.width(text, fonts.BOLD, style.fontSize)


MIN_SCALE = 0.84  # below this a header line wraps instead of shrinking further


def _shrunk(style: ParagraphStyle, text: str, width: float) -> ParagraphStyle:
    """``style``, or a smaller copy when that keeps ``text`` on one line without going below MIN_SCALE."""
    natural = fonts.width(text, style.fontName, style.fontSize)
    room = width - 2
    if natural <= room or natural * MIN_SCALE > room:
        return style
    scale = room / natural
    return _scaled(style, round(scale, 3))


@cache
def _scaled(style: ParagraphStyle, scale: float) -> ParagraphStyle:
    return _resized(style, f"x{scale}", scale)


def _resized(style: ParagraphStyle, suffix: str, scale: float) -> ParagraphStyle:
    """``style`` with type and leading scaled together, so lines keep their proportions."""
    return ParagraphStyle(
        f"{style.name}-{suffix}", parent=style, fontSize=style.fontSize * scale, leading=style.leading * scale
    )


@cache
def _fitted(st: Styles, width: float) -> tuple[ParagraphStyle, ParagraphStyle]:
    """National title and motto styles shrunk, if needed, so the title stays on one line."""
    natural = bold_width(NATIONAL, st.national)
    scale = min(1.0, (width - 1) / natural)
    if scale >= 1.0:
        return st.national, st.motto
    suffix = f"fit{width:.0f}"
    return _resized(st.national, suffix, scale), _resized(st.motto, suffix, scale)


def national_header(
    left_lines: Sequence[tuple[str, bool]],
    *,
    st: Styles,
    width: float,
    number_line: str | None = None,
    date_line: str | None = None,
    left_share: float = 0.44,
) -> Table:
    """The two-block header; ``left_lines`` are (text, bold) with the rule under the last one."""
    left_w = width * left_share
    right_w = width - left_w
    left: list[Flowable] = []
    rule = left_w * 0.3
    for text, bold in left_lines:
        if text.strip():
            style = _shrunk(st.header_bold if bold else st.header, one_line(text), left_w)
            left.append(Paragraph(escape_line(text), style))
            if bold:
                natural = fonts.width(one_line(text), style.fontName, style.fontSize)
                rule = min(natural, left_w) * 0.4
    left.append(Rule(rule))
    if number_line:
        left.append(Paragraph(number_line, st.header))
    national, motto = _fitted(st, right_w)
    right: list[Flowable] = [
        Paragraph(NATIONAL, national),
        Paragraph(MOTTO, motto),
        Rule(bold_width(MOTTO, motto)),
    ]
    if date_line:
        right.append(Spacer(1, st.size * 0.2))
        right.append(Paragraph(escape_line(date_line), st.center_italic))
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(layout_style())
    return table


def form_tag(number: str, circular: str, st: Styles) -> Paragraph:
    """Small "Mẫu số 01 (Thông tư số 03/2025/TT-VPCP)" at the top right: which rules the paper follows."""
    return Paragraph(f"Mẫu số {number} ({circular})", st.right_italic)


@dataclass(frozen=True)
class SignatureColumn:
    title: str  # upper case, bold
    hint: str = "(Ký và ghi rõ họ tên)"
    name: str = ""
    capacity: str = ""  # line above the title, e.g. "TM. ỦY BAN NHÂN DÂN"


def signatures(
    columns: Sequence[SignatureColumn],
    *,
    st: Styles,
    width: float,
    space: float,
    keep_with: Sequence[Flowable] = (),
) -> Flowable:
    """Signature blocks side by side, kept with ``keep_with`` so signatures never open a page alone."""
    cells: list[list[Flowable]] = []
    for col in columns:
        cell: list[Flowable] = []
        if col.capacity:
            cell.append(Paragraph(escape_line(col.capacity), st.center_bold))
        cell.append(Paragraph(escape_line(col.title), st.center_bold))
        if col.hint:
            cell.append(Paragraph(col.hint, st.center_italic))
        cell.append(Spacer(1, space))
        if col.name:
            cell.append(Paragraph(escape_line(col.name), st.center_bold))
        cells.append(cell)
    if len(cells) == 1:  # a single signer signs on the right half, as on official letters
        cells.insert(0, [])
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(layout_style(padding=2))
    return KeepTogether([*keep_with, Spacer(1, st.size * 0.6), table])


def layout_style(*, valign: str = "TOP", padding: float = 0, align: str = "LEFT") -> TableStyle:
    """An invisible table used for placement; the font is set so no base-14 font sneaks in."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
            ("VALIGN", (0, 0), (-1, -1), valign),
            ("ALIGN", (0, 0), (-1, -1), align),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )


def grid_style(
    *, font_size: float, header_rows: int = 1, extra: Sequence[tuple[Any, ...]] = ()
) -> TableStyle:
    """Thin black grid, header rows centred and bold."""
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("LEADING", (0, 0), (-1, -1), font_size * 1.18),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header_rows:
        commands += [
            ("FONTNAME", (0, 0), (-1, header_rows - 1), fonts.BOLD),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    commands.extend(extra)
    return TableStyle(commands)


# ---------------------------------------------------------------------------------------------
# Building the PDF


def _make_canvas_class(footer: Callable[[Canvas, int, int, str], None] | None) -> type[Canvas]:
    class _Canvas(Canvas):
        """Holds pages until save() so each section (copy) can print "Trang i/n"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.qmc_section: tuple[str, str] = ("", "")
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            if footer is None:
                super().showPage()
                return
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if footer is not None and self._pages:
                totals: dict[str, int] = {}
                for state in self._pages:
                    key = state["qmc_section"][0]
                    totals[key] = totals.get(key, 0) + 1
                seen: dict[str, int] = {}
                for state in self._pages:
                    self.__dict__.update(state)
                    key, label = state["qmc_section"]
                    seen[key] = seen.get(key, 0) + 1
                    footer(self, seen[key], totals[key], label)
                    Canvas.showPage(self)
            super().save()

    return _Canvas


def page_number_footer(paper: Paper, *, always: bool = False) -> Callable[[Canvas, int, int, str], None]:
    """Footer "<label> — Trang i/n" centred in the bottom margin; only on multi-page sections unless ``always``."""

    def draw(canv: Canvas, index: int, total: int, label: str) -> None:
        if total < 2 and not always:
            return
        text = f"Trang {index}/{total}"
        if label:
            text = f"{label} — {text}"
        canv.saveState()
        canv.setFont(fonts.ITALIC, max(7.0, paper.base * 0.72))
        canv.drawCentredString(
            paper.left + paper.frame_width / 2, paper.bottom * 0.45, text
        )  # inside the bottom margin, above the printer's unprintable edge
        canv.restoreState()

    return draw


def render(
    story: list[Flowable],
    paper: Paper,
    *,
    title: str,
    author: str,
    footer: Callable[[Canvas, int, int, str], None] | None = None,
    page_size: tuple[float, float] | None = None,
) -> bytes:
    """Lay ``story`` out on ``paper`` and return the PDF bytes (deterministic: no timestamps)."""
    fonts.register()
    size = page_size or paper.size
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=paper.left,
        rightMargin=paper.right,
        topMargin=paper.top,
        bottomMargin=paper.bottom,
        title=title,
        author=author,
        creator="Quầy một cửa",
        subject=title,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.REGULAR,
        initialFontSize=paper.base,
    )
    frame = Frame(
        paper.left,
        paper.bottom,
        size[0] - paper.left - paper.right,
        size[1] - paper.top - paper.bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=size)])
    doc.build(story, canvasmaker=_make_canvas_class(footer))
    return buffer.getvalue()


def content_height(story: Sequence[Flowable], width: float) -> float:
    """Height the story takes in one frame of ``width`` (for the roll, whose page fits its content)."""
    total = 0.0
    previous_after = 0.0
    for index, flowable in enumerate(story):
        _, h = flowable.wrap(width, 10_000 * mm)
        before = flowable.getSpaceBefore() if index else 0.0
        total += h + max(before, previous_after) if index else h
        previous_after = flowable.getSpaceAfter()
    return total + previous_after


@lru_cache(maxsize=16384)
def _word_width(word: str, font_name: str, size: float) -> float:
    return fonts.width(word, font_name, size)


def wrap_text(text: str, font_name: str, size: float, width: float) -> str:
    """Greedy line breaking for plain table cells ("\n"-joined); words wider than ``width`` are cut.

    Plain strings cost a fraction of a Paragraph per cell, which is what keeps a 1,000-row
    register inside its time budget; the result is the same text, extractable as drawn.
    """
    space = _word_width(" ", font_name, size)
    lines: list[str] = []
    for raw in clean(text).split("\n"):
        current: list[str] = []
        used = 0.0
        for word in raw.split(" "):
            if not word:
                continue
            w = _word_width(word, font_name, size)
            while w > width:  # cut an overlong word (a URL, an e-mail) at the cell edge
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                cut = len(word) - 1
                while cut > 1 and fonts.width(word[:cut], font_name, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                w = _word_width(word, font_name, size)
            if current and used + space + w > width:
                lines.append(" ".join(current))
                current, used = [word], w
            else:
                used = used + space + w if current else w
                current.append(word)
        lines.append(" ".join(current))
    return "\n".join(lines).strip("\n")


def one_per_page(parts: Iterable[list[Flowable]]) -> list[Flowable]:
    """``parts`` in one story, each starting on a fresh page (copies, liên)."""
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        story += part
    return story


def copies_story(make: Callable[[int], list[Flowable]], copies: int, label: str) -> list[Flowable]:
    """``copies`` renderings of one paper, each on fresh pages with its own page numbering."""
    return one_per_page([SectionMark(f"copy-{index}", label), *make(index)] for index in range(copies))
