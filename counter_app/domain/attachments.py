"""Digitized papers and results (số hóa): pure rules, no files, no SQL.

What lives here is what must give the same answer on every counter and on the server: which bytes
are an image or a PDF, how a scanned page is classified (text-like → bitonal, photo → grayscale),
which checklist documents still need digitizing, and the projection of the ``attach`` / ``detach``
/ ``arrange`` events into attachment rows (live appends and ``rebuild`` both fold through
:func:`fold`, so they cannot disagree).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from counter_app.domain.errors import ValidationError
from counter_app.domain.lifecycle import Action, Event

# A phone photo of 30 pages or a long scanned PDF stays far below this; anything larger is almost
# surely a video or a disk image dropped by mistake, and would take minutes to read and hash.
MAX_BYTES = 200 * 1024 * 1024
# Budget of the issue: a scanned A4 page at 300 dpi is stored in at most this many bytes.
PAGE_BUDGET = 100 * 1024
# Decoded pixels per page we accept (A4 at 600 dpi is 35 M); beyond Pillow's bomb limit anyway.
MAX_PIXELS = 89_478_485

TEXT_DPI = 300  # bitonal pages: small print and stamps stay legible
TEXT_FALLBACK_DPI = 200  # only when a noisy page would not fit PAGE_BUDGET at 300 dpi
PHOTO_DPI = 150  # grayscale pages: enough to recognise a face or a handwritten figure
MIN_PHOTO_DPI = 100
PHOTO_QUALITIES = (60, 45, 35)  # JPEG qualities tried in turn until the page fits PAGE_BUDGET

RESULT = "result"
RESULT_LABEL = "Kết quả giải quyết"
PRESENT_ONLY_PREFIX = "Xuất trình"  # shown at the counter and handed back: not kept, not digitized

ROTATIONS = (0, 90, 180, 270)

Target = int | str  # index into the receive event's "documents" list, or RESULT


class Mime(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"
    TIFF = "image/tiff"


IMAGE_MIMES = frozenset({Mime.JPEG, Mime.PNG, Mime.TIFF})


class PageKind(StrEnum):
    TEXT = "text"  # stored bitonal, CCITT G4
    PHOTO = "photo"  # stored grayscale JPEG


class Conversion(StrEnum):
    """How the stored file was made from what the officer gave (recorded in the attach event)."""

    AS_IS = "as_is"  # a PDF, kept byte for byte
    BITONAL = "bitonal"
    GRAY = "gray"
    MIXED = "mixed"  # a multi-page scan with both kinds of page


def sniff(head: bytes) -> Mime | None:
    """The type from the content's first bytes; the file name's extension is never trusted."""
    if head.startswith(b"\xff\xd8\xff"):
        return Mime.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Mime.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Mime.TIFF
    if b"%PDF-" in head[:1024]:  # the spec lets junk precede the header; readers accept 1 KB
        return Mime.PDF
    return None


def check_size(size: int, name: str) -> None:
    if size == 0:
        raise ValidationError(f"Tệp «{name}» rỗng (0 byte): không có gì để số hóa.", field="file")
    if size > MAX_BYTES:
        raise ValidationError(
            f"Tệp «{name}» lớn {size / 1024 / 1024:.0f} MB, quá giới hạn {MAX_BYTES // 1024 // 1024} MB. "
            "Hãy quét lại ở độ phân giải thấp hơn hoặc tách thành nhiều tệp.",
            field="file",
        )


def not_supported(name: str) -> ValidationError:
    return ValidationError(
        f"Tệp «{name}» không phải ảnh (JPEG, PNG, TIFF) hoặc PDF: không số hóa được.", field="file"
    )


# -- page classification ---------------------------------------------------------------------------
def otsu(hist: Sequence[int]) -> int:
    """The gray level that best splits ink from paper (Otsu 1979): pixels > level are paper."""
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    w_dark = 0
    s_dark = 0
    best, level = -1.0, 127
    for i, h in enumerate(hist):
        w_dark += h
        if w_dark == 0:
            continue
        w_light = total - w_dark
        if w_light == 0:
            break
        s_dark += i * h
        m_dark = s_dark / w_dark
        m_light = (sum_all - s_dark) / w_light
        between = w_dark * w_light * (m_dark - m_light) ** 2
        if between > best:
            best, level = between, i
    return level


@dataclass(frozen=True)
class PageStats:
    level: int  # Otsu threshold
    ink: float  # mean gray of the dark class
    paper: float  # mean gray of the light class
    mid: float  # share of pixels well between the two classes
    light: float  # share of pixels in the light class

    @property
    def kind(self) -> PageKind:
        """Text-like when the page is two well-separated tones with little in between.

        A printed or handwritten page is mostly paper plus ink, and only the anti-aliased edges of
        strokes fall between (2–5 % at 300 dpi); a photo, a portrait or a tinted security background
        has a large share of middle tones (a synthetic photo page: 32 %). A faint page (ink and paper
        less than 80 levels apart) stays gray: thresholding it would turn noise into marks.
        """
        if self.paper - self.ink >= 80 and self.mid <= 0.10 and self.light >= 0.5:
            return PageKind.TEXT
        return PageKind.PHOTO


def page_stats(hist: Sequence[int]) -> PageStats:
    """Statistics of a 256-bin grayscale histogram (Pillow's ``Image.histogram()`` of an "L" image)."""
    if len(hist) != 256:
        raise ValueError("a 256-bin grayscale histogram is expected")
    total = sum(hist) or 1
    level = otsu(hist)
    dark = sum(hist[: level + 1])
    light = total - dark
    ink = sum(i * hist[i] for i in range(level + 1)) / dark if dark else None
    paper = sum(i * hist[i] for i in range(level + 1, 256)) / light if light else None
    if ink is None or paper is None:  # one tone only (a blank page): no ink to separate
        ink = paper = ink if paper is None else paper
    lo, hi = ink + 0.25 * (paper - ink), paper - 0.25 * (paper - ink)
    mid = sum(h for i, h in enumerate(hist) if lo < i < hi) / total
    return PageStats(level, ink, paper, mid, light / total)


def effective_dpi(declared: Any, size: tuple[int, int]) -> float:
    """The resolution a page was scanned at.

    Scanners write it into the file; cameras and screenshots write 72 or 96 (or nothing), which
    would make an A4 page a metre wide. A declared value is trusted when it is 100–1200 dpi and the
    page it implies is no longer than A3 (17 inches); otherwise the image is taken as an A4-sized
    page (its long side = 11.69 in).
    """
    long_side = max(size)
    try:
        dpi = float(declared[0] if isinstance(declared, (tuple, list)) else declared)
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if 100 <= dpi <= 1200 and long_side / dpi <= 17:
        return dpi
    return max(long_side / 11.69, 1.0)


# -- checklist coverage ----------------------------------------------------------------------------
def needs_digitizing(document: Mapping[str, Any]) -> bool:
    """A required paper handed over and kept; ID papers only shown at the counter are handed back."""
    return bool(document.get("required", True)) and not str(document.get("name", "")).startswith(
        PRESENT_ONLY_PREFIX
    )


def missing_documents(documents: Sequence[Mapping[str, Any]], digitized: Iterable[Target]) -> list[int]:
    """Positions (in the receive event's "documents" list) that need digitizing and have no file."""
    done = {t for t in digitized if t != RESULT}
    return [i for i, d in enumerate(documents) if needs_digitizing(d) and i not in done]


def fully_digitized(documents: Sequence[Mapping[str, Any]], digitized: Iterable[Target]) -> bool:
    """Every paper that needs it has a file; a dossier with no such paper needs at least one file."""
    targets = {t for t in digitized if t != RESULT}
    if not any(needs_digitizing(d) for d in documents):
        return bool(targets)
    return not missing_documents(documents, targets)


def parse_target(value: str | int, documents: Sequence[Mapping[str, Any]]) -> Target:
    """An index into the receive event's "documents" list (0-based) or RESULT."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in (RESULT, "ket-qua", "ketqua", "kết quả"):
            return RESULT
        if not text.lstrip("-").isdigit():
            raise ValidationError(
                f"«{value}» không phải số thứ tự giấy tờ hoặc «result» (kết quả).", field="document"
            )
        value = int(text)
    if not 0 <= value < len(documents):
        raise ValidationError(
            f"Hồ sơ không có giấy tờ số {value + 1} (có {len(documents)} giấy tờ trong danh sách đã nhận).",
            field="document",
        )
    return value


def target_label(documents: Sequence[Mapping[str, Any]], target: Target | None) -> str:
    if target is None or target == RESULT:
        return RESULT_LABEL
    assert isinstance(target, int)
    if 0 <= target < len(documents):
        return f"{target + 1}. {documents[target].get('name', '')}"
    return f"Giấy tờ số {target + 1}"


# -- the projection --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attachment:
    """One digitized file of a dossier, as the attach / detach / arrange events leave it."""

    id: str
    sha256: str
    document: int | None  # index into the receive event's "documents"; None = the result
    pages: int
    bytes: int
    mime: str
    original_name: str
    source_sha256: str
    original_sha256: str | None
    conversion: str
    order: int
    rotation: int
    attached_at: datetime
    attached_by: str
    attach_seq: int
    removed_at: datetime | None = None
    removed_by: str | None = None
    updated_seq: int = 0

    @property
    def live(self) -> bool:
        return self.removed_at is None

    @property
    def target(self) -> Target:
        return RESULT if self.document is None else self.document


ATTACHMENT_ACTIONS = frozenset({Action.ATTACH, Action.DETACH, Action.ARRANGE})


def _bad(event: Event, what: str) -> ValidationError:
    return ValidationError(
        f"Sự kiện số hóa số {event.seq} không hợp lệ: {what}.", code="invalid_event", field="payload"
    )


def fold(existing: Mapping[str, Attachment], event: Event) -> Attachment | None:
    """The attachment row ``event`` creates or changes, given the dossier's rows so far.

    Pure: the same events in seq order always give the same rows. Detach and arrange of an id the
    dossier never had change nothing (they cannot be made here, but may arrive from elsewhere).
    """
    p = event.payload
    if event.action == Action.ATTACH:
        target = p.get("document")
        if target != RESULT and not (isinstance(target, int) and target >= 0):
            raise _bad(event, "thiếu giấy tờ được số hóa")
        if not isinstance(p.get("attachment_id"), str) or not isinstance(p.get("sha256"), str):
            raise _bad(event, "thiếu mã tệp")
        order = max((a.order for a in existing.values()), default=-1) + 1
        original = p.get("original") or {}
        return Attachment(
            id=p["attachment_id"],
            sha256=p["sha256"],
            document=None if target == RESULT else target,
            pages=int(p["pages"]),
            bytes=int(p["bytes"]),
            mime=str(p["mime"]),
            original_name=str(p.get("original_name", "")),
            source_sha256=str(p.get("source_sha256", p["sha256"])),
            original_sha256=original.get("sha256"),
            conversion=str(p.get("conversion", Conversion.AS_IS)),
            order=order,
            rotation=0,
            attached_at=event.at,
            attached_by=event.officer,
            attach_seq=event.seq,
            updated_seq=event.seq,
        )
    current = existing.get(p.get("attachment_id", ""))
    if current is None:
        return None
    if event.action == Action.DETACH:
        return replace(current, removed_at=event.at, removed_by=event.officer, updated_seq=event.seq)
    if event.action == Action.ARRANGE:
        rotation = int(p.get("rotation", current.rotation))
        if rotation not in ROTATIONS:
            raise _bad(event, f"góc xoay {rotation}")
        return replace(
            current, order=int(p.get("order", current.order)), rotation=rotation, updated_seq=event.seq
        )
    return None


def replay(events: Iterable[Event]) -> dict[str, Attachment]:
    """Every attachment of one dossier from its events alone (any action; others are skipped)."""
    rows: dict[str, Attachment] = {}
    for event in sorted(events, key=lambda e: e.seq):
        if event.action in ATTACHMENT_ACTIONS:
            changed = fold(rows, event)
            if changed is not None:
                rows[changed.id] = changed
    return rows


def in_order(rows: Iterable[Attachment]) -> list[Attachment]:
    """The order the viewer shows: the arranged order, ties by the order of attaching."""
    return sorted(rows, key=lambda a: (a.order, a.attach_seq))
