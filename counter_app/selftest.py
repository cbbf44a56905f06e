"""``counter-app --self-test``: proves a build works end to end on this machine, without touching real data.

Opens a fresh database in a temporary folder, records an intake from a chip-card QR, builds the
receipt PDF, rasterises it and decodes its barcode back to the dossier code, and opens the main
window offscreen (so missing Qt plugins or fonts show). Exit 0 only when every step passed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

QR = "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021"


def run() -> int:
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="quay-mot-cua-selftest-") as tmp:
        os.environ["COUNTER_DATA_DIR"] = tmp
        import pypdfium2
        import zxingcpp

        from counter_app.services import documents, officers
        from counter_app.services.context import open_counter
        from counter_app.services.intake import IntakeRequest, intake
        from counter_app.services.setup import initialize

        counter = open_counter(Path(tmp) / "counter.db")
        initialize(counter, agency_code="000.00.21.H40", agency_name="UBND xã Tự Kiểm Tra")
        result = intake(counter, IntakeRequest(procedure_code="2.000815", cccd_qr=QR))
        code = result.dossier.code
        pdf = documents.print_dossier_form(counter, "receipt", code, paper="a5").pdf
        doc = pypdfium2.PdfDocument(pdf)
        page = doc[0]
        bitmap = page.render(scale=203 / 72, grayscale=True)
        image = bitmap.to_pil()
        decoded = [r.text for r in zxingcpp.read_barcodes(image)]
        image.close()
        bitmap.close()
        page.close()
        doc.close()
        if code not in decoded:
            print(f"self-test FAILED: barcode read {decoded!r}, expected {code}", file=sys.stderr)
            return 1

        from counter_app.ui.main_window import MainWindow
        from counter_app.ui.qt import QtWidgets
        from counter_app.ui.worker import Worker

        app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
        worker = Worker(counter)
        window = MainWindow(worker, officers.default_officer(counter))
        window.show()
        window.start()
        while worker.busy:
            app.processEvents()
            time.sleep(0.005)
        window.close()
        worker.wait()
        counter.store.close()
    elapsed = time.perf_counter() - started
    print(
        f"self-test ok: intake {code}, receipt {len(pdf):,} bytes, barcode decoded, window opened ({elapsed:.1f} s)"
    )
    return 0
