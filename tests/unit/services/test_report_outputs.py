"""The report leaves the app as JSON (CLI), XLSX (formulas, read back by LibreOffice) and PDF (text read back).

All three are made from the known two-month dataset of test_report.py, so the figures checked here
are the ones asserted cell by cell there.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from pdf_support import page_texts
from unit.services.test_report import TOTAL_B, B, build_dataset

from counter_app.cli import main as cli_main
from counter_app.cli import report_commands
from counter_app.services import report, report_xlsx
from counter_app.services.context import Counter, open_counter

NOW = datetime(2026, 11, 20, 9, 0)
# Period B's official table under the default "separate" fold: (3)…(13), then (14)…(18)
TOTAL_ROW = [10, 2, 5, 3, 5, 1, 2, 2, 2, 1, 1, 1, 0, 1, 0, 1]


@pytest.fixture
def dataset(counter: Counter, clock) -> dict[str, str]:
    codes = build_dataset(counter, clock)
    counter.store.set_setting("parent_name", "UBND tỉnh Phú Thọ")
    counter.store.set_setting("place", "Thanh Sơn")
    counter.store.set_setting("leader_name", "Nguyễn Văn Chủ")
    return codes


@pytest.fixture
def cli(counter: Counter, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable:
    """``counter-admin`` in process, with the report command registered (as the lead will in build_parser)."""
    original = cli_main.build_parser

    def build_parser() -> argparse.ArgumentParser:
        parser = original()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "report" not in sub.choices:
            common = cli_main.ArgumentParser(add_help=False)
            common.add_argument("--db", default=argparse.SUPPRESS)
            common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)

            def add(
                name: str, func: Callable, help_text: str, parent: object = sub
            ) -> argparse.ArgumentParser:
                p = parent.add_parser(name, help=help_text, parents=[common])  # type: ignore[attr-defined]
                p.set_defaults(func=func)
                return p

            report_commands.register(sub, add)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build_parser)
    monkeypatch.setattr(cli_main, "open_counter", lambda path: open_counter(path, now=lambda: NOW))
    db = str(counter.store.path)

    def run(*args: str) -> tuple[int, str, str]:
        status = cli_main.main(["--db", db, *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def test_cli_prints_json_per_field_and_total(dataset: dict[str, str], cli: Callable) -> None:
    status, out, err = cli("report", "--from", "2026-10-15", "--to", "2026-11-14")
    assert status == 0, err
    data = json.loads(out)
    assert (data["from"], data["to"], data["provisional"]) == ("2026-10-15", "2026-11-14", False)
    assert data["total"] == TOTAL_B
    keys = {"received", "carried_over", "online", "resolved", "early", "on_time", "late", "in_process", "within",
            "overdue", "paused", "refused", "withdrawn", "rated", "satisfied", "satisfied_share"}  # fmt: skip
    assert all(keys <= set(row) for row in data["fields"])
    assert sum(row["received"] for row in data["fields"]) == 10
    assert [(i["code"], i["status"], i["working_days_late"], i["apology"]) for i in data["late"]] == [
        (dataset["D8"], "open", 4, False),
        (dataset["D7"], "resolved", 3, True),
        (dataset["D16"], "resolved", 2, False),
    ]
    assert data["late"][1]["due"] == "2026-10-12T09:00"


def test_cli_writes_files(dataset: dict[str, str], cli: Callable, tmp_path: Path) -> None:
    for kind, magic in (("xlsx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")):
        out = tmp_path / f"bc.{kind}"
        status, stdout, err = cli("report", "--from", "15/10/2026", "--to", "14/11/2026", "--format", kind,
                                  "--out", str(out), "--json")  # fmt: skip
        assert status == 0, err
        assert json.loads(stdout) == {"out": str(out)}
        assert out.read_bytes().startswith(magic)
    assert json.loads((tmp_path / "bc.json").read_text(encoding="utf-8"))["total"] == TOTAL_B


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01", "--to", "2026-11-14"], "Ngày «2026-13-01» không hợp lệ"),
        (["--from", "2026-11-14", "--to", "2026-10-15"], "trước ngày bắt đầu"),
        (["--from", "2026-10-15", "--to", "2026-11-14", "--format", "docx"], "Định dạng «docx» không có"),
        (["--from", "2026-10-15", "--to", "2026-11-14", "--format", "pdf"], "Xuất pdf cần --out"),
        (["--from", "2026-10-15"], "Sai cú pháp lệnh"),
    ],
)
def test_cli_bad_input_exits_2_with_one_vietnamese_line(
    dataset: dict[str, str], cli: Callable, args: list[str], message: str
) -> None:
    status, out, err = cli("report", *args)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi") and message in lines[0]


def test_pdf_carries_the_figures_and_the_vietnamese_headers(
    counter: Counter, dataset: dict[str, str]
) -> None:
    result = report.compute_period(counter, "month", 2026, 11)
    pages = page_texts(report.pdf(counter, result, preparer="Trần Thị Lập"))
    first = pages[0]
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH PHÚ THỌ",
        "Thanh Sơn, ngày 20 tháng 11 năm 2026",
        "Biểu số 06/VPCP/KSTT",
        "Thông tư số 01/2020/TT-VPCP",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT",
        "Kỳ báo cáo: Tháng 11 năm 2026",
        "(Từ ngày 15/10/2026 đến ngày 14/11/2026)",
        "Đơn vị tính: Số hồ sơ TTHC",
        "Đơn vị nhận báo cáo: UBND TỈNH PHÚ THỌ",
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số lượng hồ sơ đang giải quyết",
        "Trực tuyến",
        "Từ kỳ trước",
        "Trước hạn",
        "Chờ công dân bổ sung",
        "NGƯỜI LẬP BIỂU",
        "Trần Thị Lập",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Nguyễn Văn Chủ",
        "Đánh giá của công dân: 1/1 hồ sơ được đánh giá hài lòng (100,00%).",
    ):
        assert text in first, text
    assert "Tổng cộng " + " ".join(map(str, TOTAL_ROW)) in first
    assert "1 Bảo trợ xã hội 1 0 1 0 0 0 0 0 0 0 0 1 0 0 0 0" in first
    assert "4 Hộ tịch 4 1 2 1 2 0 1 1 1 1 0 0 0 0 0 1" in first
    rest = " ".join(pages[1:])
    assert "Biểu đồ: số hồ sơ theo lĩnh vực" in rest and "Tiếp nhận (3)" in rest
    assert "Phụ lục: Danh sách hồ sơ giải quyết quá hạn" in rest
    for code in (dataset["D8"], dataset["D7"], dataset["D16"]):
        assert code in rest
    assert "Đang giải quyết" in rest and "Có" in rest


def test_pdf_under_a_province_fold_has_the_13_columns_only(counter: Counter, dataset: dict[str, str]) -> None:
    counter.store.set_setting(report.FOLD_SETTING, "thanh_hoa")
    first = page_texts(report.pdf(counter, report.compute(counter, *B)))[0]
    assert "Tổng cộng 10 2 5 3 7 1 4 2 3 2 1" in first
    assert "Chờ công dân bổ sung" not in first.split("Tổng cộng")[0]
    assert "Cột (12) gồm cả hồ sơ chờ công dân bổ sung (1)." in first


def _workbook(counter: Counter) -> bytes:
    return report_xlsx.xlsx(counter, report.compute_period(counter, "month", 2026, 11))


def test_xlsx_has_the_form_with_real_formulas(counter: Counter, dataset: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_workbook(counter)))
    assert wb.sheetnames == ["Biểu 06", "Hồ sơ quá hạn", "Số liệu chi tiết"]
    ws = wb["Biểu 06"]
    assert ws["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert ws["A6"].value == "(Từ ngày 15/10/2026 đến ngày 14/11/2026)"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A8:A10", "B8:B10", "C8:F8", "G8:J8", "K8:M8", "N8:R8", "D9:E9", "C9:C10", "F9:F10"} <= merged
    assert (ws["C8"].value, ws["G8"].value, ws["K8"].value) == (
        "Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết", "Số lượng hồ sơ đang giải quyết",
    )  # fmt: skip
    assert [ws.cell(11, c).value for c in (1, 3, 13, 18)] == ["(1)", "(3)", "(13)", "(18)"]
    fields = [ws.cell(r, 2).value for r in range(12, 18)]
    assert fields == ["Bảo trợ xã hội", "Chứng thực", "Đất đai", "Hộ tịch", "Nuôi con nuôi", "Văn hóa"]
    assert (
        ws["C12"].value == "=D12+E12+F12"
        and ws["G15"].value == "=H15+I15+J15"
        and ws["K17"].value == "=L17+M17"
    )
    assert ws["B18"].value == "Tổng cộng"
    assert [ws.cell(18, c).value for c in (3, 4, 18)] == ["=SUM(C12:C17)", "=SUM(D12:D17)", "=SUM(R12:R17)"]
    assert ws.column_dimensions["B"].width >= 28 and ws.column_dimensions["C"].width >= 10
    late = wb["Hồ sơ quá hạn"]
    assert [late.cell(r, 2).value for r in range(2, 5)] == [dataset["D8"], dataset["D7"], dataset["D16"]]
    assert late["H2"].value == "Đang giải quyết" and late["J3"].value == "Có"
    detail = wb["Số liệu chi tiết"]
    assert detail["A8"].value == "Tổng cộng" and detail["B8"].value == 10


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed; scripts/test.sh installs libreoffice-calc")
    return found


@pytest.fixture
def converted(counter: Counter, dataset: dict[str, str], tmp_path: Path) -> Iterator[list[list[str]]]:
    soffice = _soffice()
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(_workbook(counter))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with open(tmp_path / "bao-cao.csv", encoding="utf-8", newline="") as fh:
        yield list(csv.reader(fh))


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", "").replace("\u00a0", ""))


def test_libreoffice_reads_the_same_numbers_back(converted: list[list[str]], counter: Counter) -> None:
    """LibreOffice opens the file, computes the formulas, and they give the report's own figures."""
    result = report.compute_period(counter, "month", 2026, 11)
    table = report.official_table(result, report.fold_of(counter))
    rows = {row[1]: row for row in converted if len(row) > 2}
    assert [_number(x) for x in rows["Tổng cộng"][2:18]] == TOTAL_ROW == list(table.total)
    for label, values in table.rows:
        assert [_number(x) for x in rows[label][2:18]] == list(values), label
    assert any("Tháng 11 năm 2026" in cell for row in converted for cell in row)


def test_report_json_carries_the_digitization_rate(tmp_path) -> None:
    import json as _json
    import subprocess
    import sys
    from pathlib import Path

    from counter_app.services.context import open_counter
    from counter_app.services.setup import initialize

    db = tmp_path / "c.db"
    counter = open_counter(db)
    initialize(counter)
    counter.store.close()
    exe = Path(sys.executable).parent / "counter-admin"
    out = subprocess.run(
        [str(exe), "--db", str(db), "report", "--from", "2026-10-15", "--to", "2026-11-14", "--json"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    data = _json.loads(out.stdout)
    assert data["digitization"]["dossiers"] == {"received": 0, "digitized": 0, "percent": None}
