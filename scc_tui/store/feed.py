"""The change feed: "has anyone written since I last looked?", cheaply, for the board's refresh loop.

One interface, two backends (:meth:`ChangeFeed.for_store` picks):

* SQLite: ``PRAGMA data_version`` on a dedicated connection kept open. The value changes when any
  *other* connection (this process or another) commits to the file; reading it is a few microseconds
  and takes no lock.
* PostgreSQL: ``LISTEN scc_change`` on a dedicated psycopg connection (autocommit). Writers call
  :func:`notify` inside their write transaction; PostgreSQL delivers the notification at commit (never
  for a rolled-back transaction). If the listening connection drops, the next poll reconnects and
  reports a change (something may have been missed).

``poll()`` never blocks for long and never raises for a lost connection: it returns True ("re-read")
so that the caller's refresh shows the truth or the error.
"""

from __future__ import annotations

import sqlite3
import time
import sqlalchemy as sa

CHANNEL = "scc_change"

__all__ = ["CHANNEL", "ChangeFeed", "SQLiteFeed", "PostgresFeed", "notify"]


def notify(session, table: str) -> None:
    """Tell listeners that ``table`` changed, when the current transaction commits (PostgreSQL).

    A no-op on SQLite (``data_version`` needs no help). Call it inside the write transaction.
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_notify(:c, :t)"), {"c": CHANNEL, "t": str(table)[:200]})


class ChangeFeed:
    """Base of the two feeds. ``ChangeFeed.for_store(store)`` returns the right one for the store."""

    @staticmethod
    def for_store(store) -> "ChangeFeed":
        return for_engine(store.engine)

    _conn = None

    def _open(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def poll(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _reopen(self) -> None:
        """After a lost connection: reconnect now if possible (else on the next poll)."""
        try:
            self.close()
        except Exception:  # noqa: BLE001 - already broken
            self._conn = None
        try:
            self._open()
        except Exception:  # noqa: BLE001 - still unreachable: the next poll tries again
            self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def wait(self, timeout: float, interval: float = 0.01) -> bool:
        """Block up to ``timeout`` seconds for a change (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.poll():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def for_engine(engine) -> ChangeFeed:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return SQLiteFeed(url.database)
    if url.get_backend_name() == "postgresql":
        return PostgresFeed(url.set(drivername="postgresql").render_as_string(hide_password=False))
    raise ValueError(f"no change feed for {url.get_backend_name()}")


class SQLiteFeed(ChangeFeed):
    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._open()

    def _open(self) -> None:
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5)
        self._version = self._read()

    def _read(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        try:
            if self._conn is None:
                self._open()
                return True
            v = self._read()
        except sqlite3.Error:
            self._reopen()
            return True
        changed = v != self._version
        self._version = v
        return changed



class PostgresFeed(ChangeFeed):
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._conn = None
        self._open()

    def _open(self) -> None:
        import psycopg

        self._conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def poll(self) -> bool:
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._open()
                return True
            changed = False
            for _n in self._conn.notifies(timeout=0):
                changed = True
            return changed
        except psycopg.Error:
            self._reopen()
            return True

    def wait(self, timeout: float, interval: float = 0.01) -> bool:
        """Block up to ``timeout`` seconds for a notification (no busy loop)."""
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._open()
                return True
            got = False
            for _n in self._conn.notifies(timeout=timeout, stop_after=1):
                got = True  # (the generator holds the connection lock: drain after it ends)
            if got:
                for _m in self._conn.notifies(timeout=0):
                    pass
            return got
        except psycopg.Error:
            self._reopen()
            return True

