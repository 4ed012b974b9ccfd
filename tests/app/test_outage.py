"""Issue 16 item 8: during a database outage the board shows one status line ("database unreachable
since HH:MM — retrying; nothing you enter is lost"), never a toast per failed poll; a form being
filled in stays open with what was typed, says why it was not saved, and saves once the database is
back. The outage is a store whose every read and write (and change feed) fails with the driver's
OperationalError, as a dropped PostgreSQL database or a vanished SQLite file does."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from scc_tui.app.db_seam import DbSeam
from tests.helpers.board import highlight, open_board
from tests.helpers.keys import VALUES_TYPED
from tests.helpers.board import make_app, seed
from tests.helpers.pg import PG_ADMIN_URL, create_pg_database
from tests.pilot import screen_text, wait_until


class BreakableStore:
    """The real store, until ``broken``: then every use raises OperationalError (multi-line, as
    SQLAlchemy's are)."""

    def __init__(self, store) -> None:
        self._store = store
        self.broken = False
        self.failures = 0  # uses refused while broken

    def _check(self) -> None:
        if self.broken:
            self.failures += 1
            raise OperationalError("SELECT area.id, area.name\nFROM area", {}, Exception("unable to open database file"))

    @contextmanager
    def read(self):
        self._check()
        with self._store.read() as s:
            yield s

    @contextmanager
    def write(self, *a, **kw):
        self._check()
        with self._store.write(*a, **kw) as s:
            yield s

    def __getattr__(self, name):
        return getattr(self._store, name)


class BreakableFeed:
    def __init__(self, store: BreakableStore) -> None:
        self.store = store

    def poll(self) -> bool:
        self.store._check()
        return False

    def close(self) -> None:
        pass


class BreakableSeam(DbSeam):
    """The real seam over the breakable store, with a change feed that fails with it."""

    def open_change_feed(self):
        return BreakableFeed(self.store)


@pytest.fixture
def breakable(board_store):
    return BreakableStore(board_store)


async def test_outage_is_one_status_line_and_a_form_keeps_its_input(breakable, board_store, board_clock):
    from scc_tui.store.models import Assessment

    app = make_app(BreakableSeam(breakable), board_clock, poll_interval=0.05, prompts=False)
    async with app.run_test(size=(100, 24)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Kent & Canterbury Hospital")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        form = app.screen
        for key, value in VALUES_TYPED.items():
            form.query_one(f"#v-{key}").value = value
        await pilot.pause()

        breakable.broken = True
        polls = app.loads
        await wait_until(pilot, lambda: app.db_down_since is not None)
        failed = breakable.failures
        await wait_until(pilot, lambda: breakable.failures >= failed + 10)  # ten more failed polls
        assert app.db_down_since == board_clock.now()
        toasts = [n.message for n in app._notifications]
        assert not any("OperationalError" in m or "unable to open" in m for m in toasts), toasts

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in screen_text(app))
        text = str(form.query_one("#preview").render())
        assert type(app.screen).__name__ == "AssessmentScreen" and app.screen is form
        assert "database unreachable" in text and "what you typed is kept" in text
        assert "SELECT" not in text and "\n" not in text
        assert {k: form.query_one(f"#v-{k}").value for k in VALUES_TYPED} == VALUES_TYPED

        # the board underneath says it once, in its status line
        board = app.screen_stack[1]
        line = str(board.query_one("#status-line").render())
        assert line.startswith("⚠ database unreachable since 10:30 — retrying; nothing you enter is lost")
        assert board.query_one("#status-line").has_class("-outage")

        breakable.broken = False
        await wait_until(pilot, lambda: app.db_down_since is None)
        assert app.loads > polls
        back = [n.message for n in app._notifications if "reachable again" in n.message]
        assert back == ["Database reachable again (unreachable since 10:30)."]
        # the board hears it through the App's store_events (delivered on its next turn): a bounded wait
        await wait_until(pilot, lambda: "unreachable" not in str(board.query_one("#status-line").render()))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        with board_store.read() as session:
            latest = session.exec(select(Assessment).order_by(Assessment.id.desc())).first()
        assert json.loads(latest.values_json) == {k: float(v) for k, v in VALUES_TYPED.items()}


def test_one_line_error_drops_the_sql_and_the_link():
    from scc_tui.app.errors import is_outage, one_line_error, save_error

    exc = OperationalError("SELECT 1\nFROM x", {}, Exception("could not connect to server: Connection refused"))
    line = one_line_error(exc)
    assert "\n" not in line and line.startswith("OperationalError: ") and "Connection refused" in line
    assert "sqlalche.me" not in line and "SELECT" not in line
    assert is_outage(exc) and not is_outage(ValueError("x"))
    assert "what you typed is kept" in save_error(exc) and save_error(ValueError("bad")) == "ValueError: bad"


@pytest.mark.skipif(not PG_ADMIN_URL, reason="needs PostgreSQL (SCC_TEST_PG; CI sets it)")
async def test_postgresql_database_dropped_mid_session_is_one_status_line(board_clock):
    """The real thing: the board's PostgreSQL database is dropped (connections terminated) mid-session."""
    import psycopg

    from scc_tui.store.db import Store, resolve_url

    url, drop = create_pg_database()
    store = Store(resolve_url(url), board_clock)
    try:
        seed(store)
        app = make_app(store, board_clock, poll_interval=0.05, prompts=False)
        async with app.run_test(size=(100, 24)) as pilot:
            await open_board(pilot, app)
            name = url.rsplit("/", 1)[1]
            with psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
                c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            await wait_until(pilot, lambda: app.db_down_since is not None)
            status = app.screen.query_one("#status-line")
            await wait_until(pilot, lambda: "unreachable" in str(status.render()))
            line = str(status.render())
            assert line.startswith("⚠ database unreachable since 10:30 — retrying; nothing you enter is lost")
            toasts = [n.message for n in app._notifications]
            assert not any("OperationalError" in m or "\n" in m for m in toasts), toasts
    finally:
        store.dispose()
        drop()
