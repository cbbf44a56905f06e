"""Scans made on the fly with Pillow (no binary fixtures): text pages, photos, PDFs, broken files.

Imported by the attachment tests (service, CLI, store, panel); its own tests check the builders.
"""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from counter_app.services import attachments
from counter_app.services.context import Counter

FONT = Path(__file__).resolve().parents[3] / "resources" / "fonts" / "Tinos-Regular.ttf"
A4_300 = (2480, 3508)
A6_300 = (1240, 1748)
SAMPLE = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập Tự do Hạnh phúc tờ khai đăng ký khai sinh họ và tên "
    "ngày tháng năm sinh nơi cư trú quốc tịch dân tộc số định danh cá nhân"
)
WORDS = SAMPLE.split()


def text_page(size: tuple[int, int] = A4_300, seed: int = 1) -> Image.Image:
    """A scanned form: off-white paper, dark text lines at ~12 pt for 300 dpi, a red round stamp,
    slightly blurred like a flatbed scan."""
    rnd = random.Random(seed)
    width, height = size
    page = Image.new("RGB", size, (246, 244, 238))
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), max(12, width // 50))
    step = max(16, width // 33)
    y = height // 14
    while y < height - height // 10:
        draw.text(
            (width // 10, y), " ".join(rnd.choice(WORDS) for _ in range(12)), font=font, fill=(25, 25, 30)
        )
        y += step
    r = width // 12
    draw.ellipse(
        (width - 3 * r, height - 3 * r, width - r, height - r), outline=(200, 30, 30), width=max(2, r // 15)
    )
    blurred = page.filter(ImageFilter.GaussianBlur(0.8))
    page.close()
    return blurred


def photo_page(size: tuple[int, int] = A4_300, seed: int = 2) -> Image.Image:
    """A photo-like page: smooth colour gradients and soft shapes, mostly middle tones."""
    rnd = random.Random(seed)
    width, height = size
    a = Image.linear_gradient("L").resize(size)
    b = Image.radial_gradient("L").resize(size)
    c = a.point(lambda v: 255 - v)
    page = Image.merge("RGB", (a, b, c))
    for part in (a, b, c):
        part.close()
    draw = ImageDraw.Draw(page)
    for _ in range(60):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w, h = rnd.randrange(width // 50, width // 5), rnd.randrange(height // 50, height // 7)
        draw.ellipse((x, y, x + w, y + h), fill=tuple(rnd.randrange(256) for _ in range(3)))
    soft = page.filter(ImageFilter.GaussianBlur(3))
    page.close()
    return soft


def save(image: Image.Image, path: Path, fmt: str, **options: Any) -> Path:
    """Write and close the image (pytest runs with warnings as errors: nothing left open)."""
    try:
        image.save(path, fmt, **options)
    finally:
        image.close()
    return path


def text_scan(
    path: Path, size: tuple[int, int] = A6_300, fmt: str = "PNG", seed: int = 1, dpi: int = 300
) -> Path:
    return save(text_page(size, seed), path, fmt, dpi=(dpi, dpi))


def photo_scan(path: Path, size: tuple[int, int] = A6_300, seed: int = 2) -> Path:
    return save(photo_page(size, seed), path, "JPEG", quality=85, dpi=(300, 300))


def pdf_bytes(pages: int = 1, text: str = "Giấy khai sinh") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for number in range(pages):
        c.drawString(72, 760, f"{text} - trang {number + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf_file(path: Path, pages: int = 1, text: str = "Giấy khai sinh") -> Path:
    path.write_bytes(pdf_bytes(pages, text))
    return path


def encrypted_pdf(path: Path) -> Path:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("matkhau", algorithm="RC4-128")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def multipage_tiff(path: Path) -> Path:
    """A two-page scan: a text page then a photo page."""
    first, second = text_page(A6_300, 3), photo_page(A6_300, 4)
    try:
        first.save(
            path, "TIFF", save_all=True, append_images=[second], dpi=(300, 300), compression="tiff_lzw"
        )
    finally:
        first.close()
        second.close()
    return path


def stored_files(counter: Counter) -> list[Path]:
    """Every file in the counter's attachment store (temporary files included)."""
    root = attachments.files_root(counter)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(counter: Counter) -> dict[str, Any]:
    """Everything an attach may write: rows of every table it touches and the files."""
    tables = ["dossiers", "events", "outbox", "attachments", "attachment_files", "audit_log"]
    out: dict[str, Any] = {t: counter.store.query(f"SELECT * FROM {t}") for t in tables}
    out["files"] = stored_files(counter)
    return out


def test_text_page_is_dark_ink_on_light_paper() -> None:
    page = text_page(A6_300)
    gray = page.convert("L")
    hist = gray.histogram()
    gray.close()
    page.close()
    light = sum(hist[200:]) / sum(hist)
    assert 0.8 < light < 0.99


def test_encrypted_pdf_is_encrypted(tmp_path: Path) -> None:
    assert PdfReader(encrypted_pdf(tmp_path / "e.pdf")).is_encrypted
