"""The worker thread: results come back on the UI thread, errors too, and nothing leaks a reference."""

from __future__ import annotations

import sys
import threading

from ui_support import settle

from counter_app.services.context import Counter
from counter_app.ui.worker import Worker


def test_results_and_errors_come_back_on_the_ui_thread(worker: Worker, qtbot) -> None:
    ui_thread = threading.get_ident()
    seen: list[tuple[str, int, object]] = []
    worker.submit(
        lambda counter: threading.get_ident(), lambda r: seen.append(("done", threading.get_ident(), r))
    )
    worker.submit(lambda counter: 1 / 0, None, lambda e: seen.append(("failed", threading.get_ident(), e)))
    settle(qtbot, worker)
    (kind1, where1, job_thread), (kind2, where2, error) = seen
    assert (kind1, kind2) == ("done", "failed")
    assert where1 == where2 == ui_thread and job_thread != ui_thread
    assert isinstance(error, ZeroDivisionError)


def test_many_jobs_do_not_wear_out_none_true_or_false(counter: Counter, worker: Worker, qtbot) -> None:
    """PySide6 6.12.0 loses a reference to True per emit and to None per void call (and per
    QRunnable.run, which the worker no longer uses); on Python 3.11 that aborted the window after
    some thousand operations. ui.qt makes the three immortal; test_long_day runs a whole day."""
    for _ in range(500):
        worker.submit(lambda c: c.slot, lambda r: None)
    settle(qtbot, worker)
    if sys.version_info < (3, 12):
        assert min(sys.getrefcount(x) for x in (None, True, False)) > 1 << 39


def test_a_use_case_reports_its_changes_and_the_worker_tells_every_page(counter, qtbot) -> None:
    """Anki's habit: one 'changed' signal after the job, instead of callers refreshing pages by hand."""
    from helpers import receive

    from counter_app.services import actions
    from counter_app.services.changes import Changes
    from counter_app.ui.worker import Worker

    worker = Worker(counter)
    code = receive(counter, procedure_code="1.001022").dossier.code
    counter.take_changes()  # what the set-up recorded
    with qtbot.waitSignal(worker.changed, timeout=5000) as told:
        worker.submit(
            lambda c: actions.perform(c, actions.ActionRequest(code=code, action="transfer", officer="admin"))
        )
    assert told.args[0] == Changes(dossiers=True)
    with qtbot.assertNotEmitted(worker.changed, wait=200):
        worker.submit(lambda c: c.agency_name)  # a read changes nothing
    worker.wait()
