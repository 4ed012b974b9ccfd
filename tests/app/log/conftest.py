"""Fixtures for the log screen tests (helpers live in ``tests.helpers.log``)."""

from __future__ import annotations

import pytest

from tests.helpers.log import T0, seed_log
from scc_tui.domain.clock import FixedClock


@pytest.fixture
def sqlite_store(tmp_path):
    from scc_tui.store.db import Store

    clock = FixedClock(T0)
    s = Store(f"sqlite:///{tmp_path / 'scc.db'}", clock)
    yield s
    s.dispose()


@pytest.fixture
def seeded(store):
    """The shared ``store`` fixture (SQLite, and PostgreSQL when SCC_TEST_PG is set), seeded."""
    store.clock.set(T0)
    seed_log(store)
    return store


@pytest.fixture
def seeded_sqlite(sqlite_store):
    """SQLite only, for snapshots."""
    seed_log(sqlite_store)
    return sqlite_store
