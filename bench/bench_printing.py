"""Benchmark: printing the receipt and the register.

Budgets (issue "printing"): a receipt PDF <= 30 ms warm (median); the first receipt after start,
including imports and font loading, <= 300 ms (measured in a fresh subprocess); a 1,000-row
register <= 2 s.

Run:  .venv/bin/python bench/bench_printing.py [--runs 50] [--rows 1000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET_WARM_MS = 30.0
BUDGET_FIRST_MS = 300.0
BUDGET_REGISTER_S = 2.0

# Run in a fresh interpreter: the clock starts before the printing package is imported.
FIRST_RECEIPT = r"""
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from bench_printing import sample_receipt
from counter_app.printing import build_pdf
pdf = build_pdf("receipt", sample_receipt(), paper={paper!r})
print((time.perf_counter() - t0) * 1000)
"""


def sample_receipt() -> object:
    from counter_app.printing import Agency, DocumentItem, ReceiptData

    return ReceiptData(
        code="000.00.21.H40-261116-0001",
        agency=Agency(
            parent_name="UBND TỈNH PHÚ THỌ",
            name="UBND XÃ THANH SƠN",
            place="Thanh Sơn",
            phone="0210 3 871 234",
            hotline="0210 3 871 999",
        ),
        applicant_name="Nguyễn Thị Hồng Nhung",
        id_number="025190012345",
        address="Tổ 10, khu Phố Mới, xã Thanh Sơn, tỉnh Phú Thọ",
        phone="0912 345 678",
        email="nhung@example.vn",
        procedure_name="Đăng ký khai sinh",
        procedure_code="1.001193",
        documents=(
            DocumentItem("Tờ khai đăng ký khai sinh theo mẫu", 1, 0),
            DocumentItem("Giấy chứng sinh do cơ sở y tế cấp", 1, 0),
            DocumentItem("Giấy tờ tùy thân của người đi đăng ký", 0, 1),
        ),
        sets=1,
        processing_text="03 ngày làm việc",
        received_at=datetime(2026, 11, 16, 9, 0),
        due_at=datetime(2026, 11, 19, 16, 30),
        half_day="chiều",
        return_channel="Tại Bộ phận tiếp nhận và trả kết quả",
        fee=15000,
        officer_name="Trần Văn Bình",
        register_book="01",
        register_line="125",
    )


def sample_register(rows: int) -> object:
    from counter_app.printing import Agency, RegisterData, RegisterRow

    start = datetime(2026, 11, 16, 7, 30)
    procedures = (
        "Đăng ký khai sinh",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        "Đăng ký kết hôn",
    )
    names = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Hồng Nhung")
    return RegisterData(
        agency=Agency(parent_name="UBND TỈNH PHÚ THỌ", name="UBND XÃ THANH SƠN"),
        period_from=date(2026, 11, 15),
        period_to=date(2026, 12, 14),
        rows=tuple(
            RegisterRow(
                code=f"000.00.21.H40-{start + timedelta(minutes=7 * i):%y%m%d}-{i % 10000:04d}",
                procedure_name=procedures[i % 3],
                sets=1,
                applicant_name=names[i % 4],
                address_phone=f"Tổ {i % 30 + 1}, khu Phố Mới, xã Thanh Sơn, tỉnh Phú Thọ; 0912 {i:06d}",
                handling_agency="Công chức Tư pháp - Hộ tịch",
                received_at=start + timedelta(minutes=7 * i),
                due_at=start + timedelta(minutes=7 * i, days=3),
                transferred_at=start + timedelta(minutes=7 * i, hours=1),
                result_at=start + timedelta(minutes=7 * i, days=2) if i % 4 else None,
                returned_at=start + timedelta(minutes=7 * i, days=2, hours=2) if i % 4 else None,
            )
            for i in range(1, rows + 1)
        ),
    )


def first_receipt_ms(paper: str) -> tuple[float, float]:
    """(in-process time from the first import, whole process wall time including interpreter start)."""
    script = FIRST_RECEIPT.format(root=str(ROOT), bench=str(ROOT / "bench"), paper=paper)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    wall = (time.perf_counter() - t) * 1000
    return float(out.stdout.strip().splitlines()[-1]), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--first-runs", type=int, default=5, help="fresh subprocesses for the first receipt")
    args = parser.parse_args()

    from counter_app.printing import build_pdf

    receipt = sample_receipt()
    results: dict[str, float | int | bool] = {}
    for paper in ("a5", "80mm"):
        build_pdf("receipt", receipt, paper=paper)  # warm: fonts registered, styles cached
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            build_pdf("receipt", receipt, paper=paper)
            times.append((time.perf_counter() - t) * 1000)
        results[f"receipt_{paper}_warm_median_ms"] = round(statistics.median(times), 2)
        results[f"receipt_{paper}_warm_p95_ms"] = round(sorted(times)[int(0.95 * (len(times) - 1))], 2)

    firsts = [first_receipt_ms("a5") for _ in range(args.first_runs)]
    results["first_receipt_a5_median_ms"] = round(statistics.median(f for f, _ in firsts), 1)
    results["first_receipt_a5_max_ms"] = round(max(f for f, _ in firsts), 1)
    results["first_receipt_process_wall_median_ms"] = round(statistics.median(w for _, w in firsts), 1)

    register = sample_register(args.rows)
    t = time.perf_counter()
    pdf = build_pdf("register", register)
    results["register_rows"] = args.rows
    results["register_s"] = round(time.perf_counter() - t, 3)
    results["register_kb"] = len(pdf) // 1024

    results["ok_warm"] = results["receipt_a5_warm_median_ms"] <= BUDGET_WARM_MS  # type: ignore[operator]
    results["ok_first"] = results["first_receipt_a5_median_ms"] <= BUDGET_FIRST_MS  # type: ignore[operator]
    results["ok_register"] = results["register_s"] <= BUDGET_REGISTER_S  # type: ignore[operator]
    print(json.dumps(results, indent=2))
    print(
        f"receipt warm median {results['receipt_a5_warm_median_ms']} ms (budget {BUDGET_WARM_MS:g}); "
        f"first receipt {results['first_receipt_a5_median_ms']} ms (budget {BUDGET_FIRST_MS:g}); "
        f"{args.rows}-row register {results['register_s']} s (budget {BUDGET_REGISTER_S:g})"
    )
    if not (results["ok_warm"] and results["ok_first"] and results["ok_register"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
