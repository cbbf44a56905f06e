"""The counter leases and encodes its next batch while one is on the way: a cut in the middle of that
still loses nothing, duplicates nothing and leaves no row leased."""

from __future__ import annotations

import httpx
from helpers import receive
from server_harness import District, ServerThread

from counter_app.services import actions
from counter_app.services import sync as sync_service
from counter_app.store import outbox

A = "000.00.21.H40"


class CutAfterSending(httpx.HTTPTransport):
    """The network: the ``cut``-th push reaches the server, its answer never comes back."""

    def __init__(self, cut: int) -> None:
        super().__init__()
        self.cut = cut
        self.pushes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path == "/api/v1/push":
            self.pushes += 1
            if self.pushes == self.cut:
                response.read()
                raise httpx.ReadError("connection reset by peer", request=request)
        return response


def test_a_lost_answer_mid_pipeline_loses_and_duplicates_nothing(
    server: ServerThread, district: District, make_counter
) -> None:
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    for _ in range(12):
        code = receive(counter).dossier.code
        actions.perform(counter, actions.ActionRequest(code=code, action="transfer", handler="Tư pháp"))
    cut = CutAfterSending(cut=3)
    broken = sync_service.sync_now(counter, batch=5, attempts=1, transport=cut)
    assert broken.unreachable and broken.pushed == 10
    assert outbox.counts(counter.store) == {"pending": 14, "sending": 0, "rejected": 0}  # none left leased
    assert district.scalar("SELECT count(*) FROM events") == 15  # the third batch did arrive

    again = sync_service.sync_now(counter, batch=5)
    assert again.complete and again.pending == 0 and again.pushed == 14, again
    assert district.scalar("SELECT count(*) FROM events") == 24
    assert district.scalar("SELECT count(DISTINCT id) FROM events") == 24
    # Rows that were leased but never sent do not count as an attempt.
    attempts = dict(counter.store.conn.execute("SELECT attempts, count(*) FROM outbox GROUP BY 1").fetchall())
    assert attempts == {1: 19, 2: 5}
