"""Shared fixtures.

``store`` / ``db_url`` run a test against every available backend: SQLite always, PostgreSQL when
``SCC_TEST_PG`` holds a server URL (``.ci/run`` starts one on loopback and sets it; under ``CI=true``
it is required, so a missing server fails the run rather than silently narrowing it).
Each test gets its own fresh database.

Also here, for every test directory: the seeded board database (``board_store``/``board_clock``), the
real winter schedule (``winter``), and a cursor that never blinks in any app under test. Shared
constants and functions live in plain modules (``tests/helpers/``, ``tests/pilot.py``), never here.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from scc_tui.domain.clock import UTC, FixedClock
from tests.helpers.board import BOARD_NOW, seeded_board_store
from tests.helpers.pg import BACKENDS, PG_ADMIN_URL, create_pg_database

if os.environ.get("CI") == "true" and not PG_ADMIN_URL:
    raise RuntimeError("CI=true but SCC_TEST_PG is not set: the suite must run against PostgreSQL too")


def pytest_report_header(config):
    return f"scc-tui database backends: {', '.join(BACKENDS)}"


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
        url, drop = create_pg_database()
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


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch):
    """No text cursor blinks in an app under test: a blink is a timer that redraws the screen, so a
    snapshot or a screen read could catch either phase. (Production code keeps Textual's default.)
    Every ``Input`` and ``TextArea`` (and subclass) starts with ``cursor_blink`` off."""
    from textual.widgets import Input, TextArea

    for cls in (Input, TextArea):
        init = cls.__init__

        def steady(self, *args, _init=init, **kwargs):
            _init(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(cls, "__init__", steady)


@pytest.fixture
def board_clock():
    """The board tests' fixed clock: Monday 23 Nov 2026, 10:30 London."""
    return FixedClock(BOARD_NOW)


@pytest.fixture
def board_store(tmp_path, board_clock):
    """A SQLite database seeded with the board's areas, assessments and declarations
    (``tests/helpers/board.py``)."""
    store = seeded_board_store(tmp_path / "board.db", board_clock)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def winter():
    """The real winter schedule (``schedules/kent-medway-winter.toml``)."""
    from scc_tui.datafiles.schedules import load_schedule
    from tests.helpers.agenda import WINTER

    return load_schedule(WINTER)
