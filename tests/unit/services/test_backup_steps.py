"""The daily backup runs beside the officer: its own connection, one snapshot, giving way, stoppable."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from helpers import receive

from counter_app.services import autobackup, maintenance
from counter_app.services.context import Counter, open_counter
from counter_app.services.demo import generate
from counter_app.services.steps import Steps
from counter_app.store import backup as backup_store
from counter_app.store.backup import BackupCancelled


@pytest.fixture
def big(counter: Counter, monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Enough pages for many steps (small steps so the test stays quick)."""
    generate(counter, 300, seed=3, days=20)
    monkeypatch.setattr(backup_store, "PAGES_PER_STEP", 8)
    monkeypatch.setattr(backup_store, "CHECK_OPCODES", 1_000)
    return counter


def count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]


def test_an_intake_during_the_backup_neither_waits_nor_restarts_it(big: Counter, tmp_path: Path) -> None:
    """The officer's connection commits between two steps; the copy is the snapshot it started from."""
    background = open_counter(big.store.path, now=big.now)
    before = count(big.store.path)
    seen: list[int] = []
    intakes: list[str] = []

    def pause() -> None:
        if len(seen) in (3, 6):  # the officer receives a dossier while the copy is under way
            intakes.append(receive(big, name="Trần Thị Bình").dossier.code)

    target = maintenance.backup(
        background, tmp_path / "copy.db", lambda done, total: seen.append(done), None, pause
    )
    assert len(intakes) == 2 and count(big.store.path) == before + 2
    assert seen == sorted(seen) and len(seen) > 6, "a write on another connection restarted the copy"
    assert count(target) == before  # one consistent snapshot, checked
    background.store.close()


def test_the_backup_waits_while_the_officer_works(big: Counter, tmp_path: Path) -> None:
    idle = threading.Event()
    steps = Steps(officer_idle=idle)
    done = threading.Event()
    progressed: list[int] = []

    def run() -> None:
        maintenance.backup(big, tmp_path / "copy.db", lambda d, t: progressed.append(d), None, steps.pause)
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    assert not done.wait(0.5), "the copy went on while the officer was busy"
    assert len(progressed) == 1  # one step, then it waits at the first look
    idle.set()
    assert done.wait(30)
    thread.join()
    assert steps.yielded == 1 and (tmp_path / "copy.db").exists()


def test_closing_the_window_stops_the_copy_and_its_check(big: Counter, tmp_path: Path) -> None:
    idle = threading.Event()
    steps = Steps(officer_idle=idle)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            autobackup.run_daily(big, steps=steps)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    steps.stop()  # the window closes while the copy waits for the officer
    thread.join(10)
    assert not thread.is_alive() and isinstance(outcome[0], BackupCancelled)
    folder = autobackup.backup_dir(big)
    assert not folder.exists() or not list(folder.iterdir())  # no partial copy left behind

    stopped = Steps()
    stopped.stop()
    with pytest.raises(BackupCancelled):
        maintenance.quick_check(big, stopped)
    assert maintenance.quick_check(big, Steps()) is True


def test_progress_is_told_as_a_status_line(big: Counter) -> None:
    lines: list[str] = []
    steps = Steps()
    steps.report = lines.append
    autobackup.run_daily(big, steps=steps)
    assert lines[0].startswith("Đang sao lưu tự động: ") and lines[0].endswith("%")
    assert "Đang kiểm tra bản sao lưu…" in lines and lines[-1] == ""


def test_the_officers_commits_leave_checkpoints_to_housekeeping(counter: Counter) -> None:
    """An intake never stops to fold the WAL into the database; the housekeeping connection does."""
    housekeeping = open_counter(counter.store.path, now=counter.now)
    maintenance.defer_checkpoints(counter)
    for i in range(40):  # well past SQLite's automatic checkpoint of 1,000 pages
        receive(counter, name="Trần Thị Bình")
        generate(counter, 20, seed=i, days=2)
    assert maintenance.checkpoint(housekeeping) > 2000  # nothing was folded back by the intakes
    receive(counter, name="Trần Thị Bình")  # the WAL starts over once folded back
    assert maintenance.checkpoint(housekeeping) < 100
    with sqlite3.connect(counter.store.path) as other:
        assert other.execute("SELECT count(*) FROM dossiers").fetchone()[0] == count(counter.store.path)
    housekeeping.store.close()
