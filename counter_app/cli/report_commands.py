"""``counter-admin report``: the period report by field as JSON, XLSX or PDF (hooked in by ``register``).

JSON goes to stdout unless ``--out`` names a file; XLSX and PDF need ``--out``. Bad dates, an
empty or reversed period and unwritable files exit 2 with one Vietnamese line (ValidationError).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from counter_app.cli.output import emit_json
from counter_app.domain.errors import ValidationError

FORMATS = ("json", "xlsx", "pdf")


def register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add(
        "report", cmd_report, "báo cáo tình hình, kết quả giải quyết TTHC theo lĩnh vực (Biểu 06)", parent=sub
    )
    p.add_argument("--from", dest="date_from", required=True, help="ngày đầu kỳ, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="ngày cuối kỳ (tính cả ngày này), YYYY-MM-DD")
    p.add_argument("--format", dest="report_format", default="json", help="json (mặc định), xlsx hoặc pdf")
    p.add_argument(
        "--out", help="tệp kết quả (bắt buộc với xlsx, pdf; JSON không có --out thì in ra màn hình)"
    )


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise ValidationError(f"Không ghi được tệp {path}: {exc.strerror}.", field="out") from exc


def cmd_report(args: argparse.Namespace) -> None:
    from counter_app.cli.main import _counter, parse_date
    from counter_app.services import attachments, report, report_xlsx

    kind = (args.report_format or "json").strip().lower()
    if kind not in FORMATS:
        raise ValidationError(
            f"Định dạng «{args.report_format}» không có; chọn json, xlsx hoặc pdf.", field="format"
        )
    if kind != "json" and not args.out:
        raise ValidationError(f"Xuất {kind} cần --out TỆP.", field="out")
    start, end = parse_date(args.date_from, "from"), parse_date(args.date_to, "to")
    counter = _counter(args)
    result = report.compute(counter, start, end)
    if kind == "json":
        data = {**result.to_json(), "digitization": attachments.digitization(counter, start, end)}
        if not args.out:
            emit_json(data)
            return
        payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif kind == "xlsx":
        payload = report_xlsx.xlsx(counter, result)
    else:
        payload = report.pdf(counter, result)
    out = Path(args.out)
    _write(out, payload)
    if args.json:
        emit_json({"out": str(out)})
    else:
        print(f"Đã tạo {out} ({len(payload):,} byte).".replace(",", "."))
