"""A fault-injecting HTTP/1.1 proxy on loopback (asyncio), between a counter and the server.

Per request it may: drop the connection before forwarding; forward only half the request and hang
up; let the server process the request and then drop its answer (a lost acknowledgement); cut the
answer halfway; forward the request twice; send a stale copy again a little later; delay the
request and the answer. Upstream connections are one per request (``Connection: close``), so a
server restarted meanwhile is simply not reachable for a moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections import Counter
from dataclasses import dataclass

from pg_cluster import free_port

FAULTS = ("drop_request", "cut_request", "drop_response", "cut_response", "duplicate", "late_duplicate")


@dataclass
class Faults:
    drop_request: float = 0.0
    cut_request: float = 0.0
    drop_response: float = 0.0
    cut_response: float = 0.0
    duplicate: float = 0.0
    late_duplicate: float = 0.0
    delay: float = 0.0  # each leg waits up to this many seconds (uniform)
    fixed_delay: float = 0.0  # and at least this many
    every_kind: bool = False  # force each fault with p > 0 at least once (every 4th request, until done)


class FaultyProxy:
    def __init__(self, upstream_port: int, faults: Faults | None = None, seed: int = 0) -> None:
        self.upstream_port = upstream_port
        self.faults = faults or Faults()
        self.port = free_port()
        self.stats: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="faulty-proxy", daemon=True)
        self._ready = threading.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> FaultyProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(15)
        self._loop.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def serve() -> None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
            self._ready.set()

        self._loop.run_until_complete(serve())
        self._loop.run_forever()

    def _spawn(self, coro: object) -> None:
        task = self._loop.create_task(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await self._session(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
            if task is not None:
                self._tasks.discard(task)

    # -- one client connection --------------------------------------------------------------------
    def _pick(self) -> str | None:
        f = self.faults
        if f.every_kind and self.stats["requests"] % 4 == 0:
            missing = [name for name in FAULTS if getattr(f, name) > 0 and self.stats[name] == 0]
            if missing:
                return missing[0]
        roll = self._rng.random()
        for name in FAULTS:
            p = getattr(f, name)
            if roll < p:
                return name
            roll -= p
        return None

    async def _pause(self) -> None:
        f = self.faults
        wait = f.fixed_delay + (self._rng.uniform(0, f.delay) if f.delay else 0.0)
        if wait:
            self.stats["delayed"] += 1
            await asyncio.sleep(wait)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            lines = head.decode("latin-1").split("\r\n")
            length = 0
            kept = [lines[0]]
            for line in lines[1:]:
                if not line:
                    continue
                name = line.split(":", 1)[0].strip().lower()
                if name == "content-length":
                    length = int(line.split(":", 1)[1])
                if name in ("connection", "keep-alive"):
                    continue
                kept.append(line)
            body = await reader.readexactly(length) if length else b""
            request_head = ("\r\n".join([*kept, "Connection: close"]) + "\r\n\r\n").encode("latin-1")
            request = request_head + body
            fault = self._pick()
            self.stats["requests"] += 1
            if fault:
                self.stats[fault] += 1
            await self._pause()
            if fault == "drop_request":
                return
            if fault == "cut_request":
                await self._send_partial(
                    request[: len(request_head) + len(body) // 2] if body else request_head[:-4]
                )
                return
            response = await self._forward(request)
            if response is None:
                return
            if fault == "duplicate":
                again = await self._forward(request)
                response = again or response
            if fault == "late_duplicate":
                self._spawn(self._later(request))
            if fault == "drop_response":
                return
            await self._pause()
            if fault == "cut_response":
                writer.write(response[: len(response) // 2])
                await writer.drain()
                return
            writer.write(response)
            await writer.drain()
            return  # the upstream answer said "Connection: close"

    async def _later(self, request: bytes) -> None:
        await asyncio.sleep(self._rng.uniform(0.2, 2.0))
        await self._forward(request)

    async def _send_partial(self, data: bytes) -> None:
        """The request breaks off midway: the server sees a body shorter than announced, then EOF."""
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.upstream_port), 5)
        except (OSError, TimeoutError):
            return
        try:
            w.write(data)
            await w.drain()
            await asyncio.sleep(0.05)
        except OSError:
            pass
        finally:
            w.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await w.wait_closed()
        del r

    async def _forward(self, data: bytes) -> bytes | None:
        """Send one request upstream and read the whole answer (the server closes after it)."""
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.upstream_port), 5)
        except (OSError, TimeoutError):
            self.stats["upstream_down"] += 1
            return None
        try:
            w.write(data)
            await w.drain()
            return await asyncio.wait_for(r.read(), 30) or None
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            return None
        finally:
            w.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await w.wait_closed()
