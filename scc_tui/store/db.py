"""Engines and transactions.

* SQLite: WAL, a busy timeout, foreign keys on, and ``BEGIN IMMEDIATE`` for every write transaction
  (a deferred transaction that reads then writes fails at once with "database is locked" under two
  writers, busy timeout or not).
* PostgreSQL (psycopg 3): write transactions may take a transaction-scoped advisory lock by name, for
  writes that must be serialised (the log's hash chain).

Use :meth:`Store.read` for reads and :meth:`Store.write` for anything that writes.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scc_tui.domain.clock import Clock, SystemClock

BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("scc-tui", appauthor=False)) / "scc.db"


def resolve_url(cli_value: str | None = None, environ: dict[str, str] | None = None) -> str:
    """``--db`` beats ``SCC_DB`` beats the per-user default SQLite file.

    A bare path (no ``://``) is taken as a SQLite file.
    """
    env = os.environ if environ is None else environ
    value = cli_value or env.get("SCC_DB") or str(default_db_path())
    if "://" not in value:
        path = Path(value).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        # psycopg 3 is the supported driver.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            raise ValueError("in-memory SQLite is not supported: sessions must share one file")
        engine = sa.create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_pre_ping=False,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            # Let SQLAlchemy's "begin" event issue BEGIN; pysqlite's own implicit BEGIN is DEFERRED.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            mode = conn.get_execution_options().get("scc_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Store:
    """A database and the clock that stamps what is written to it."""

    def __init__(self, url: str, clock: Clock | None = None, *, migrate: bool = True):
        self.url = url
        self.clock = clock or SystemClock()
        self.engine = make_engine(url)
        self._write_engine = self.engine.execution_options(scc_begin="IMMEDIATE")
        if migrate:
            from scc_tui.store.schema import ensure_schema

            ensure_schema(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, lock: str | None = None) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error.

        ``lock`` names a critical section that must be serialised across processes and hosts (on
        SQLite every write transaction already is, by ``BEGIN IMMEDIATE``).
        """
        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                if lock and self.dialect == "postgresql":
                    session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(lock)})
                yield session

    def dispose(self) -> None:
        self.engine.dispose()
