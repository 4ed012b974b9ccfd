"""Bring a database to the current schema with Alembic (``store/migrations``).

* :func:`ensure_schema` runs every time a :class:`~scc_tui.store.db.Store` opens: one cheap read of
  ``alembic_version`` when the database is current; otherwise it takes the schema lock (SQLite
  ``BEGIN IMMEDIATE``; PostgreSQL a transaction-scoped advisory lock), looks again (another process
  may have just done it) and upgrades to head inside that one transaction.
* A new, empty database is created by the migrations (never by ``create_all``).
* A database created by the pre-Alembic placeholder (``create_all``: tables but no
  ``alembic_version``) is stamped at the initial revision, whose tables are the same, then upgraded.
* A database at a revision this code does not know (written by a newer scc-tui) is refused with
  :class:`SchemaTooNewError`, before anything is touched.

Alembic is configured programmatically from the package directory, so this works from an installed
wheel; no logging configuration is loaded (the app owns stderr).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scc_tui.domain.errors import SccError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the revision whose tables equal the pre-Alembic create_all placeholder
_LOCK_KEY = 0x5CC_5C4E_4D41  # pg advisory lock id for schema changes


class SchemaTooNewError(SccError):
    """The database was migrated by a newer scc-tui than this one."""


class SchemaError(SccError):
    """The database's schema state cannot be handled (e.g. branched revisions)."""


@dataclass(frozen=True)
class SchemaInfo:
    backend: str
    revision: str | None  # None: no alembic_version (empty or pre-Alembic database)
    head: str
    current: bool  # revision == head
    legacy: bool  # tables present but never stamped


def _config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()  # no ini file: nothing reads logging config
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    heads = _script().get_heads()
    if len(heads) != 1:  # pragma: no cover - a packaging mistake
        raise SchemaError(f"migrations have {len(heads)} heads: {', '.join(heads)}")
    return heads[0]


def _current(conn: Connection) -> tuple[str | None, bool]:
    """(revision or None, legacy) as stored in the database."""
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    if len(heads) > 1:
        raise SchemaError(f"database has several schema revisions ({', '.join(heads)}); run `scc db upgrade` with the newest scc")
    rev = heads[0] if heads else None
    legacy = rev is None and sa.inspect(conn).has_table("area")
    return rev, legacy


def _check_known(rev: str | None) -> None:
    if rev is None:
        return
    from alembic.util import CommandError

    try:
        known = _script().get_revision(rev)
    except CommandError:
        known = None
    except Exception:  # alembic raises ResolutionError (a CommandError subclass) in recent versions
        known = None
    if known is None:
        raise SchemaTooNewError(
            f"database schema revision {rev!r} is unknown to this scc-tui (newest known: {head_revision()!r}); "
            "it was probably written by a newer version: upgrade scc-tui, do not use this one on it"
        )


def schema_info(engine: Engine) -> SchemaInfo:
    with engine.connect() as conn:
        rev, legacy = _current(conn)
    head = head_revision()
    return SchemaInfo(engine.dialect.name, rev, head, rev == head, legacy)


def ensure_schema(engine: Engine, *, create: bool = True) -> tuple[str | None, str]:
    """Upgrade the database to head if needed. Returns ``(revision before, revision after)``.

    Raises :class:`SchemaTooNewError` for a database at an unknown (newer) revision. With
    ``create=False`` a database holding no scc schema (never stamped, no scc tables) is refused with
    :class:`~scc_tui.store.db.NoDatabaseError` rather than having the schema made in it.
    """
    head = head_revision()
    with engine.connect() as conn:
        rev, legacy = _current(conn)
    _check_known(rev)
    if rev is None and not legacy and not create:
        from scc_tui.store.db import NoDatabaseError, redact_url

        raise NoDatabaseError(
            f"{redact_url(str(engine.url.render_as_string(hide_password=False)))} holds no scc database "
            "(check --db/SCC_DB; `scc db upgrade --create` makes one there)"
        )
    if rev == head:
        return rev, head
    return _upgrade_locked(engine, head)


def _upgrade_locked(engine: Engine, head: str) -> tuple[str | None, str]:
    from alembic import command

    if engine.dialect.name == "sqlite":
        conn = engine.execution_options(scc_begin="IMMEDIATE").connect()
    else:
        conn = engine.connect()
    try:
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            rev, legacy = _current(conn)  # again, under the lock
            _check_known(rev)
            if rev == head:
                return rev, head
            cfg = _config(conn)
            if legacy:
                command.stamp(cfg, BASELINE)
            command.upgrade(cfg, "head")
        return rev, head
    finally:
        conn.close()
