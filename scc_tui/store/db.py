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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from scc_tui.domain.clock import Clock, SystemClock
from scc_tui.domain.errors import SccError
from scc_tui.domain.urls import redact_url, url_has_password  # noqa: F401 - re-exported
from scc_tui.settings import Settings, current

if TYPE_CHECKING:  # SQLAlchemy is imported when a Store opens, not to resolve a URL (issue 11 item 9)
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    from scc_tui.settings import user_data_dir

    return user_data_dir() / "scc.db"


class NoDatabaseError(SccError):
    """An explicitly named database does not exist (or holds no scc database) and the command does
    not create databases."""


def resolve_url(cli_value: str | None = None, settings: Settings | None = None) -> str:
    """``--db`` beats ``SCC_DB`` beats the per-user default SQLite file, as a SQLAlchemy URL.

    A bare path (no ``://``) is taken as a SQLite file. Pure: nothing is created or checked (see
    :func:`database_url` for what a command may create).
    """
    value = cli_value or (settings or current()).db or str(default_db_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        # psycopg 3 is the supported driver.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other backends and in-memory SQLite)."""
    if not url.startswith("sqlite"):
        return None
    rest = url.split("://", 1)[1] if "://" in url else ""
    if not rest.startswith("/") or rest in ("/", "/:memory:"):
        return None
    return Path(rest[1:].split("?", 1)[0])


@dataclass(frozen=True)
class DbTarget:
    """The database a command uses and what it may do to it.

    ``explicit``: named by ``--db`` or ``SCC_DB`` (else the per-user default). ``create``: the schema may
    be created in an empty database (the default file, ``db upgrade --create``, ``scc demo``).
    ``created``: the SQLite file did not exist and was made now (0600).
    """

    url: str
    explicit: bool
    create: bool
    created: bool = False


def database_url(cli_value: str | None = None, settings: Settings | None = None, *, create: bool = False,
                 notice: Callable[[str], None] | None = None) -> DbTarget:
    """Resolve the database for a command, applying the rules for creating one.

    * An explicit SQLite path (``--db``/``SCC_DB``) that does not exist is refused
      (:class:`NoDatabaseError`) unless ``create``; a missing folder is refused always (no folder is
      ever made for an explicit path: a typo must not become a private, empty board).
    * The per-user default file is created on first use (its folder 0700, the file 0600) and
      ``notice`` is told so, once.
    * A new SQLite file is created 0600 before SQLite opens it (its -wal/-shm follow its mode).
    """
    settings = settings or current()
    explicit = bool(cli_value or settings.db)
    url = resolve_url(cli_value, settings)
    path = sqlite_path(url)
    if path is None:
        return DbTarget(url, explicit, create or not explicit)
    if path.exists():
        if path.is_dir():
            raise NoDatabaseError(f"{path} is a directory, not a database file")
        return DbTarget(url, explicit, create or not explicit)
    if explicit:
        if not path.parent.is_dir():
            raise NoDatabaseError(f"no database at {path}: the folder {path.parent} does not exist (check --db/SCC_DB)")
        if not create:
            raise NoDatabaseError(
                f"no database at {path} (check --db/SCC_DB; `scc db upgrade --create --db {path}` makes a new one)"
            )
    else:
        make_private_dir(path.parent)
    create_private_file(path)
    if not explicit and notice is not None:
        notice(f"scc: created a new database at {path} (first use; --db or SCC_DB selects another)")
    return DbTarget(url, explicit, True, created=True)


def make_private_dir(folder: Path) -> None:
    """Create the per-user data folder (and any missing parents) 0700; an existing one is left alone."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(d, 0o700)  # mkdir's mode is masked by the umask


def create_private_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def make_engine(url: str) -> Engine:
    import sqlalchemy as sa
    from sqlalchemy import event

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


def lock_key(name: str) -> int:
    """The PostgreSQL advisory-lock key of a named critical section (e.g. ``"log"``)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock(session: Session, name: str) -> None:
    """Serialise the named critical section until ``session``'s transaction ends, across processes and
    hosts: a transaction-scoped advisory lock on PostgreSQL (re-entrant within the transaction); on
    SQLite every write transaction is already serialised (``BEGIN IMMEDIATE``), so nothing to do."""
    if session.get_bind().dialect.name == "postgresql":
        import sqlalchemy as sa

        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})


_lock_section = lock  # Store.write's ``lock`` argument shadows the name there


class Store:
    """A database and the clock that stamps what is written to it."""

    def __init__(self, url: str, clock: Clock | None = None, *, migrate: bool = True, create: bool = True):
        """``create=False``: a database holding no scc schema at all is refused
        (:class:`NoDatabaseError`) instead of having the schema created in it; an older scc database is
        still upgraded."""
        self.url = url
        self.clock = clock or SystemClock()
        self.engine = make_engine(url)
        self._write_engine = self.engine.execution_options(scc_begin="IMMEDIATE")
        if migrate:
            from scc_tui.store.schema import ensure_schema

            try:
                ensure_schema(self.engine, create=create)
            except BaseException:
                self.engine.dispose()
                raise

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, lock: str | None = None) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error.

        ``lock`` names a critical section that must be serialised across processes and hosts (on
        SQLite every write transaction already is, by ``BEGIN IMMEDIATE``).
        """
        from sqlmodel import Session

        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                if lock:
                    _lock_section(session, lock)
                yield session

    def dispose(self) -> None:
        self.engine.dispose()
