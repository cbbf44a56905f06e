"""Sync use cases: enroll this counter with the upper-level server, sync now, and the status bar.

What the counter remembers lives in ``settings``: ``sync_server``, ``sync_token`` (the device token),
``sync_commune``, ``sync_cursor`` (the server's pull cursor), ``last_sync`` (last complete exchange),
``sync_last_error`` (Vietnamese, empty when fine), ``sync_problems`` (pulled events that did not fit
this counter's copy of a dossier) and ``server_calendar_version``. See docs/sync.md.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from counter_app.domain.calendar import parse_adjustments
from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.hlc import Timestamp
from counter_app.domain.procedures import parse_catalog
from counter_app.services.calendar import recompute_due_dates
from counter_app.services.context import Counter, open_counter
from counter_app.store import attachments as attachment_store
from counter_app.store import calendar as calendar_store
from counter_app.store import outbox
from counter_app.store import procedures as procedure_store
from counter_app.store.database import put_setting
from counter_app.sync.backoff import Backoff
from counter_app.sync.client import ServerRefused, ServerUnavailable, SyncClient
from counter_app.sync.engine import DEFAULT_BATCH, DEFAULT_LEASE, PushOutcome, push_pending
from counter_app.sync.uploads import UploadOutcome, rate_from_setting, upload_pending
from counter_app.sync.worker import SyncWorker
from counter_app.wire import KNOWN_ACTIONS, CalendarUpdate, CatalogUpdate

MAX_PROBLEMS = 200
# Timer rounds of the background worker push only when this many events wait or the oldest has
# waited this long: gzip on a batch of ~10 events costs about half the bytes per event of single
# events (docs/benchmarks.md). "Sync now" and the first round after start push at once.
PUSH_MIN_BATCH = 20
PUSH_MAX_AGE = timedelta(minutes=30)
NOT_ENROLLED = (
    "Máy chưa đăng ký với máy chủ cấp trên. Hãy chạy «counter-admin enroll --server URL --code MÃ» trước."
)


def check_server_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"Địa chỉ máy chủ «{url}» không hợp lệ: cần dạng https://ten-may-chu (hoặc http:// khi thử nghiệm).",
            field="server",
        )
    return url


# -- enrollment ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnrollResult:
    device_id: str
    commune: str
    commune_name: str
    slot: int


def enroll(
    counter: Counter,
    server: str,
    enrollment_code: str,
    *,
    label: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> EnrollResult:
    """Redeem a one-time code: the counter takes the commune's agency code, its slot and a device token."""
    url = check_server_url(server)
    if not counter.device_id:
        raise ValidationError("Máy chưa được khởi tạo (thiếu mã máy). Hãy chạy «counter-admin init».")
    with SyncClient(url, transport=transport) as client:
        resp = client.enroll(enrollment_code.strip(), counter.device_id, label or socket.gethostname())
    if resp.device_id != counter.device_id:
        raise ServerRefused("Máy chủ trả lời cho một máy khác; không lưu.", code="device_mismatch")
    store = counter.store
    with store.atomic() as conn:
        if store.get_setting("sync_commune") != resp.commune.code:
            put_setting(conn, "sync_cursor", "0")
        put_setting(conn, "sync_server", url)
        put_setting(conn, "sync_token", resp.token)
        put_setting(conn, "sync_commune", resp.commune.code)
        put_setting(conn, "slot", str(resp.slot))
        put_setting(conn, "agency_code", resp.commune.code)
        put_setting(conn, "agency_name", resp.commune.name)
        put_setting(conn, "sync_last_error", "")
        counter.audit(
            conn,
            officer="system",
            action="sync.enroll",
            subject=resp.commune.code,
            detail={"server": url, "slot": resp.slot},
        )
    return EnrollResult(counter.device_id, resp.commune.code, resp.commune.name, resp.slot)


# -- sync now --------------------------------------------------------------------------------------
@dataclass
class SyncResult:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    pending: int = 0
    problems: list[dict] = field(default_factory=list)
    complete: bool = False
    error: str | None = None
    error_code: str | None = None
    busy: bool = False
    uploaded: int = 0  # attachment files the server confirmed (hash checked) in this call
    upload_bytes: int = 0  # body bytes sent for them (cut chunks included)
    files_pending: int = 0  # attachment files the server does not have yet

    @property
    def unreachable(self) -> bool:
        return self.error_code == ServerUnavailable.code


def sync_now(
    counter: Counter,
    *,
    server: str | None = None,
    attempts: int = 3,
    batch: int = DEFAULT_BATCH,
    lease: timedelta = DEFAULT_LEASE,
    timeout: float = 20.0,
    backoff: Backoff | None = None,
    stop: threading.Event | None = None,
    transport: httpx.BaseTransport | None = None,
    push: bool = True,
    upload: bool = True,
) -> SyncResult:
    """Push everything pending (unless ``push`` is false), then pull what the server has for this commune,
    then (unless ``upload`` is false) send the files of acknowledged attach events (counter_app.sync.uploads).

    Retries a broken exchange ``attempts`` times with backoff; never raises for network trouble
    (the result says what happened, and ``sync_last_error`` keeps it for the status bar).
    """
    store = counter.store
    token = store.get_setting("sync_token")
    if not token:
        raise DomainError(NOT_ENROLLED, code="not_enrolled")
    url = check_server_url(server or store.get_setting("sync_server") or "")
    backoff = backoff or Backoff(base=0.5, cap=8.0)
    result = SyncResult()
    pushed = PushOutcome()
    uploads = UploadOutcome()
    with SyncClient(url, token, timeout=timeout, transport=transport) as client:
        for attempt in range(max(1, attempts)):
            try:
                if push:
                    push_pending(store, client, batch=batch, lease=lease, stop=stop, outcome=pushed)
                if stop is None or not stop.is_set():
                    _pull(counter, client, result)
                if upload and (stop is None or not stop.is_set()):
                    _upload(counter, client, uploads, stop)
                result.complete = stop is None or not stop.is_set()
                result.error = result.error_code = None
                break
            except ServerUnavailable as exc:
                result.error, result.error_code = exc.message, exc.code
            except ServerRefused as exc:
                result.error, result.error_code = exc.message, exc.code
                break
            if attempt + 1 < attempts:
                delay = backoff.next_delay()
                if stop is not None:
                    if stop.wait(delay):
                        break
                else:
                    time.sleep(delay)
    result.pushed, result.rejected, result.busy = pushed.pushed, pushed.rejected, pushed.busy
    result.uploaded, result.upload_bytes = uploads.uploaded, uploads.bytes_sent
    result.problems += uploads.problems
    files = attachment_store.upload_counts(store)
    result.files_pending = files["pending"] + files["sending"]
    c = outbox.counts(store)
    result.pending = c["pending"] + c["sending"]
    with store.atomic() as conn:
        if result.complete:
            put_setting(conn, "last_sync", counter.now().isoformat(timespec="seconds"))
            put_setting(conn, "sync_last_error", "")
            if server:
                put_setting(conn, "sync_server", url)
        else:
            put_setting(conn, "sync_last_error", result.error or "Đồng bộ chưa xong; sẽ thử lại.")
    return result


def _pull(counter: Counter, client: SyncClient, result: SyncResult) -> None:
    store = counter.store
    cursor = int(store.get_setting("sync_cursor") or 0)
    tried_catalog = tried_calendar = False
    while True:
        page = client.pull(
            cursor,
            catalog_version=store.get_setting("catalog_version"),
            calendar_version=store.get_setting("server_calendar_version"),
        )
        events, unknown = [], []
        for w in page.events:
            if w.action in KNOWN_ACTIONS:
                events.append(w.to_event())
            else:  # made by a newer release (on the server or another counter): this one cannot fold it
                unknown.append({"event_id": w.id, "dossier_id": w.dossier_id, "seq": w.seq, "action": w.action,
                                "code": "", "message": f"Phần mềm của máy chưa biết thao tác «{w.action}»; hãy cập nhật."})  # fmt: skip
        with store.atomic() as conn:
            applied = outbox.apply_remote(store, events, agency_code=counter.agency_code, slot=counter.slot)
            if events:
                counter.clock.observe(max(Timestamp.decode(e.hlc) for e in events))
                counter.save_clock(conn)
            put_setting(conn, "sync_cursor", str(page.cursor))
            if applied.problems or unknown:
                _remember_problems(counter, conn, unknown + applied.problems)
        result.pulled += applied.applied
        result.problems += unknown + applied.problems
        if page.catalog is not None and not tried_catalog:
            tried_catalog = True
            _apply_catalog(counter, page.catalog, result)
        if page.calendar is not None and not tried_calendar:
            tried_calendar = True
            _apply_calendar(counter, page.calendar, result)
        if not page.more or page.cursor <= cursor:
            break
        cursor = page.cursor


def _upload(
    counter: Counter, client: SyncClient, outcome: UploadOutcome, stop: threading.Event | None
) -> None:
    """Files after events: the server takes only bytes an acknowledged attach event names."""
    store = counter.store
    if not attachment_store.uploadable_files(store, limit=1):
        return
    from counter_app.services.attachments import files_root  # imports Pillow: only when a file waits

    rate = rate_from_setting(store.get_setting("upload_kbps"))
    upload_pending(store, client, files_root(counter), rate=rate, stop=stop, outcome=outcome)


def _remember_problems(counter: Counter, conn: sqlite3.Connection, problems: list[dict]) -> None:
    old = json.loads(counter.store.get_setting("sync_problems") or "[]")
    put_setting(conn, "sync_problems", json.dumps((old + problems)[-MAX_PROBLEMS:], ensure_ascii=False))


def _apply_catalog(counter: Counter, update: CatalogUpdate, result: SyncResult) -> None:
    try:
        version, procedures = parse_catalog(update.data)
    except (DomainError, KeyError, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, DomainError) else "Danh mục từ máy chủ không đúng cấu trúc."
        result.problems.append({"kind": "catalog", "message": message})
        return
    procedure_store.import_catalog(counter.store, version, procedures)
    with counter.store.atomic() as conn:
        put_setting(conn, "catalog_version", update.version)
        counter.audit(
            conn,
            officer="system",
            action="catalog.import",
            subject=update.version,
            detail={"procedures": len(procedures), "source": "server"},
        )


def _apply_calendar(counter: Counter, update: CalendarUpdate, result: SyncResult) -> None:
    try:
        adjustments = parse_adjustments(update.data)
    except DomainError as exc:
        result.problems.append({"kind": "calendar", "message": exc.message})
        return
    before = counter.calendar.fingerprint()
    with counter.store.atomic() as conn:
        calendar_store.replace_origin(conn, "server", adjustments)
        put_setting(conn, "server_calendar_version", update.version)
        counter.audit(
            conn,
            officer="system",
            action="calendar.import",
            subject=update.version,
            detail={"adjustments": len(adjustments), "source": "server"},
        )
    counter.reload_calendar()
    if counter.calendar.fingerprint() != before:
        recompute_due_dates(counter, "system")  # reschedule events; they go out with the next push


def push_due(counter: Counter, min_batch: int = PUSH_MIN_BATCH, max_age: timedelta = PUSH_MAX_AGE) -> bool:
    """Whether a timer round should push: enough events gathered, or the oldest waited long enough."""
    c = outbox.counts(counter.store)
    if c["pending"] >= min_batch:
        return True
    if not c["pending"]:
        return False
    oldest = counter.store.scalar(
        "SELECT min(e.at) FROM outbox o JOIN events e ON e.num = o.event_num WHERE o.state = 'pending'"
    )
    return oldest is not None and counter.now() - datetime.fromisoformat(oldest) >= max_age


# -- status ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server: str | None
    commune: str | None
    last_success: datetime | None
    pending: int
    rejected: int
    last_error: str | None

    def line_vi(self) -> str:
        """The status-bar text."""
        if not self.enrolled:
            return "Chưa đăng ký đồng bộ"
        when = f"{self.last_success:%H:%M %d/%m/%Y}" if self.last_success else "chưa lần nào"
        parts = [f"Đồng bộ lần cuối: {when}", f"chờ gửi: {self.pending}"]
        if self.rejected:
            parts.append(f"bị từ chối: {self.rejected}")
        if self.last_error:
            parts.append(self.last_error)
        return "; ".join(parts)


def status(counter: Counter) -> SyncStatus:
    store = counter.store
    c = outbox.counts(store)
    last = store.get_setting("last_sync")
    return SyncStatus(
        enrolled=bool(store.get_setting("sync_token")),
        server=store.get_setting("sync_server"),
        commune=store.get_setting("sync_commune"),
        last_success=datetime.fromisoformat(last) if last else None,
        pending=c["pending"] + c["sending"],
        rejected=c["rejected"],
        last_error=store.get_setting("sync_last_error") or None,
    )


def rejected_events(counter: Counter, limit: int = 100) -> list[dict]:
    return outbox.rejected(counter.store, limit)


# -- background ------------------------------------------------------------------------------------
def start_worker(
    db_path: Path | str,
    *,
    interval: float = 600.0,
    now: Callable[[], datetime] | None = None,
    transport: httpx.BaseTransport | None = None,
    **sync_options: object,
) -> SyncWorker:
    """Background sync on its own SQLite connection (the UI keeps its own). Not enrolled: it idles.
    Every ``interval`` seconds it pulls, and pushes when :func:`push_due`; ``wake()`` does both now."""
    holder: dict[str, Counter] = {}

    def run_once(stop: threading.Event, forced: bool) -> SyncResult:
        if "counter" not in holder:
            holder["counter"] = open_counter(db_path, now=now) if now else open_counter(db_path)
        counter = holder["counter"]
        if not counter.store.get_setting("sync_token"):
            return SyncResult(complete=True)
        push = forced or push_due(counter)
        return sync_now(counter, stop=stop, transport=transport, attempts=1, push=push, **sync_options)  # type: ignore[arg-type]

    def close() -> None:
        if "counter" in holder:
            holder.pop("counter").store.close()

    return SyncWorker(run_once, interval=interval, on_exit=close).start()
