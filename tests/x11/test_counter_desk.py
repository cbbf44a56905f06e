"""The counter at a real desk: Xvfb 1366×728 (768 less a taskbar) with openbox, keys from xdotool, a scan at 3 ms a key.

The app runs as ``python -m counter_app.app`` on that display with its own data folder; every
check is made afterwards in its SQLite file, as an inspector would read it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from x11_support import CounterProcess, Desk, desk

pytestmark = pytest.mark.slow

QR = "001099012345|123456789|Lê Văn Lương|01011999|Nam|Thôn 3, Xã Thanh Sơn, Huyện Ba Vì, Hà Nội|15082021"
# The same card through a wedge scanner whose layout lacks ă, ơ, ê …: letters vanish on the way.
GARBLED = "001099012345|123456789|Lê Vn Lưng|01011999|Nam|Thôn 3, Xã Thanh Sn, Huyện Ba Vì, Hà Nội|15082021"


@pytest.fixture(scope="module")
def counter_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desk, CounterProcess]]:
    with desk(1366, 728) as d:  # a 1366×768 screen less a Windows taskbar
        d.map_letters(QR + GARBLED + "Nguyễn Thị Hồng Nhung Xóm Đông")
        app = CounterProcess(d, tmp_path_factory.mktemp("desk"))
        try:
            app.login()
            time.sleep(1.0)
            yield d, app
        finally:
            app.stop()


def _rows(app: CounterProcess, sql: str, *args: object) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{app.db_path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, args).fetchall()


def _count(app: CounterProcess) -> int:
    return _rows(app, "SELECT count(*) AS n FROM dossiers")[0]["n"]


def _newest(app: CounterProcess) -> tuple[sqlite3.Row, dict]:
    row = _rows(app, "SELECT * FROM dossiers ORDER BY num DESC LIMIT 1")[0]
    event = _rows(app, "SELECT payload FROM events WHERE dossier_num = ? AND seq = 1", row["num"])[0]
    return row, json.loads(event["payload"])


def _wait_for_count(app: CounterProcess, n: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _count(app) < n:
        assert time.monotonic() < deadline, f"expected {n} dossiers, have {_count(app)}\n{app.output()}"
        time.sleep(0.1)


def _choose_birth_registration(d: Desk) -> None:
    d.key("F2")
    time.sleep(0.3)
    d.type("khai sinh", delay_ms=90)
    time.sleep(0.3)
    d.key("Return")
    time.sleep(0.5)


def _save_and_close_preview(d: Desk, app: CounterProcess, before: int) -> None:
    d.key("ctrl+Return")
    _wait_for_count(app, before + 1)
    d.wait_window("In ")
    time.sleep(0.5)
    d.key("Escape")
    time.sleep(0.5)


# Each case: how the officer put the cursor in a field (keys only), what they typed there first.
FOCUS_CASES = [
    ("fee spin box", ["alt+4"], "6000"),
    ("papers table", ["alt+3", "Down"], ""),
    ("return channel combo box", ["alt+k"], ""),
    ("birth-date field", ["alt+n"], "0101"),
    ("procedure search box", ["alt+1"], ""),
]


@pytest.mark.parametrize(("where", "keys", "typed"), FOCUS_CASES, ids=[c[0] for c in FOCUS_CASES])
def test_a_scan_fills_the_applicant_and_leaves_every_other_field_as_it_was(
    counter_desk: tuple[Desk, CounterProcess], where: str, keys: list[str], typed: str
) -> None:
    d, app = counter_desk
    before = _count(app)
    _choose_birth_registration(d)
    d.key(*keys)
    if typed:
        d.type(typed, delay_ms=120)
    time.sleep(0.3)
    d.type(QR, delay_ms=3)
    d.key("Return")
    time.sleep(0.8)
    _save_and_close_preview(d, app, before)

    row, payload = _newest(app)
    assert row["applicant_name"] == "Lê Văn Lương" and row["id_number"] == "001099012345"
    assert payload["applicant"]["birth_date"] == "1999-01-01"
    assert payload["applicant"]["address"] == "Thôn 3, Xã Thanh Sơn, Huyện Ba Vì, Hà Nội"
    assert row["procedure_name"].startswith("Đăng ký khai sinh")
    assert row["fee"] == (6000 if where == "fee spin box" else payload["fee"])
    if where != "fee spin box":
        assert row["fee"] == 0  # the catalog's fee for a birth registration (free)
    assert row["channel"] == "direct"
    required = [d["index"] for d in payload["documents"]]
    catalog = json.loads(
        _rows(app, "SELECT data FROM procedures WHERE name = ?", row["procedure_name"])[0]["data"]
    )
    assert required == [i for i, doc in enumerate(catalog["documents"]) if doc.get("required", True)]


def test_a_garbled_scan_saves_nothing_and_says_why(counter_desk: tuple[Desk, CounterProcess]) -> None:
    d, app = counter_desk
    before = _count(app)
    _choose_birth_registration(d)
    d.key("alt+4")
    time.sleep(0.3)
    d.type(GARBLED, delay_ms=3)
    d.key("Return")
    time.sleep(0.8)
    d.key("ctrl+Return")  # the officer tries to save anyway: the applicant is still empty
    time.sleep(1.5)
    assert _count(app) == before
    log = (app.data_dir / "logs" / "counter.log").read_text(encoding="utf-8")
    assert "scan refused" in log and "mất chữ" in log and "«Vn»" in log and "cổng COM" in log
    d.key("ctrl+r")
    time.sleep(0.3)


def test_the_main_window_fits_the_screen_and_opens_maximised(
    counter_desk: tuple[Desk, CounterProcess],
) -> None:
    d, _app = counter_desk
    wid = d.wait_window("Quầy một cửa —", unless="Đăng nhập")
    x, y, width, height = d.geometry(wid)
    assert x >= 0 and y >= 0 and x + width <= d.width and y + height <= d.height, (x, y, width, height)
    assert width >= 1300  # maximised, not a small window in a corner


def test_a_keyboard_only_intake_from_procedure_to_printed_file(
    counter_desk: tuple[Desk, CounterProcess], tmp_path: Path
) -> None:
    d, app = counter_desk
    before = _count(app)
    _choose_birth_registration(d)  # the cursor is now in "Họ và tên"
    d.type("Nguyễn Thị Hồng Nhung", delay_ms=90)
    d.key("Tab", "Tab")  # past "Loại giấy tờ" (CCCD already chosen)
    d.type("001199012345", delay_ms=90)
    d.key("Tab")
    d.type("12031999", delay_ms=90)  # as on the card, without slashes
    d.key("Tab", "Down", "Down", "Tab")  # gender: "", Nam, Nữ
    d.type("0912345678", delay_ms=90)
    d.key("Tab")
    d.type("Xóm Đông", delay_ms=90)
    # The papers table: arrows move, Space ticks the optional third paper, Tab leaves.
    d.key("Tab", "Down", "Down", "space", "Tab")
    d.key("Tab")  # "Số bộ" → fee
    d.type("15000", delay_ms=120)
    d.key("Tab", "Down")  # return channel: the second choice
    time.sleep(0.3)
    d.key("ctrl+Return")
    _wait_for_count(app, before + 1)
    preview = d.wait_window("In ")
    time.sleep(0.8)
    x, y, width, height = d.geometry(preview)  # its print, save and close buttons are on the screen
    assert x >= 0 and y >= 0 and x + width <= d.width and y + height <= d.height, (x, y, width, height)
    d.key("ctrl+s")
    d.wait_window("Lưu")
    time.sleep(0.5)
    out = tmp_path / "giay-hen.pdf"
    d.key("ctrl+a")
    d.type(str(out), delay_ms=90)
    d.key("Return")
    deadline = time.monotonic() + 10
    while not out.exists():
        assert time.monotonic() < deadline, "the receipt was not saved"
        time.sleep(0.1)
    d.key("Escape")
    row, payload = _newest(app)
    assert out.read_bytes().startswith(b"%PDF")
    assert row["applicant_name"] == "Nguyễn Thị Hồng Nhung" and row["id_number"] == "001199012345"
    assert payload["applicant"]["birth_date"] == "1999-03-12" and payload["applicant"]["gender"] == "Nữ"
    assert row["phone"] == "0912345678" and row["address"] == "Xóm Đông"
    assert row["fee"] == 15000 and row["channel"] == "post"
    assert [doc["index"] for doc in payload["documents"]] == [0, 1, 2, 5]


def _ready_codes(app: CounterProcess) -> list[str]:
    return [r["code"] for r in _rows(app, "SELECT code FROM dossiers WHERE state = 'ready' ORDER BY num")]


def _wait_for_state(app: CounterProcess, code: str, state: str, timeout: float = 20) -> sqlite3.Row:
    deadline = time.monotonic() + timeout
    while True:
        row = _rows(app, "SELECT * FROM dossiers WHERE code = ?", code)[0]
        if row["state"] == state:
            return row
        assert time.monotonic() < deadline, f"{code} is {row['state']}, not {state}\n{app.output()}"
        time.sleep(0.1)


@pytest.mark.parametrize(("key", "rating"), [("1", "satisfied"), ("2", "unsatisfied"), ("0", None)])
def test_the_citizen_rates_the_return_with_one_key_and_a_receipt_scanned_early_answers_nothing(
    counter_desk: tuple[Desk, CounterProcess], key: str, rating: str | None
) -> None:
    """Keys 1/2/0 through the X server; on the old code (rating keys as QShortcuts, which fire before
    the scanner filter holds a key) the first digit of the next receipt's code answered for the citizen."""
    d, app = counter_desk
    ready = _ready_codes(app)
    assert len(ready) >= 2, "the demo data has too few dossiers ready to return"
    code, next_code = ready[0], ready[1]
    d.key("F4")
    time.sleep(0.3)
    d.type(code, delay_ms=3)  # the receipt's barcode, read by a wedge scanner
    d.key("Return")
    time.sleep(1.0)
    d.key("Return")  # the second Enter records the return: the citizen is asked to rate
    d.wait_window("Đánh giá của công dân")
    time.sleep(0.5)
    d.type(next_code, delay_ms=3)  # the next citizen's receipt, scanned while this one decides
    d.key("Return")
    time.sleep(1.0)
    assert _rows(app, "SELECT state FROM dossiers WHERE code = ?", code)[0]["state"] == "ready"
    assert "Đánh giá của công dân" in d.active_title()  # still asking
    d.key(key)
    row = _wait_for_state(app, code, "returned")
    assert row["rating"] == rating
    event = _rows(
        app, "SELECT payload FROM events WHERE dossier_num = ? ORDER BY seq DESC LIMIT 1", row["num"]
    )
    assert json.loads(event[0]["payload"]).get("rating") == rating
    assert _rows(app, "SELECT state FROM dossiers WHERE code = ?", next_code)[0]["state"] == "ready"
    time.sleep(0.5)
