"""A day at the counter makes hundreds of thousands of Qt calls from Python; the window must
outlive them (PySide6 6.12 on Python 3.11 steals a reference to None, True or False per call)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

DAY = textwrap.dedent(
    """
    import sys
    from counter_app.ui.qt import QObject, QtWidgets, Signal, emit
    from counter_app.services.context import open_counter
    from counter_app.ui.worker import Worker

    class Ping(QObject):
        ping = Signal(object)

    app = QtWidgets.QApplication([])
    label, ping = QtWidgets.QLabel(), Ping()
    for i in range(120_000):  # several times the references None has when the window opens
        label.setText("x")
        label.isVisible()
        emit(ping.ping, None)
    app.processEvents()
    worker = Worker(open_counter(sys.argv[1]))
    answers = []
    for i in range(3_000):
        worker.submit(lambda c: None, answers.append)
    worker.wait()
    while len(answers) < 3_000:
        app.processEvents()
    print("ok")
    """
)


def test_the_window_outlives_a_day_of_qt_calls(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", DAY, str(tmp_path / "counter.db")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")
