"""Reading our PDFs back as a person and a scanner would: extracted text, and barcodes at printer dpi."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import pypdfium2 as pdfium
import zxingcpp


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_texts(pdf: bytes) -> list[str]:
    """Each page's extracted text, NFC, white space collapsed."""
    return [words(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def scan_pages(pdf: bytes, dpi: int) -> list[list[zxingcpp.Result]]:
    """Every page rasterised at ``dpi`` (203 = thermal printer) and decoded with zxing-cpp."""
    out: list[list[zxingcpp.Result]] = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil()
            out.append(list(zxingcpp.read_barcodes(image)))
            image.close()
            bitmap.close()
            page.close()
    finally:
        doc.close()
    return out


def decode_pages(pdf: bytes, dpi: int) -> list[list[str]]:
    return [[r.text for r in page] for page in scan_pages(pdf, dpi)]


def decode_first_page(pdf: bytes, dpi: int) -> list[str]:
    return decode_pages(pdf, dpi)[0]
