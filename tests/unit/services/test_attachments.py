"""Digitizing papers and results through the real services: real SQLite, real files, real PDFs."""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from helpers import MARRIAGE, receive
from PIL import Image, ImageStat
from pypdf import PdfReader
from unit.services.test_attachments_support import (
    A4_300,
    encrypted_pdf,
    multipage_tiff,
    pdf_file,
    photo_scan,
    save,
    snapshot,
    stored_files,
    text_page,
    text_scan,
)

from counter_app.domain import attachments as rules
from counter_app.domain.errors import NotFoundError, TransitionError, ValidationError
from counter_app.domain.lifecycle import Action
from counter_app.services import attachments, officers
from counter_app.services.actions import ActionRequest, perform
from counter_app.services.attachments import AttachRequest
from counter_app.services.context import Counter
from counter_app.services.officers import PermissionDenied
from counter_app.store import attachments as attachment_store
from counter_app.store import dossiers as dossier_store


def attach(counter: Counter, code: str, path: Path, document: int | str = 0, **kw: object):
    return attachments.attach(counter, AttachRequest(code=code, path=path, document=document, **kw))


def render_mean(pdf: bytes) -> float:
    """Mean gray of the first page as a viewer shows it (255 = white)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        bitmap = page.render(scale=50 / 72, grayscale=True)
        image = bitmap.to_pil()
        mean = ImageStat.Stat(image).mean[0]
        image.close()
        bitmap.close()
        page.close()
    finally:
        doc.close()
    return mean


@pytest.fixture
def code(counter: Counter) -> str:
    return receive(counter).dossier.code


def test_text_scan_is_stored_as_bitonal_pdf_and_recorded_as_an_event(
    counter: Counter, code: str, tmp_path: Path
) -> None:
    result = attach(counter, code, text_scan(tmp_path / "to-khai.png"), 0)
    a = result.attachment
    assert result.new_file and a.pages == 1 and a.mime == "application/pdf" and a.conversion == "bitonal"
    stored = attachments.file_path(counter, a.sha256)
    assert stored == attachments.files_root(counter) / a.sha256[:2] / a.sha256[2:4] / a.sha256
    assert stored.read_bytes()[:5] == b"%PDF-" and stored.stat().st_size == a.bytes
    assert len(PdfReader(stored).pages) == 1
    assert render_mean(stored.read_bytes()) > 200  # black ink on white paper, not inverted
    event = dossier_store.events_of(counter.store, result.dossier)[-1]
    assert event.action == Action.ATTACH and event.seq == 2
    assert event.payload == {
        "attachment_id": a.id,
        "sha256": a.sha256,
        "document": 0,
        "pages": 1,
        "bytes": a.bytes,
        "mime": "application/pdf",
        "original_name": "to-khai.png",
        "source_sha256": attachments.sha256_of((tmp_path / "to-khai.png").read_bytes()),
        "conversion": "bitonal",
    }
    assert counter.store.scalar("SELECT count(*) FROM outbox") == 2  # receive + attach, both to sync
    assert dossier_store.verify_chain(counter.store) is None
    view = attachments.listing(counter, code)
    assert [x.id for x in view.attachments] == [a.id]
    assert view.slots[0].files == 1 and not any("Tờ khai" in m for m in view.missing)


def test_a4_pages_fit_the_budget(counter: Counter, code: str, tmp_path: Path) -> None:
    text = attach(counter, code, text_scan(tmp_path / "a4.jpg", A4_300, "JPEG"), 0).attachment
    photo = attach(counter, code, photo_scan(tmp_path / "photo.jpg", A4_300), 1).attachment
    assert text.conversion == "bitonal" and text.bytes <= rules.PAGE_BUDGET
    assert photo.conversion == "gray" and photo.bytes <= rules.PAGE_BUDGET
    with pdfium.PdfDocument(attachments.file_path(counter, text.sha256)) as doc:
        width, height = doc[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points: the page keeps its real size


def test_photo_is_stored_gray_and_pdf_kept_byte_for_byte(counter: Counter, code: str, tmp_path: Path) -> None:
    photo = attach(counter, code, photo_scan(tmp_path / "anh.jpg"), 1).attachment
    with pdfium.PdfDocument(attachments.file_path(counter, photo.sha256)) as doc:
        image = doc[0].get_objects().__next__()
        assert image.get_metadata().bits_per_pixel == 8
    source = pdf_file(tmp_path / "ket-qua.pdf", pages=3)
    pdf = attach(counter, code, source, "result").attachment
    assert pdf.pages == 3 and pdf.conversion == "as_is" and pdf.document is None
    assert attachments.file_path(counter, pdf.sha256).read_bytes() == source.read_bytes()
    assert pdf.sha256 == pdf.source_sha256


def test_content_decides_not_the_extension(counter: Counter, code: str, tmp_path: Path) -> None:
    disguised = tmp_path / "scan.png"
    disguised.write_bytes(pdf_file(tmp_path / "real.pdf").read_bytes())
    assert attach(counter, code, disguised, 0).attachment.conversion == "as_is"


def test_multipage_tiff_becomes_one_pdf_with_each_page_in_its_form(
    counter: Counter, code: str, tmp_path: Path
) -> None:
    a = attach(counter, code, multipage_tiff(tmp_path / "lo.tif"), 0).attachment
    assert a.pages == 2 and a.conversion == "mixed"
    reader = PdfReader(attachments.file_path(counter, a.sha256))
    filters = [page["/Resources"]["/XObject"]["/Im0"].get_object()["/Filter"] for page in reader.pages]
    assert filters == ["/CCITTFaxDecode", "/DCTDecode"]


def test_same_scan_twice_is_one_file(counter: Counter, code: str, tmp_path: Path) -> None:
    """Dedupe: one file per content. The same scan for the same paper of the same dossier is refused
    (a double click); for another dossier it is a second row over the same file."""
    scan = text_scan(tmp_path / "cccd.png")
    first = attach(counter, code, scan, 0)
    before = snapshot(counter)
    with pytest.raises(ValidationError, match="đã được số hóa") as err:
        attach(counter, code, scan, 0)
    assert err.value.code == "duplicate" and snapshot(counter) == before
    other = receive(counter, name="Trần Thị Bình", id_number="001190123457").dossier.code
    second = attach(counter, other, scan, 0)
    assert not second.new_file and second.attachment.sha256 == first.attachment.sha256
    assert second.attachment.id != first.attachment.id
    assert len(stored_files(counter)) == 1
    assert counter.store.scalar("SELECT count(*) FROM attachments") == 2
    assert counter.store.scalar("SELECT count(*) FROM attachment_files") == 1
    # after a removal the same scan may come back
    attachments.detach(counter, code, first.attachment.id)
    assert attach(counter, code, scan, 0).attachment.sha256 == first.attachment.sha256


def test_originals_kept_only_when_the_admin_asks(counter: Counter, code: str, tmp_path: Path) -> None:
    scan = text_scan(tmp_path / "goc.png", seed=5)
    plain = attach(counter, code, scan, 0).attachment
    assert plain.original_sha256 is None and len(stored_files(counter)) == 1
    counter.store.set_setting(attachments.KEEP_ORIGINALS, "1")
    kept = attach(counter, code, text_scan(tmp_path / "goc2.png", seed=6), 1).attachment
    assert kept.original_sha256 == kept.source_sha256
    original = attachments.file_path(counter, kept.original_sha256)
    assert original.read_bytes() == (tmp_path / "goc2.png").read_bytes()
    event = dossier_store.events_of(counter.store, attachments.listing(counter, code).dossier)[-1]
    assert event.payload["original"] == {"sha256": kept.original_sha256, "bytes": original.stat().st_size,
                                         "mime": "image/png"}  # fmt: skip
    assert attachments.verify_attachments(counter).ok


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse_pdf(folder: Path) -> Path:
    path = folder / "lon.pdf"
    with open(path, "wb") as fh:  # 200 MB + 1 byte without writing them
        fh.write(b"%PDF-1.4\n")
        fh.truncate(rules.MAX_BYTES + 1)
    return path


def _giant_png(path: Path) -> Path:
    blank = Image.new("1", (10_000, 9_000), 1)  # 90 M pixels: a bomb, not a scan
    blank.save(path, "PNG")
    blank.close()
    return path


# kind -> (how to make the file in a folder, what the officer reads)
BAD: dict[str, tuple[Callable[[Path], Path], str]] = {
    "not an image": (lambda d: _write(d / "ghi-chu.jpg", "Đây là văn bản.".encode()), "không phải ảnh"),
    "empty": (lambda d: _write(d / "rong.pdf", b""), "rỗng"),
    "over 200 MB": (_sparse_pdf, "quá giới hạn 200 MB"),
    "encrypted": (lambda d: encrypted_pdf(d / "mat-khau.pdf"), "mật khẩu"),
    "corrupt pdf": (
        lambda d: _write(
            d / "hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer x"
        ),
        "bị hỏng",
    ),
    "corrupt jpeg": (
        lambda d: _write(d / "cut.jpg", text_scan(d / "whole.jpg", fmt="JPEG").read_bytes()[:600]),
        "bị hỏng",
    ),
    "program named .pdf": (
        lambda d: _write(d / "setup.pdf", b"MZ\x90\x00" + os.urandom(2000)),
        "không phải ảnh",
    ),
    "giant image": (lambda d: _giant_png(d / "khong-lo.png"), "quá lớn"),
    "missing": (lambda d: d / "khong-co.png", "Không tìm thấy tệp"),
    "folder": (lambda d: d, "không phải một tệp"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_input_is_refused_and_nothing_is_written(
    counter: Counter, code: str, tmp_path: Path, kind: str
) -> None:
    attach(counter, code, text_scan(tmp_path / "first.png"), 0)  # a store that already has something
    counter.store.set_setting(attachments.KEEP_ORIGINALS, "1")
    folder = tmp_path / "in"
    folder.mkdir()
    make, message = BAD[kind]
    bad = make(folder)
    before = snapshot(counter)
    with pytest.raises(ValidationError, match=message) as err:
        attach(counter, code, bad, 0)
    assert err.value.field == "file"
    assert snapshot(counter) == before


def test_a_cancelled_dossier_takes_no_file(counter: Counter, code: str, tmp_path: Path) -> None:
    scan = text_scan(tmp_path / "x.png")
    perform(counter, ActionRequest(code=code, action="cancel", reason="nhập nhầm"))
    before = snapshot(counter)
    with pytest.raises(TransitionError, match="Đã hủy"):
        attach(counter, code, scan, 0)
    assert snapshot(counter) == before and before["files"] == []


def test_a_failed_transaction_removes_the_file_it_wrote(counter: Counter, code: str, tmp_path: Path) -> None:
    """The disk fills up after the file was written: the transaction rolls back and the file goes too,
    while a file that was already there (and is used) stays."""
    attach(counter, code, text_scan(tmp_path / "old.png", seed=1), 0)
    counter.store.set_setting(attachments.KEEP_ORIGINALS, "1")
    counter.store.conn.execute(
        "CREATE TEMP TRIGGER full_disk BEFORE INSERT ON attachments "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    before = snapshot(counter)
    with pytest.raises(sqlite3.IntegrityError, match="disk is full"):
        attach(counter, code, text_scan(tmp_path / "new.png", seed=2), 1)
    assert snapshot(counter) == before and len(before["files"]) == 1


def test_wrong_paper_dossier_or_officer_is_refused(counter: Counter, code: str, tmp_path: Path) -> None:
    scan = text_scan(tmp_path / "x.png")
    with pytest.raises(ValidationError, match="không có giấy tờ số 9"):
        attach(counter, code, scan, 8)
    with pytest.raises(NotFoundError, match="Không tìm thấy hồ sơ"):
        attach(counter, "000.00.21.H40-261116-0999", scan, 0)
    with pytest.raises(NotFoundError, match="Không có cán bộ"):
        attach(counter, code, scan, 0, officer="ai-do")
    officers.add_officer(
        counter, username="xu-ly", password="matkhau1", role="handling", full_name="Lê Xử Lý"
    )
    assert attach(counter, code, scan, 0, officer="xu-ly").attachment.attached_by == "xu-ly"
    assert stored_files(counter) and len(stored_files(counter)) == 1


def test_detach_arrange_and_move_are_events_over_the_projection(
    counter: Counter, code: str, tmp_path: Path
) -> None:
    ids = [
        attach(counter, code, text_scan(tmp_path / f"{i}.png", seed=i), i % 2).attachment.id for i in range(3)
    ]
    attachments.rotate(counter, code, ids[0])
    attachments.rotate(counter, code, ids[0], 2)
    attachments.move(counter, code, ids[2], -1)
    d = attachments.detach(counter, code, ids[1])
    view = attachments.listing(counter, code)
    assert [(a.id, a.rotation) for a in view.attachments] == [(ids[0], 270), (ids[2], 0)]
    actions = [e.action.value for e in dossier_store.events_of(counter.store, d)]
    assert actions == ["receive"] + ["attach"] * 3 + ["arrange"] * 4 + ["detach"]
    removed = counter.store.one("SELECT removed_at, removed_by FROM attachments WHERE id = ?", (ids[1],))
    assert removed == {"removed_at": "2026-11-16T09:00:00", "removed_by": "admin"}
    assert len(stored_files(counter)) == 3  # removal keeps the file
    with pytest.raises(NotFoundError, match="đã được gỡ"):
        attachments.detach(counter, code, ids[1])
    with pytest.raises(ValidationError, match="90, 180 hoặc 270"):
        attachments.arrange(counter, code, ids[0], rotation=45)
    assert attachments.move(counter, code, ids[0], -1).last_seq == d.last_seq  # already first: no event


def test_rebuild_gives_identical_rows(counter: Counter, code: str, tmp_path: Path) -> None:
    other = receive(counter, procedure_code=MARRIAGE, name="Trần Văn Cường", id_number="001090123458")
    ids = [attach(counter, code, text_scan(tmp_path / f"{i}.png", seed=i), 0).attachment.id for i in range(3)]
    attach(counter, other.dossier.code, photo_scan(tmp_path / "p.jpg"), "result")
    attachments.move(counter, code, ids[2], -1)
    attachments.rotate(counter, code, ids[1])
    attachments.detach(counter, code, ids[0])
    rows = counter.store.query("SELECT * FROM attachments ORDER BY id")
    assert attachments.rebuild_attachments(counter.store) == 4
    assert counter.store.query("SELECT * FROM attachments ORDER BY id") == rows
    assert attachments.verify_attachments(counter).ok
    counter.store.conn.execute("UPDATE attachments SET rotation = 180 WHERE id = ?", (ids[2],))
    counter.store.conn.execute("DELETE FROM attachments WHERE id = ?", (ids[1],))
    assert attachments.verify_attachments(counter).mismatches == [code]
    attachments.rebuild_attachments(counter.store)
    assert counter.store.query("SELECT * FROM attachments ORDER BY id") == rows


def test_verify_names_the_dossier_of_a_missing_or_corrupt_file(
    counter: Counter, code: str, tmp_path: Path
) -> None:
    a = attach(counter, code, text_scan(tmp_path / "a.png", seed=1), 0).attachment
    b = attach(counter, code, text_scan(tmp_path / "b.png", seed=2), 1).attachment
    c = attach(counter, code, pdf_file(tmp_path / "c.pdf"), "result").attachment
    check = attachments.verify_attachments(counter)
    assert check.ok and check.files_checked == 3
    attachments.file_path(counter, a.sha256).unlink()
    path_b = attachments.file_path(counter, b.sha256)
    data = bytearray(path_b.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, same size
    path_b.write_bytes(bytes(data))
    with open(attachments.file_path(counter, c.sha256), "ab") as fh:
        fh.write(b"\n")
    check = attachments.verify_attachments(counter)
    assert not check.ok
    assert {(p.code, p.attachment_id, p.problem) for p in check.problems} == {
        (code, a.id, "missing"),
        (code, b.id, "hash"),
        (code, c.id, "size"),
    }
    lines = "\n".join(check.lines_vi())
    assert f"Hồ sơ {code}: tệp số hóa «a.png» mất tệp" in lines and "sai mã băm" in lines
    assert check.to_json()["problems"][0]["code"] == code
    assert {p.problem for p in attachments.verify_attachments(counter, deep=False).problems} == {
        "missing",
        "size",
    }
    # attaching the same scan again repairs the store
    attachments.detach(counter, code, b.id)
    attach(counter, code, tmp_path / "b.png", 1)
    assert {p.attachment_id for p in attachments.verify_attachments(counter).problems} == {a.id, c.id}


def test_garbage_collection_is_explicit_admin_only_and_keeps_live_files(
    counter: Counter, code: str, tmp_path: Path
) -> None:
    keep = attach(counter, code, text_scan(tmp_path / "k.png", seed=1), 0).attachment
    gone = attach(counter, code, text_scan(tmp_path / "g.png", seed=2), 1).attachment
    attachments.detach(counter, code, gone.id)
    officers.add_officer(counter, username="lan", password="matkhau1", role="leader", full_name="Lê Thị Lan")
    with pytest.raises(PermissionDenied):
        attachments.collect_garbage(counter, "lan")
    assert len(stored_files(counter)) == 2
    assert attachments.collect_garbage(counter, "admin").files == 0  # not yet on the server: kept
    for sha in (keep.sha256, gone.sha256):  # the server confirmed both files
        attachment_store.set_upload(counter.store, sha, "acknowledged")
    result = attachments.collect_garbage(counter, "admin")
    assert result.files == 1 and result.bytes == gone.bytes
    assert [p.name for p in stored_files(counter)] == [keep.sha256]
    assert attachments.verify_attachments(counter).ok
    audit_row = counter.store.one(
        "SELECT action, detail FROM audit_log ORDER BY num DESC LIMIT 1"
    )  # the last run
    assert audit_row == {"action": "attachments.gc", "detail": f'{{"bytes": {gone.bytes}, "files": 1}}'}


def test_newest_scan_skips_files_still_being_written(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    assert attachments.newest_scan(folder) is None
    older = text_scan(folder / "scan_001.png", seed=1)
    newer = text_scan(folder / "scan_002.jpg", fmt="JPEG", seed=2)
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    os.utime(older, (1_000_000, 1_000_000))
    os.utime(newer, (1_000_100, 1_000_100))
    assert attachments.newest_scan(folder, now=1_000_101) is not None
    assert attachments.newest_scan(folder, now=1_000_101).path == older  # newer one is 1 s old
    found = attachments.newest_scan(folder, now=1_000_200)
    assert found is not None and found.path == newer and found.size == newer.stat().st_size


def test_scanner_folder_is_an_audited_setting(counter: Counter, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="không tồn tại"):
        attachments.set_scanner_folder(counter, str(tmp_path / "none"), "admin")
    assert attachments.set_scanner_folder(counter, str(tmp_path), "admin") == tmp_path
    assert attachments.scanner_folder(counter) == tmp_path
    assert counter.store.one("SELECT action, subject FROM audit_log ORDER BY num DESC LIMIT 1") == {
        "action": "settings.set",
        "subject": "scanner_folder",
    }


def test_attachments_root_can_be_set(counter: Counter, code: str, tmp_path: Path) -> None:
    counter.store.set_setting(attachments.ATTACHMENTS_DIR, str(tmp_path / "kho"))
    a = attach(counter, code, text_scan(tmp_path / "x.png"), 0).attachment
    assert (tmp_path / "kho" / a.sha256[:2] / a.sha256[2:4] / a.sha256).is_file()


def test_digitization_figures(counter: Counter, clock, tmp_path: Path) -> None:
    def act(code: str, action: str, **kw: object) -> None:
        perform(counter, ActionRequest(code=code, action=action, **kw))

    clock.set("2026-11-16T09:00")
    full = receive(counter).dossier.code  # birth: 2 papers to digitize (ID is only shown)
    half = receive(counter, name="Trần Thị Bình", id_number="001190123457").dossier.code
    receive(counter, procedure_code=MARRIAGE, name="Đỗ Văn Dũng", id_number="001090123459")  # nothing scanned
    cancelled = receive(counter, name="Phạm Văn Em", id_number="001090123460").dossier.code
    documents = attachments.listing(counter, full).documents
    needed = [i for i, d in enumerate(documents) if rules.needs_digitizing(d)]
    assert len(needed) >= 2 and len(needed) < len(documents)  # "Xuất trình: giấy tờ tùy thân" excluded
    for i in needed:
        attach(counter, full, text_scan(tmp_path / f"f{i}.png", seed=10 + i), i)
    attach(counter, half, text_scan(tmp_path / "h.png", seed=30), needed[0])
    act(cancelled, "cancel", reason="nhập nhầm")
    clock.set("2026-11-16T10:00")
    for code in (full, half):
        act(code, "ready")
        act(code, "return")
    attach(counter, full, pdf_file(tmp_path / "kq.pdf"), "result")
    clock.set("2026-11-17T09:00")
    receive(counter, name="Vũ Thị Giang", id_number="001190123461")  # next day: outside the period
    figures = attachments.digitization(counter, date(2026, 11, 16), date(2026, 11, 16))
    assert figures["dossiers"] == {"received": 3, "digitized": 1, "percent": 33.3}
    assert figures["results"] == {"returned": 2, "digitized": 1, "percent": 50.0}
    by_field = {f["field"]: f for f in figures["fields"]}
    assert by_field["Hộ tịch"]["received"] == 3  # birth and marriage are both civil status
    assert figures["fields"][0]["results_percent"] == 50.0
    assert (
        attachments.digitization(counter, date(2026, 11, 18), date(2026, 11, 30))["dossiers"]["percent"]
        is None
    )
    with pytest.raises(ValidationError):
        attachments.digitization(counter, date(2026, 11, 18), date(2026, 11, 1))


def test_attaching_after_the_return_and_with_a_clock_set_back(
    counter: Counter, clock, tmp_path: Path
) -> None:
    code = receive(counter).dossier.code
    perform(counter, ActionRequest(code=code, action="ready"))
    perform(counter, ActionRequest(code=code, action="return"))
    clock.value = datetime(2026, 11, 16, 8, 0)  # the PC clock went back an hour
    d = attach(counter, code, pdf_file(tmp_path / "kq.pdf"), "result").dossier
    assert d.updated_at == datetime(2026, 11, 16, 9, 0) and d.state.value == "returned"
    assert dossier_store.projection_mismatches(counter.store) == []


def test_image_mode_variety_converts(tmp_path: Path) -> None:
    """Palette, alpha, 16-bit, CMYK and bitonal inputs all end up as a readable page."""
    for mode, colour in [("P", 0), ("RGBA", (0, 0, 0, 0)), ("I;16", 60000), ("CMYK", (0, 0, 0, 0)), ("1", 1)]:
        image = (
            Image.new("L", (800, 1100), 255).convert("P")
            if mode == "P"
            else Image.new(mode, (800, 1100), colour)
        )
        buf = io.BytesIO()
        fmt = "JPEG" if mode == "CMYK" else ("TIFF" if mode in ("I;16", "1") else "PNG")
        image.save(buf, fmt)
        image.close()
        prepared = attachments.prepare(buf.getvalue(), f"x.{fmt.lower()}")
        assert prepared.pages == 1 and render_mean(prepared.data) > 200, mode  # blank paper stays white


def test_conversion_is_deterministic(tmp_path: Path) -> None:
    data = text_scan(tmp_path / "x.png").read_bytes()
    assert attachments.prepare(data, "a").sha256 == attachments.prepare(data, "b").sha256


def specks(sigma: int, cut: int) -> Image.Image:
    noise = Image.effect_noise(A4_300, sigma)
    try:
        return noise.point(lambda v: 0 if v < cut else 255, "1")
    finally:
        noise.close()


def test_a_speckled_page_falls_back_to_200_dpi_then_to_the_smaller_encoding() -> None:
    """Specks of a dirty photocopy make G4 large at 300 dpi; 200 dpi fits. A page of pure noise fits
    nowhere: it keeps whichever encoding is smaller."""
    light, heavy = specks(40, 30), specks(100, 40)
    try:
        page = attachments.encode_page(light, (300, 300))
        assert page.kind == rules.PageKind.TEXT and page.dpi == pytest.approx(200)
        assert (page.width, page.height) == (1653, 2339) and len(page.stream) <= rules.PAGE_BUDGET
        worst = attachments.encode_page(heavy, (300, 300))
        assert worst.kind == rules.PageKind.PHOTO and worst.dpi == rules.MIN_PHOTO_DPI
    finally:
        light.close()
        heavy.close()


def test_a_phone_photo_is_turned_upright(tmp_path: Path) -> None:
    """The EXIF orientation a phone writes is applied, so the stored page stands the right way."""
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    path = save(text_page((1200, 800)), tmp_path / "dien-thoai.jpg", "JPEG", exif=exif.tobytes())
    prepared = attachments.prepare(path.read_bytes(), path.name)
    box = PdfReader(io.BytesIO(prepared.data)).pages[0].mediabox
    assert box.height > box.width
