"""Digitizing a dossier's papers and its result (số hóa), in the flow of intake and return.

A file the officer gives is checked by its content (JPEG, PNG, TIFF or PDF; not empty, not over
200 MB, not encrypted, readable), images are turned into a compact PDF (text-like pages bitonal
CCITT G4 at 300 dpi, photos grayscale JPEG at 150 dpi; see docs/digitization.md), and the result is
stored once under its SHA-256 outside SQLite. The dossier's log gets an ``attach`` event whose
payload carries the hash, and the ``attachments`` table is that event's projection, written in the
same transaction. A refused file leaves nothing: no file in the store, no row, no event.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageSequence

from counter_app import paths
from counter_app.domain import attachments as rules
from counter_app.domain.attachments import (
    RESULT,
    Attachment,
    Conversion,
    Mime,
    PageKind,
    Target,
)
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import Action, Dossier, Event, Role, check_transition
from counter_app.domain.text import nfc
from counter_app.services import settings
from counter_app.services.actions import find
from counter_app.services.changes import DOSSIERS, SETTINGS, reports
from counter_app.services.context import Counter
from counter_app.services.officers import PermissionDenied, default_officer, require
from counter_app.store import attachments as attachment_store
from counter_app.store import dossiers as dossier_store
from counter_app.store.database import Store

KEEP_ORIGINALS = "keep_originals"  # "1": also store the image as given, next to its PDF
SCANNER_FOLDER = "scanner_folder"  # the folder the scanner saves into, watched by the window
ATTACHMENTS_DIR = "attachments_dir"  # where the files live, when not beside the database

MAX_IMAGE_PAGES = 500  # frames of one TIFF; a batch scan of a whole dossier stays far below
SCAN_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
SCAN_SETTLE_SECONDS = 2.0  # a file younger than this may still be being written by the scanner
_TMP_MAX_AGE = 3600.0


# -- the content-addressed file store --------------------------------------------------------------
def files_root(counter: Counter) -> Path:
    """Setting ``attachments_dir`` if set; else the folder ``attachments`` beside the database.

    For the app's own database that is ``paths.data_dir() / "attachments"``. Beside the database
    rather than always in the data folder, so that a second database (``counter-admin --db``) never
    shares, and never garbage-collects, another one's files.
    """
    configured = counter.store.get_setting(ATTACHMENTS_DIR)
    if configured:
        return Path(configured)
    if str(counter.store.path) == ":memory:":
        return paths.data_dir() / "attachments"
    return counter.store.path.resolve().parent / "attachments"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_sha(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class FileStore:
    """Files named by the SHA-256 of their content in ``root/ab/cd/<hash>``: written once, never
    changed, so a copy of the folder is always a valid backup and dedupe is free."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha[2:4] / sha

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put(self, data: bytes, sha: str) -> bool:
        """Store ``data`` durably; True when the file was not there before (the caller then owns it
        until its transaction commits). An existing file with wrong content is replaced."""
        target = self.path(sha)
        if target.is_file() and self.problem(sha, len(data)) is None:
            return False
        created = not target.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{sha}.{uuid7()}.part"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return created

    def remove(self, sha: str) -> None:
        self.path(sha).unlink(missing_ok=True)

    def read(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()

    def problem(self, sha: str, size: int | None, *, deep: bool = True) -> str | None:
        """None when the file is there with this size (when known) and, deep, this hash; else what is wrong."""
        target = self.path(sha)
        try:
            actual = target.stat().st_size
        except FileNotFoundError:
            return "missing"
        if size is not None and actual != size:
            return "size"
        if deep:
            digest = hashlib.sha256()
            with open(target, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha:
                return "hash"
        return None

    def files(self) -> Iterator[Path]:
        """Every stored file (temporary uploads excluded)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir():
                    yield from (p for p in sorted(second.iterdir()) if _is_sha(p.name))


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (power cuts); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- reading and converting what the officer gives ----------------------------------------------------
def read_source(path: Path | str) -> tuple[bytes, str]:
    """The bytes of a file to digitize, with the size checked before anything is read."""
    source = Path(path)
    name = source.name
    try:
        info = source.stat()
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp «{source}».", field="file") from None
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp «{name}»: {exc.strerror or exc}.", field="file") from None
    if not source.is_file():
        raise ValidationError(f"«{name}» không phải một tệp.", field="file")
    rules.check_size(info.st_size, name)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp «{name}»: {exc.strerror or exc}.", field="file") from None
    rules.check_size(len(data), name)  # it may have changed in between
    return data, name


@dataclass(frozen=True)
class EncodedPage:
    """One page image ready for the PDF: its compressed stream and how to decode it."""

    width: int
    height: int
    dpi: float
    kind: PageKind
    stream: bytes

    @property
    def size_points(self) -> tuple[float, float]:
        return self.width * 72 / self.dpi, self.height * 72 / self.dpi


@dataclass(frozen=True)
class Prepared:
    """A validated file in the form it will be stored, with what the attach event records."""

    data: bytes
    sha256: str
    pages: int
    source_sha256: str
    source_mime: Mime
    conversion: Conversion
    name: str
    original: bytes | None = None  # the image as given, when the admin keeps originals
    page_kinds: tuple[PageKind, ...] = ()

    @property
    def mime(self) -> str:
        return Mime.PDF.value


def prepare(data: bytes, name: str, *, keep_original: bool = False) -> Prepared:
    """Check and convert in memory (no file, no database): the slow part, run off the UI thread."""
    rules.check_size(len(data), name)
    mime = rules.sniff(data[:1024])
    if mime is None:
        raise rules.not_supported(name)
    source_sha = sha256_of(data)
    if mime == Mime.PDF:
        pages = check_pdf(data, name)
        return Prepared(data, source_sha, pages, source_sha, mime, Conversion.AS_IS, name)
    encoded = convert_image(data, name)
    pdf = build_pdf(encoded)
    kinds = {p.kind for p in encoded}
    conversion = (
        Conversion.MIXED
        if len(kinds) > 1
        else (Conversion.BITONAL if PageKind.TEXT in kinds else Conversion.GRAY)
    )
    return Prepared(
        pdf,
        sha256_of(pdf),
        len(encoded),
        source_sha,
        mime,
        conversion,
        name,
        data if keep_original else None,
        tuple(p.kind for p in encoded),
    )


def check_pdf(data: bytes, name: str) -> int:
    """Page count of a readable, unencrypted PDF; ValidationError (Vietnamese) otherwise."""
    from pypdf import PdfReader  # ~100 ms to import: only when a PDF comes, on the worker
    from pypdf.errors import PyPdfError

    broken = ValidationError(f"Tệp PDF «{name}» bị hỏng hoặc không đọc được.", field="file")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                f"Tệp PDF «{name}» được đặt mật khẩu (mã hóa): không lưu trữ được. "
                "Hãy lưu lại bản không mật khẩu rồi đính kèm.",
                field="file",
            )
        pages = len(reader.pages)
        for page in reader.pages:  # resolve every page object: a truncated file fails here
            _ = page.mediabox
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        raise broken from None
    if pages == 0:
        raise ValidationError(f"Tệp PDF «{name}» không có trang nào.", field="file")
    return pages


def _gray(frame: Image.Image) -> Image.Image:
    """The frame as 8-bit gray on white paper (transparency flattened onto white)."""
    if frame.mode == "L":
        return frame
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, rgba)
        rgba.close()
        white.close()
        gray = flat.convert("L")
        flat.close()
        return gray
    if frame.mode.startswith("I;16") or frame.mode == "I":
        wide = frame.convert("I") if frame.mode != "I" else frame
        scale = 1 / 256 if frame.mode.startswith("I;16") or wide.getextrema()[1] > 255 else 1  # type: ignore[index]
        return wide.point(lambda v: v * scale).convert("L")
    return frame.convert("L")


def _scaled(gray: Image.Image, dpi: float, target: float) -> tuple[Image.Image, float]:
    """Downscale to ``target`` dpi (never up: a low-resolution scan keeps its pixels)."""
    if dpi <= target * 1.05:
        return gray, dpi
    factor = dpi / target
    if abs(factor - round(factor)) < 0.02:
        return gray.reduce(round(factor)), dpi / round(factor)
    size = (max(1, round(gray.width / factor)), max(1, round(gray.height / factor)))
    return gray.resize(size, Image.Resampling.BOX), target


def _g4(bitonal: Image.Image) -> bytes:
    """CCITT Group 4 data of a mode "1" image, as libtiff writes it into a one-strip TIFF."""
    buf = io.BytesIO()
    bitonal.save(buf, "TIFF", compression="group4", strip_size=math.ceil(bitonal.width / 8) * bitonal.height)
    buf.seek(0)
    with Image.open(buf) as tif:
        offsets, counts = tif.tag_v2[273], tif.tag_v2[279]
    data = buf.getvalue()
    return b"".join(data[o : o + c] for o, c in zip(offsets, counts, strict=True))


def _bitonal(gray: Image.Image, dpi: float, level: int) -> EncodedPage:
    """G4 at 300 dpi, or at 200 dpi when a busy page would not fit the budget at 300."""
    table = [0] * (level + 1) + [255] * (255 - level)
    for target in (rules.TEXT_DPI, rules.TEXT_FALLBACK_DPI):
        scaled, page_dpi = _scaled(gray, dpi, target)
        bitonal = scaled.point(table, "1")
        stream = _g4(bitonal)
        size = bitonal.size
        bitonal.close()
        if scaled is not gray:
            scaled.close()
        if len(stream) <= rules.PAGE_BUDGET or page_dpi <= rules.TEXT_FALLBACK_DPI * 1.05:
            break
    return EncodedPage(size[0], size[1], page_dpi, PageKind.TEXT, stream)


def _grayscale(gray: Image.Image, dpi: float) -> EncodedPage:
    """JPEG at 150 dpi; lower quality, then lower resolution (down to 100 dpi) until it fits."""
    photo_dpi = float(rules.PHOTO_DPI)
    while True:
        scaled, page_dpi = _scaled(gray, dpi, photo_dpi)
        try:
            for quality in rules.PHOTO_QUALITIES:
                buf = io.BytesIO()
                scaled.save(buf, "JPEG", quality=quality, optimize=True)
                stream = buf.getvalue()
                if len(stream) <= rules.PAGE_BUDGET:
                    break
            size = scaled.size
        finally:
            if scaled is not gray:
                scaled.close()
        if len(stream) <= rules.PAGE_BUDGET or page_dpi <= rules.MIN_PHOTO_DPI * 1.05:
            return EncodedPage(size[0], size[1], page_dpi, PageKind.PHOTO, stream)
        photo_dpi = max(rules.MIN_PHOTO_DPI, photo_dpi * 0.8)


def encode_page(frame: Image.Image, declared_dpi: Any) -> EncodedPage:
    """One scanned page → a bitonal G4 or a grayscale JPEG page, within the page budget when the
    content allows it (a text page over budget even at 200 dpi, e.g. a speckled photocopy, keeps
    whichever of the two encodings is smaller)."""
    gray = _gray(frame)
    try:
        dpi = rules.effective_dpi(declared_dpi, gray.size)
        stats = rules.page_stats(gray.histogram())
        if stats.kind == PageKind.PHOTO:
            return _grayscale(gray, dpi)
        page = _bitonal(gray, dpi, stats.level)
        if len(page.stream) <= rules.PAGE_BUDGET:
            return page
        other = _grayscale(gray, dpi)
        return other if len(other.stream) < len(page.stream) else page
    finally:
        if gray is not frame:
            gray.close()


def _too_large(name: str, size: tuple[int, int] | None = None) -> ValidationError:
    pixels = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    return ValidationError(f"Ảnh «{name}» quá lớn{pixels}: hãy quét lại ở 300 dpi.", field="file")


def convert_image(data: bytes, name: str) -> list[EncodedPage]:
    """Every page of a JPEG, PNG or (multi-page) TIFF, encoded; a damaged image is refused.

    Pillow itself warns about (and beyond twice the limit refuses) decompression bombs when it reads
    the header; both end here as "too large", and so does our own check of every frame.
    """
    broken = ValidationError(f"Tệp ảnh «{name}» bị hỏng hoặc không đọc được.", field="file")
    pages: list[EncodedPage] = []
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "TIFF"]) as image:
            first_only = image.format in ("JPEG", "MPO")  # a phone's MPO adds a preview frame
            if image.format == "JPEG" and image.mode in ("RGB", "YCbCr"):
                image.draft("L", image.size)  # libjpeg gives gray directly: no colour conversion
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= MAX_IMAGE_PAGES:
                    raise ValidationError(
                        f"Tệp ảnh «{name}» có hơn {MAX_IMAGE_PAGES} trang: hãy tách thành nhiều tệp.",
                        field="file",
                    )
                if frame.width * frame.height > rules.MAX_PIXELS:
                    raise _too_large(name, frame.size)
                frame.load()
                turned = index == 0 and frame.getexif().get(0x0112, 1) != 1  # EXIF orientation (phones)
                upright = ImageOps.exif_transpose(frame) if turned else frame
                try:
                    pages.append(encode_page(upright, frame.info.get("dpi")))
                finally:
                    if upright is not frame:
                        upright.close()
                if first_only:
                    break
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(name) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise broken from None
    if not pages:
        raise broken
    return pages


def build_pdf(pages: list[EncodedPage]) -> bytes:
    """A minimal PDF 1.4 with one full-page image per page, written by hand so that every page keeps
    its own resolution and encoding, and the same pages always give the same bytes (no date, no
    random id): the same scan stored twice is one file."""
    objects: list[bytes] = []
    kids = []
    for i, page in enumerate(pages):
        page_obj, content_obj, image_obj = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        kids.append(f"{page_obj} 0 R")
        w_pt, h_pt = page.size_points
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt:.2f} {h_pt:.2f}] "
            f"/Resources << /XObject << /Im0 {image_obj} 0 R >> >> /Contents {content_obj} 0 R >>".encode()
        )
        content = f"q {w_pt:.2f} 0 0 {h_pt:.2f} 0 0 cm /Im0 Do Q".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        if page.kind == PageKind.TEXT:
            decode = (
                f"/BitsPerComponent 1 /Filter /CCITTFaxDecode "
                f"/DecodeParms << /K -1 /Columns {page.width} /Rows {page.height} /BlackIs1 true >>"
            )
        else:
            decode = "/BitsPerComponent 8 /Filter /DCTDecode"
        header = (
            f"<< /Type /XObject /Subtype /Image /Width {page.width} /Height {page.height} "
            f"/ColorSpace /DeviceGray {decode} /Length {len(page.stream)} >>"
        )
        objects.append(header.encode() + b"\nstream\n" + page.stream + b"\nendstream")
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode(),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(head + objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
    return out.getvalue()


# -- use cases ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AttachRequest:
    code: str
    path: Path | str
    document: int | str  # index into the receive event's "documents" (0-based) or "result"
    officer: str | None = None
    name: str | None = None  # shown name; default the file's name


@dataclass(frozen=True)
class AttachResult:
    attachment: Attachment
    dossier: Dossier
    new_file: bool  # False when the same content was already in the store (dedupe)


def documents_of(counter: Counter, dossier: Dossier) -> list[dict[str, Any]]:
    """The checklist as handed over at intake (the receive event), which attachment targets index."""
    receive = dossier_store.events_of(counter.store, dossier)[0]
    return list(receive.payload.get("documents", []))


def _officer(counter: Counter, username: str | None, action: Action) -> str:
    return (require(counter, username, action) if username else default_officer(counter)).username


def _moment(counter: Counter, dossier: Dossier) -> datetime:
    """Now, but never before the dossier's last event: a PC clock set back must not block digitizing
    (the hybrid logical clock keeps the true order)."""
    now = counter.now().replace(microsecond=0)
    return max(now, dossier.updated_at) if dossier.updated_at else now


def _duplicate(rows: dict[str, Attachment], source_sha: str, target: Target) -> Attachment | None:
    return next(
        (a for a in rows.values() if a.live and a.source_sha256 == source_sha and a.target == target), None
    )


def _refuse_duplicate(dossier: Dossier, documents: list[dict[str, Any]], found: Attachment) -> None:
    raise ValidationError(
        f"Tệp «{found.original_name}» đã được số hóa cho «{rules.target_label(documents, found.target)}» "
        f"của hồ sơ {dossier.code}.",
        field="file",
        code="duplicate",
    )


@reports(DOSSIERS)
def attach(counter: Counter, req: AttachRequest) -> AttachResult:
    """Validate, convert, store and record one file; all or nothing."""
    officer = _officer(counter, req.officer, Action.ATTACH)
    dossier = find(counter, req.code)
    documents = documents_of(counter, dossier)
    target = rules.parse_target(req.document, documents)
    # A cancelled dossier is refused before the slow part.
    check_transition(dossier, Action.ATTACH, _moment(counter, dossier))
    data, file_name = read_source(req.path)
    name = nfc(req.name or file_name)[:255] or "tệp"
    num = attachment_store.dossier_num(counter.store.conn, dossier.id)
    found = _duplicate(attachment_store.rows_of(counter.store.conn, num), sha256_of(data), target)
    if found is not None:
        _refuse_duplicate(dossier, documents, found)
    keep = counter.store.get_setting(KEEP_ORIGINALS) == "1"
    prepared = prepare(data, name, keep_original=keep)
    files = FileStore(files_root(counter))
    created: list[str] = []
    try:
        with counter.store.atomic() as conn:
            dossier = find(counter, req.code)  # read again inside the transaction: no lost update
            at = _moment(counter, dossier)
            found = _duplicate(attachment_store.rows_of(conn, num), prepared.source_sha256, target)
            if found is not None:
                _refuse_duplicate(dossier, documents, found)
            payload: dict[str, Any] = {
                "attachment_id": uuid7(),
                "sha256": prepared.sha256,
                "document": target,
                "pages": prepared.pages,
                "bytes": len(prepared.data),
                "mime": prepared.mime,
                "original_name": name,
                "source_sha256": prepared.source_sha256,
                "conversion": prepared.conversion.value,
            }
            if files.put(prepared.data, prepared.sha256):
                created.append(prepared.sha256)
            attachment_store.register_file(conn, prepared.sha256, len(prepared.data), prepared.mime, at)
            if prepared.original is not None:
                if files.put(prepared.original, prepared.source_sha256):
                    created.append(prepared.source_sha256)
                attachment_store.register_file(
                    conn, prepared.source_sha256, len(prepared.original), prepared.source_mime, at
                )
                payload["original"] = {
                    "sha256": prepared.source_sha256,
                    "bytes": len(prepared.original),
                    "mime": prepared.source_mime.value,
                }
            event = Event(
                id=uuid7(),
                dossier_id=dossier.id,
                seq=dossier.last_seq + 1,
                action=Action.ATTACH,
                at=at,
                hlc=counter.next_hlc(conn),
                officer=officer,
                device_id=counter.device_id,
                payload=payload,
            )
            updated = dossier_store.append(conn, dossier, event)
            attachment = attachment_store.project(conn, num, event)
            assert attachment is not None
    except BaseException:
        for sha in created:  # written by this call and never committed: nothing half-stored
            files.remove(sha)
        raise
    return AttachResult(attachment, updated, prepared.sha256 in created)


def _live(counter: Counter, dossier: Dossier, attachment_id: str) -> tuple[int, dict[str, Attachment]]:
    num = attachment_store.dossier_num(counter.store.conn, dossier.id)
    rows = attachment_store.rows_of(counter.store.conn, num)
    current = rows.get(attachment_id)
    if current is None or not current.live:
        raise NotFoundError(
            f"Hồ sơ {dossier.code} không có tệp số hóa mã «{attachment_id}» (hoặc tệp đã được gỡ).",
            field="attachment",
        )
    return num, rows


@reports(DOSSIERS)
def _append(
    counter: Counter, code: str, officer: str | None, events: list[tuple[Action, dict[str, Any]]]
) -> Dossier:
    """Append attachment events to one dossier in one transaction (a swap is two arrange events)."""
    username = _officer(counter, officer, events[0][0])
    with counter.store.atomic() as conn:
        dossier = find(counter, code)
        num = attachment_store.dossier_num(conn, dossier.id)
        for action, payload in events:
            _live(counter, dossier, payload["attachment_id"])
            event = Event(
                id=uuid7(),
                dossier_id=dossier.id,
                seq=dossier.last_seq + 1,
                action=action,
                at=_moment(counter, dossier),
                hlc=counter.next_hlc(conn),
                officer=username,
                device_id=counter.device_id,
                payload=payload,
            )
            dossier = dossier_store.append(conn, dossier, event)
            attachment_store.project(conn, num, event)
    return dossier


def detach(counter: Counter, code: str, attachment_id: str, officer: str | None = None) -> Dossier:
    """Remove a file from the dossier: an event; the file itself stays in the store (see collect_garbage)."""
    return _append(counter, code, officer, [(Action.DETACH, {"attachment_id": attachment_id})])


def arrange(
    counter: Counter,
    code: str,
    attachment_id: str,
    *,
    order: int | None = None,
    rotation: int | None = None,
    officer: str | None = None,
) -> Dossier:
    """Set a file's place in the list and its rotation (absolute values, so a replay is idempotent)."""
    dossier = find(counter, code)
    _, rows = _live(counter, dossier, attachment_id)
    current = rows[attachment_id]
    rotation = current.rotation if rotation is None else rotation % 360
    if rotation not in rules.ROTATIONS:
        raise ValidationError("Chỉ xoay được 90, 180 hoặc 270 độ.", field="rotation")
    payload = {"attachment_id": attachment_id, "order": current.order if order is None else int(order),
               "rotation": rotation}  # fmt: skip
    return _append(counter, code, officer, [(Action.ARRANGE, payload)])


def rotate(
    counter: Counter, code: str, attachment_id: str, quarter_turns: int = 1, officer: str | None = None
) -> Dossier:
    """Turn a file clockwise by ``quarter_turns`` × 90°."""
    dossier = find(counter, code)
    _, rows = _live(counter, dossier, attachment_id)
    rotation = (rows[attachment_id].rotation + 90 * quarter_turns) % 360
    return arrange(counter, code, attachment_id, rotation=rotation, officer=officer)


def move(counter: Counter, code: str, attachment_id: str, offset: int, officer: str | None = None) -> Dossier:
    """Swap a file with its neighbour in the shown order (offset -1: earlier, +1: later)."""
    dossier = find(counter, code)
    _, rows = _live(counter, dossier, attachment_id)
    shown = rules.in_order(a for a in rows.values() if a.live)
    index = next(i for i, a in enumerate(shown) if a.id == attachment_id)
    other_index = index + (1 if offset > 0 else -1)
    if offset == 0 or not 0 <= other_index < len(shown):
        return dossier
    me, other = shown[index], shown[other_index]
    my_order, other_order = other.order, me.order
    if my_order == other_order:  # ties (from elsewhere): make the order explicit
        my_order, other_order = (
            (other_order - 1, other_order) if offset < 0 else (other_order + 1, other_order)
        )
    return _append(
        counter,
        code,
        officer,
        [
            (Action.ARRANGE, {"attachment_id": me.id, "order": my_order, "rotation": me.rotation}),
            (Action.ARRANGE, {"attachment_id": other.id, "order": other_order, "rotation": other.rotation}),
        ],
    )


# -- what the panel and the CLI show --------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    """A checklist paper (or the result) and how many live files digitize it."""

    target: Target
    label: str
    needs_digitizing: bool
    files: int


@dataclass(frozen=True)
class Listing:
    dossier: Dossier
    documents: list[dict[str, Any]]
    attachments: list[Attachment]
    slots: list[Slot]
    missing: list[str]  # labels of papers that need digitizing and have no file yet

    def label(self, attachment: Attachment) -> str:
        return rules.target_label(self.documents, attachment.target)


def listing(counter: Counter, code: str) -> Listing:
    dossier = find(counter, code)
    documents = documents_of(counter, dossier)
    num = attachment_store.dossier_num(counter.store.conn, dossier.id)
    shown = attachment_store.list_for(counter.store, num)
    count: dict[Target, int] = {}
    for a in shown:
        count[a.target] = count.get(a.target, 0) + 1
    slots = [
        Slot(i, rules.target_label(documents, i), rules.needs_digitizing(d), count.get(i, 0))
        for i, d in enumerate(documents)
    ]
    slots.append(Slot(RESULT, rules.RESULT_LABEL, False, count.get(RESULT, 0)))
    missing = [rules.target_label(documents, i) for i in rules.missing_documents(documents, count)]
    return Listing(dossier, documents, shown, slots, missing)


def file_path(counter: Counter, sha: str) -> Path:
    return FileStore(files_root(counter)).path(sha)


def read_file(counter: Counter, sha: str) -> bytes:
    """A stored file's bytes (for the viewer); a missing file is a message, not a crash."""
    try:
        return FileStore(files_root(counter)).read(sha)
    except FileNotFoundError:
        raise NotFoundError(
            "Không tìm thấy tệp số hóa trong kho lưu trữ (có thể đã bị xóa). Hãy chạy «counter-admin verify».",
            field="file",
        ) from None


def attachment_json(a: Attachment, documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": a.id,
        "sha256": a.sha256,
        "document": a.target,
        "label": rules.target_label(documents, a.target),
        "pages": a.pages,
        "bytes": a.bytes,
        "mime": a.mime,
        "name": a.original_name,
        "conversion": a.conversion,
        "order": a.order,
        "rotation": a.rotation,
        "attached": a.attached_at.isoformat(timespec="minutes"),
        "officer": a.attached_by,
    }


# -- the scanner folder ------------------------------------------------------------------------------
def scanner_folder(counter: Counter) -> Path | None:
    value = counter.store.get_setting(SCANNER_FOLDER)
    return Path(value) if value else None


@reports(SETTINGS)
def set_scanner_folder(counter: Counter, folder: str, officer: str) -> Path:
    """The admin names the folder the scanner saves into (an admin action: audited)."""
    require(counter, officer, Action.CANCEL)  # leaders and admins, as for every setting
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ValidationError(f"Thư mục «{folder}» không tồn tại.", field="folder")
    settings.change(counter, SCANNER_FOLDER, str(path), officer)  # validated, audited like every setting
    return path


@dataclass(frozen=True)
class ScanFile:
    path: Path
    modified: datetime
    size: int


def newest_scan(folder: Path | None, *, now: float | None = None) -> ScanFile | None:
    """The most recent file the scanner finished writing (older than a moment, not empty)."""
    if folder is None or not folder.is_dir():
        return None
    moment = time.time() if now is None else now
    best: tuple[float, Path, int] | None = None
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not entry.is_file() or Path(entry.name).suffix.lower() not in SCAN_SUFFIXES:
                continue
            info = entry.stat()
            if info.st_size == 0 or moment - info.st_mtime < SCAN_SETTLE_SECONDS:
                continue
            if best is None or info.st_mtime > best[0]:
                best = (info.st_mtime, Path(entry.path), info.st_size)
    if best is None:
        return None
    return ScanFile(best[1], datetime.fromtimestamp(best[0]).replace(microsecond=0), best[2])


# -- verification, rebuild and garbage collection --------------------------------------------------
PROBLEM_LABELS = {
    "missing": "mất tệp",
    "size": "tệp bị thay đổi (sai kích thước)",
    "hash": "tệp bị hỏng (sai mã băm)",
}


@dataclass(frozen=True)
class FileProblem:
    code: str
    attachment_id: str
    sha256: str
    problem: str  # missing | size | hash
    name: str

    def line_vi(self) -> str:
        return f"Hồ sơ {self.code}: tệp số hóa «{self.name}» {PROBLEM_LABELS[self.problem]}."


@dataclass
class AttachmentCheck:
    """What ``verify`` says about attachments: files present and intact, table equal to its events."""

    files_checked: int = 0
    problems: list[FileProblem] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # dossier codes

    @property
    def ok(self) -> bool:
        return not self.problems and not self.mismatches

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files_checked": self.files_checked,
            "problems": [
                {"code": p.code, "attachment": p.attachment_id, "sha256": p.sha256, "problem": p.problem}
                for p in self.problems[:100]
            ],
            "projection_mismatches": self.mismatches[:100],
        }

    def lines_vi(self) -> list[str]:
        if self.ok:
            return [f"Tệp số hóa: {self.files_checked} tệp đủ và nguyên vẹn."]
        lines = [p.line_vi() for p in self.problems[:20]]
        if self.mismatches:
            lines.append("Bảng tệp số hóa lệch với nhật ký ở hồ sơ: " + ", ".join(self.mismatches[:20]))
        return lines


def verify_attachments(counter: Counter, *, deep: bool = True) -> AttachmentCheck:
    """Every live attachment's file (and kept original) is there with its size and, deep, its hash;
    and the attachments table equals the replay of the events. Removed attachments are not checked:
    their files may have been collected."""
    files = FileStore(files_root(counter))
    check = AttachmentCheck()
    for ref in attachment_store.live_files(counter.store):
        a = ref.attachment
        wanted: list[tuple[str, int | None]] = [(a.sha256, a.bytes)]
        if a.original_sha256:
            wanted.append((a.original_sha256, None))
        for sha, size in wanted:
            check.files_checked += 1
            problem = files.problem(sha, size, deep=deep)
            if problem:
                check.problems.append(FileProblem(ref.code, a.id, sha, problem, a.original_name))
    check.mismatches = attachment_store.mismatches(counter.store)
    return check


def rebuild_attachments(store: Store) -> int:
    """Recompute the attachments table from the event log (``counter-admin rebuild`` may call it)."""
    return attachment_store.rebuild_attachments(store)


@dataclass(frozen=True)
class CollectResult:
    files: int
    bytes: int


def collect_garbage(counter: Counter, officer: str) -> CollectResult:
    """Delete stored files no live attachment needs (removed ones, leftovers of a crash). Only an
    admin, only on request, audited: removal keeps the file until someone decides otherwise."""
    who = require(counter, officer, Action.CANCEL)
    if who.role != Role.ADMIN:
        raise PermissionDenied("Chỉ quản trị viên được dọn tệp số hóa không còn dùng.")
    files = FileStore(files_root(counter))
    removed: list[str] = []
    freed = 0
    with counter.store.atomic() as conn:  # holds the write lock: no attach can commit meanwhile
        needed = attachment_store.live_references(counter.store)
        for path in list(files.files()):
            if path.name in needed:
                continue
            freed += path.stat().st_size
            path.unlink()
            removed.append(path.name)
        tmp = files.root / "tmp"
        if tmp.is_dir():
            for leftover in tmp.iterdir():
                if time.time() - leftover.stat().st_mtime > _TMP_MAX_AGE:
                    freed += leftover.stat().st_size
                    leftover.unlink()
        attachment_store.forget_files(conn, removed)
        counter.audit(
            conn,
            officer=officer,
            action="attachments.gc",
            subject=str(files.root),
            detail={"files": len(removed), "bytes": freed},
        )
    return CollectResult(len(removed), freed)


# -- digitization figures ------------------------------------------------------------------------------
def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def digitization(counter: Counter, start: date, end: date) -> dict[str, Any]:
    """How much of the period's work was digitized (days start..end inclusive).

    Dossiers: received in the period (cancelled ones left out) whose every paper that needs it has a
    live file (see domain.attachments.fully_digitized). Results: dossiers returned in the period
    with a live "result" file. Also per field, for the period report.
    """
    if end < start:
        raise ValidationError("Ngày cuối kỳ phải sau ngày đầu kỳ.", field="end")
    per_field: dict[str, dict[str, int]] = {}

    def bucket(name: str) -> dict[str, int]:
        return per_field.setdefault(
            name, {"received": 0, "digitized": 0, "returned": 0, "results_digitized": 0}
        )

    for field_name, documents, targets in attachment_store.received_with_targets(counter.store, start, end):
        b = bucket(field_name)
        b["received"] += 1
        b["digitized"] += int(rules.fully_digitized(documents, targets))
    for field_name, has_result in attachment_store.returned_with_result(counter.store, start, end):
        b = bucket(field_name)
        b["returned"] += 1
        b["results_digitized"] += int(has_result)
    received = sum(b["received"] for b in per_field.values())
    digitized = sum(b["digitized"] for b in per_field.values())
    returned = sum(b["returned"] for b in per_field.values())
    results = sum(b["results_digitized"] for b in per_field.values())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "dossiers": {"received": received, "digitized": digitized, "percent": _percent(digitized, received)},
        "results": {"returned": returned, "digitized": results, "percent": _percent(results, returned)},
        "fields": [
            {
                "field": name,
                **b,
                "percent": _percent(b["digitized"], b["received"]),
                "results_percent": _percent(b["results_digitized"], b["returned"]),
            }
            for name, b in sorted(per_field.items())
        ],
    }
