"""Benchmark: the period report on the 1,000,000-dossier database.

Budgets (issue 8): a month report's numbers <= 300 ms; numbers and PDF <= 1 s.

Run:  .venv/bin/python bench/bench_report.py [--db /tmp/bench/report-1m.db] [--pristine /tmp/bench/1m-pristine.db]

The pristine database is never opened: it is copied to --db first (once), and the copy takes the
report migration (db/0003_report_indexes.sql), whose time is printed too. "Now" is the moment of
the newest event, so every month before it is a closed period. Identities are checked on every
report computed; a failure is printed, the figures are printed regardless.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from counter_app.printing import build_pdf  # noqa: E402
from counter_app.services import report, report_xlsx  # noqa: E402
from counter_app.services.context import open_counter  # noqa: E402
from counter_app.store.database import Store  # noqa: E402

BUDGET_NUMBERS_MS = 300.0
BUDGET_PDF_MS = 1000.0


def ms(seconds: float) -> float:
    return seconds * 1000


def line(label: str, values: list[float], budget: float | None = None) -> None:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    tail = (
        f"   (budget {budget:.0f} ms: {'ok' if values[len(values) // 2] <= budget else 'OVER'})"
        if budget
        else ""
    )
    print(
        f"{label:46} median {statistics.median(values):8.1f} ms   p95 {p95:8.1f} ms   max {values[-1]:8.1f} ms{tail}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench/report-1m.db")
    ap.add_argument("--pristine", default="/tmp/bench/1m-pristine.db")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    path = Path(args.db)
    if path.resolve() == Path(args.pristine).resolve():
        raise SystemExit("--db must be a copy, never the pristine file")
    if not path.exists():
        t = time.perf_counter()
        shutil.copyfile(args.pristine, path)
        print(f"copied {args.pristine} -> {path} in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    store = Store(path)
    applied = store.applied_migrations()
    print(f"open + migrations ({', '.join(sorted(applied))}): {ms(time.perf_counter() - t):.0f} ms")
    newest = store.scalar("SELECT max(updated_at) FROM dossiers")
    dossiers = store.scalar("SELECT count(*) FROM dossiers")
    store.close()
    now = datetime.fromisoformat(newest)
    counter = open_counter(path, now=lambda: now)
    print(f"{dossiers:,} dossiers; now = {now:%d/%m/%Y %H:%M}; cut-off day {report.cutoff_day(counter)}")

    # the twelve closed months before now, newest first
    months: list[tuple[int, int]] = []
    year, month = report.month_containing(now.date(), report.cutoff_day(counter))
    while len(months) < 12:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))

    t = time.perf_counter()
    first = report.compute_period(counter, "month", *months[0])
    print(f"first month report (cold caches, calendar load): {ms(time.perf_counter() - t):.0f} ms")
    print(f"  {first.label}: received {first.total.received:,}, late list {len(first.late):,}")

    numbers: list[float] = []
    pdfs: list[float] = []
    both: list[float] = []
    problems: list[str] = []
    for i in range(args.runs):
        year, month = months[i % len(months)]
        t0 = time.perf_counter()
        result = report.compute_period(counter, "month", year, month)
        t1 = time.perf_counter()
        pdf = build_pdf("report", report.print_data(counter, result), paper="a4")
        t2 = time.perf_counter()
        numbers.append(ms(t1 - t0))
        pdfs.append(ms(t2 - t1))
        both.append(ms(t2 - t0))
        for row in (*(f.figures for f in result.fields), result.total):
            problems += [f"{result.label}: {p}" for p in row.broken_identities()]
        assert pdf.startswith(b"%PDF")
    line("month report: numbers", numbers, BUDGET_NUMBERS_MS)
    line("month report: PDF only", pdfs)
    line("month report: numbers + PDF", both, BUDGET_PDF_MS)

    # consecutive months chain: carried over = open at the end of the month before
    chained = [report.compute_period(counter, "month", y, m) for y, m in reversed(months)]
    for before, after in itertools.pairwise(chained):
        if before.total.open_at_end != after.total.carried_over:
            problems.append(
                f"{after.label}: carried over {after.total.carried_over} != {before.total.open_at_end}"
            )

    for kind, number in (("quarter", 3), ("half", 1), ("year", 1)):
        year = months[0][0] - (1 if kind == "year" else 0)
        t = time.perf_counter()
        result = report.compute_period(counter, kind, year, number)
        print(
            f"{result.label:46} numbers {ms(time.perf_counter() - t):8.1f} ms   received {result.total.received:,}"
        )
    t = time.perf_counter()
    data = report_xlsx.xlsx(counter, first)
    print(
        f"{'month report: XLSX (all late dossiers)':46} {ms(time.perf_counter() - t):8.1f} ms   {len(data):,} bytes"
    )
    free = report.compute(counter, date(2019, 1, 1), date(2019, 12, 31))
    print(f"free period 2019: received {free.total.received:,}, late {len(free.late):,}")
    print("identities:", "all hold" if not problems else "; ".join(problems[:10]))


if __name__ == "__main__":
    main()
