from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from scc_tui.domain.clock import UTC
from scc_tui.store.db import resolve_url
from scc_tui.store.models import Area
from scc_tui.settings import Settings


def _area(name: str, now: datetime) -> Area:
    return Area(name=name, key=name.casefold(), kind="system", created_at=now, updated_at=now)


def test_write_commits_and_times_come_back_aware(store, clock):
    with store.write() as s:
        s.add(_area("East Kent", clock.now()))
    with store.read() as s:
        a = s.exec(select(Area)).one()
    assert a.created_at == clock.now()
    assert a.created_at.tzinfo is not None


def test_write_rolls_back_on_error(store, clock):
    with pytest.raises(RuntimeError):
        with store.write() as s:
            s.add(_area("West Kent", clock.now()))
            s.flush()
            raise RuntimeError("boom")
    with store.read() as s:
        assert s.exec(select(Area)).all() == []


def test_naive_datetime_is_refused(store):
    with pytest.raises(sa.exc.StatementError, match="naive"):
        with store.write() as s:
            s.add(Area(name="X", key="x", kind="system", created_at=datetime(2026, 1, 1), updated_at=datetime(2026, 1, 1)))


def test_sqlite_runs_in_wal_with_busy_timeout(tmp_path, clock):
    from scc_tui.store.db import Store

    st = Store(resolve_url(str(tmp_path / "x.db")), clock)
    with st.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    st.dispose()


def test_sqlite_write_transactions_begin_immediate(tmp_path, clock):
    """A second writer waits on BEGIN IMMEDIATE instead of failing mid-transaction."""
    from scc_tui.store.db import Store

    st = Store(resolve_url(str(tmp_path / "x.db")), clock)
    statements: list[str] = []
    sa.event.listen(st.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with st.write() as s:
        s.add(_area("Swale", clock.now()))
    with st.read() as s:
        s.exec(select(Area)).all()
    begins = [x for x in statements if x.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]
    st.dispose()


def test_resolve_url_precedence(tmp_path):
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url(None, Settings(db=str(tmp_path / "a.db"))) == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url(str(tmp_path / "b.db"), Settings(db="ignored")).endswith("b.db")
