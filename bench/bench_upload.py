"""Attachment upload over a thin, lossy line: N MB of scans through an emulated 1 Mbit/s link that
cuts 5 % of the requests at a random point (their bytes already spent on the line).

Prints the overhead (bytes that crossed the link / bytes of the files; goal ≤ 1.1) and the time.
The issue asks for 50 MB; at 1 Mbit/s that alone is 7 minutes, so the default is 10 MB (``--mb 50``
runs the full volume). Real PostgreSQL (a temp cluster), the real server in a thread, a real counter.

    python bench/bench_upload.py [--mb 10] [--kbit 1000] [--drop 0.05] [--file-kb 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "server")]

from faulty_proxy import FaultyProxy  # noqa: E402
from helpers import receive  # noqa: E402
from pg_cluster import Cluster  # noqa: E402
from server_harness import District, ServerThread  # noqa: E402

from counter_app.domain.attachments import PageKind  # noqa: E402
from counter_app.services import attachments as attachment_service  # noqa: E402
from counter_app.services import sync as sync_service  # noqa: E402
from counter_app.services.attachments import AttachRequest, EncodedPage, build_pdf  # noqa: E402
from counter_app.services.context import open_counter  # noqa: E402
from counter_app.services.setup import initialize  # noqa: E402
from district_server.db import migrate  # noqa: E402

COMMUNE = "000.00.21.H40"


class Link(FaultyProxy):
    """One shared line of ``rate`` bytes/s (both directions metered), ``rtt`` seconds of latency,
    and a probability ``drop`` that a request is cut at a random point of its bytes."""

    def __init__(
        self, upstream_port: int, rate: float, drop: float, rtt: float = 0.06, seed: int = 9
    ) -> None:
        super().__init__(upstream_port, seed=seed)
        self.rate, self.drop, self.rtt = rate, drop, rtt
        self.free_at = 0.0  # when the line is next idle (loop time)
        self.wire_up = 0  # request bytes that crossed the line, cut requests included
        self.wire_down = 0

    async def _line(self, n: int) -> None:
        loop = asyncio.get_running_loop()
        self.free_at = max(self.free_at, loop.time()) + n / self.rate
        await asyncio.sleep(max(0.0, self.free_at - loop.time()))

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = [ln for ln in head.decode("latin-1").split("\r\n") if ln]
        length = next(
            (int(ln.split(":", 1)[1]) for ln in lines if ln.lower().startswith("content-length:")), 0
        )
        kept = [ln for ln in lines if ln.split(":", 1)[0].strip().lower() not in ("connection", "keep-alive")]
        total = len(head) + length
        cut_at = int(self._rng.uniform(0, total)) if self._rng.random() < self.drop else None
        self.stats["requests"] += 1
        await asyncio.sleep(self.rtt / 2)
        r, w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            data = ("\r\n".join([*kept, "Connection: close"]) + "\r\n\r\n").encode("latin-1")
            sent, remaining = 0, length
            while True:
                if cut_at is not None and sent + len(data) >= cut_at:
                    await self._line(cut_at - sent)
                    self.wire_up += cut_at - sent
                    w.write(data[: cut_at - sent])
                    await w.drain()
                    self.stats["drops"] += 1
                    return
                await self._line(len(data))
                self.wire_up += len(data)
                sent += len(data)
                w.write(data)
                await w.drain()
                if not remaining:
                    break
                data = await reader.read(min(8192, remaining))
                if not data:
                    return
                remaining -= len(data)
            answer = await asyncio.wait_for(r.read(), 60)
            await asyncio.sleep(self.rtt / 2)
            await self._line(len(answer))
            self.wire_down += len(answer)
            writer.write(answer)
            await writer.drain()
        finally:
            w.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await w.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--kbit", type=float, default=1000.0)
    parser.add_argument("--drop", type=float, default=0.05)
    parser.add_argument("--file-kb", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="qmc-bench-upload-"))
    os.environ["COUNTER_SERVER_FILES_DIR"] = str(tmp / "server-files")
    cluster = Cluster().start()
    server = link = counter = None
    try:
        url = cluster.create_database("bench_upload")
        migrate(url)
        district = District(url)
        district.add_commune(COMMUNE, "UBND xã Thanh Sơn")
        server = ServerThread(url).start()
        counter = open_counter(tmp / "counter.db")
        initialize(counter)
        sync_service.enroll(counter, server.url, district.enrollment_code(COMMUNE))
        rng = random.Random(1)
        files = max(1, int(args.mb * 1_000_000 / (args.file_kb * 1000)))
        for i in range(files):
            code = receive(counter).dossier.code
            path = tmp / f"scan-{i}.pdf"
            noise = rng.randbytes(args.file_kb * 1000)
            path.write_bytes(build_pdf([EncodedPage(1000, 1400, 150.0, PageKind.PHOTO, noise)]))
            attachment_service.attach(counter, AttachRequest(code=code, path=path, document=0))
            path.unlink()
        assert sync_service.sync_now(counter, upload=False).complete  # events first, on the plain line
        needed = counter.store.scalar("SELECT sum(bytes) FROM attachment_files")
        link = Link(server.port, rate=args.kbit * 1000 / 8, drop=args.drop).start()
        started = time.monotonic()
        rounds = uploaded = body = 0
        while True:
            rounds += 1
            result = sync_service.sync_now(counter, server=link.url, attempts=3)
            uploaded += result.uploaded
            body += result.upload_bytes
            if result.files_pending == 0 or rounds >= 20:
                break
        elapsed = time.monotonic() - started
        ideal = needed / (args.kbit * 1000 / 8)
        print(f"files: {files} x ~{args.file_kb} KB = {needed / 1e6:.1f} MB; link {args.kbit:.0f} kbit/s, "
              f"{args.drop:.0%} of requests cut; sync rounds: {rounds}; uploaded: {uploaded}; "
              f"still pending: {result.files_pending}")  # fmt: skip
        print(f"requests: {link.stats['requests']}, cut: {link.stats['drops']}")
        print(f"overhead, bytes up the line / bytes needed: {link.wire_up / needed:.3f} "
              f"(file bodies only: {body / needed:.3f}; answers down: {link.wire_down / 1e3:.0f} KB)")  # fmt: skip
        print(f"time: {elapsed:.1f} s (line-rate minimum {ideal:.1f} s, ratio {elapsed / ideal:.2f})")
    finally:
        if link is not None:
            link.stop()
        if counter is not None:
            counter.store.close()
        if server is not None:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
