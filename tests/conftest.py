"""Shared fixtures.

``store`` / ``db_url`` run a test against every available backend: SQLite always, PostgreSQL when
``SCC_TEST_PG`` holds a server URL (``.ci/run`` starts one on loopback and sets it; under ``CI=true``
it is required, so a missing server fails the run rather than silently narrowing it).
Each test gets its own fresh database.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest

from scc_tui.domain.clock import UTC, FixedClock

PG_ADMIN_URL = os.environ.get("SCC_TEST_PG", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN_URL else [])

if os.environ.get("CI") == "true" and not PG_ADMIN_URL:
    raise RuntimeError("CI=true but SCC_TEST_PG is not set: the suite must run against PostgreSQL too")


def pytest_report_header(config):
    return f"scc-tui database backends: {', '.join(BACKENDS)}"


def _pg_create_database() -> tuple[str, callable]:
    import psycopg

    name = "scc_test_" + uuid.uuid4().hex[:12]
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _db = admin.rpartition("/")
    url = f"{base}/{name}"

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def pytest_configure(config):
    """As ``scc_tui.cli.main`` does at start: the scoring engine reads plans from the data files
    (before collection: some tests build their parameters from the plans)."""
    from scc_tui.datafiles.methods import default_registry
    from scc_tui.domain import scoring

    scoring.set_registry_provider(default_registry)


@pytest.fixture(autouse=True)
def _private_user_dir(tmp_path_factory, monkeypatch):
    """Per-user files (e.g. the log anchors ``scc log verify`` remembers) go to a fresh directory,
    never the real user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture(autouse=True)
def _true_colour(monkeypatch):
    """The app's colour depth comes from TERM/COLORTERM: tests see true colour whatever terminal runs
    them (the 16-colour tests pass their own environment)."""
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL to a fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scc.db'}"
    else:
        url, drop = _pg_create_database()
        yield url
        drop()


@pytest.fixture
def clock():
    """A fixed clock: Monday 23 Nov 2026, 09:00 London (= UTC in winter)."""
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def store(db_url, clock):
    from scc_tui.store.db import Store, resolve_url

    s = Store(resolve_url(db_url), clock)
    yield s
    s.dispose()
