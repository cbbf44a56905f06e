"""Server tests on real parts: a PostgreSQL cluster for the session, a fresh database per test (copied
from a migrated template), the real FastAPI app under uvicorn, real counters on temp SQLite files.

PostgreSQL missing is a failure with a clear message, never a skip.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Helper modules (pg_cluster, server_harness, faulty_proxy) live next to this file; appended, not
# prepended, so that "conftest" still names tests/conftest.py for the test modules.
sys.path.append(str(Path(__file__).resolve().parent))

from pg_cluster import TEMPLATE, Cluster, PostgresMissing
from server_harness import District, ServerThread

from counter_app.services.context import Counter, open_counter
from counter_app.services.setup import initialize
from district_server.db import migrate

COMMUNE_A = "000.00.21.H40"
COMMUNE_B = "000.00.22.H40"


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    try:
        cluster = Cluster().start()
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        migrate(cluster.create_database(TEMPLATE))
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def database_url(pg: Cluster) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield pg.create_database(name, template=TEMPLATE)
    pg.drop_database(name)


@pytest.fixture
def district(database_url: str) -> District:
    """Two communes, A and B, registered on the server."""
    d = District(database_url)
    d.add_commune(COMMUNE_A, "UBND xã Thanh Sơn")
    d.add_commune(COMMUNE_B, "UBND xã Thanh Thủy")
    return d


@pytest.fixture
def server(database_url: str) -> Iterator[ServerThread]:
    s = ServerThread(database_url).start()
    yield s
    s.stop()


@pytest.fixture
def make_counter(tmp_path: Path, clock: Callable[[], object]) -> Iterator[Callable[[str], Counter]]:
    """Fresh counters on their own SQLite files, sharing the test's clock."""
    made: list[Counter] = []

    def make(name: str) -> Counter:
        c = open_counter(tmp_path / f"{name}.db", now=clock)
        initialize(c)
        made.append(c)
        return c

    yield make
    for c in made:
        c.store.close()
