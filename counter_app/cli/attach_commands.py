"""``counter-admin attach``, ``attachments`` and ``attachments-gc`` (hooked into the parser by ``register``).

Bad input (not an image or PDF, encrypted, empty, too large, unknown dossier or paper) raises a
DomainError, which ``main`` turns into exit 2 with one Vietnamese line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from counter_app.cli.output import emit_json


def register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("attach", cmd_attach, "số hóa: đính kèm tệp ảnh quét hoặc PDF vào hồ sơ", parent=sub)
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("file", help="tệp JPEG, PNG, TIFF hoặc PDF")
    p.add_argument(
        "--document",
        default="1",
        help="số thứ tự giấy tờ trong danh sách đã nhận (1, 2, …) hoặc «result» cho kết quả; mặc định 1",
    )
    p.add_argument("--officer", help="cán bộ thực hiện (mặc định: quản trị viên đầu tiên)")
    p = add("attachments", cmd_attachments, "danh sách tệp số hóa của hồ sơ", parent=sub)
    p.add_argument("code", help="mã hồ sơ")
    p = add("attachments-gc", cmd_gc, "xóa tệp số hóa không còn hồ sơ nào dùng (chỉ quản trị)", parent=sub)
    p.add_argument("--officer", required=True, help="tài khoản quản trị thực hiện")


def _document(text: str) -> int | str:
    """The CLI numbers papers from 1, like ``intake --documents``; the service counts from 0."""
    from counter_app.domain.attachments import RESULT
    from counter_app.domain.errors import ValidationError

    value = text.strip().lower()
    if value in (RESULT, "ket-qua", "ketqua"):
        return RESULT
    if not value.isdigit() or int(value) < 1:
        raise ValidationError(
            f"--document phải là số thứ tự giấy tờ (1, 2, …) hoặc «result», không phải «{text}».",
            field="document",
        )
    return int(value) - 1


def cmd_attach(args: argparse.Namespace) -> None:
    from counter_app.cli.main import _counter
    from counter_app.services import attachments

    document = _document(args.document)
    counter = _counter(args)
    result = attachments.attach(
        counter,
        attachments.AttachRequest(code=args.code, path=args.file, document=document, officer=args.officer),
    )
    a = result.attachment
    if args.json:
        emit_json({"id": a.id, "sha256": a.sha256, "pages": a.pages, "bytes": a.bytes})
    else:
        kept = "tệp mới" if result.new_file else "trùng nội dung đã lưu, dùng lại tệp cũ"
        print(f"Đã số hóa «{a.original_name}» vào hồ sơ {result.dossier.code}: {a.pages} trang, "
              f"{a.bytes / 1024:.0f} KB ({kept}).")  # fmt: skip


def cmd_attachments(args: argparse.Namespace) -> None:
    from counter_app.cli.main import _counter
    from counter_app.services import attachments

    view = attachments.listing(_counter(args), args.code)
    if args.json:
        emit_json([attachments.attachment_json(a, view.documents) for a in view.attachments])
        return
    if not view.attachments:
        print(f"Hồ sơ {view.dossier.code} chưa có tệp số hóa nào.")
    for a in view.attachments:
        turned = f", xoay {a.rotation}°" if a.rotation else ""
        print(
            f"{a.id}  {view.label(a)}: «{a.original_name}», {a.pages} trang, {a.bytes / 1024:.0f} KB{turned}"
        )
    if view.missing:
        print("Chưa số hóa: " + "; ".join(view.missing))


def cmd_gc(args: argparse.Namespace) -> None:
    from counter_app.cli.main import _counter
    from counter_app.services import attachments

    result = attachments.collect_garbage(_counter(args), args.officer)
    if args.json:
        emit_json({"files": result.files, "bytes": result.bytes})
    else:
        print(f"Đã xóa {result.files} tệp không còn dùng, giải phóng {result.bytes / 1024 / 1024:.1f} MB.")
