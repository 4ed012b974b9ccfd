"""Alembic environment for scc-tui.

Run by :mod:`scc_tui.store.schema` with an open connection in ``config.attributes["connection"]``
(already inside the transaction that holds the schema lock). No logging configuration is loaded:
the app owns stderr.

For developers, ``alembic -c scc_tui/store/alembic.ini -x url=sqlite:///dev.db revision --autogenerate``
also works (it opens its own engine from ``-x url=``).
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from scc_tui.store import models  # noqa: F401  (register tables)

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite: ALTER via copy-and-move
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from scc_tui.store.db import make_engine, resolve_url

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give a database: alembic -x url=sqlite:///path.db ...")
    engine = make_engine(resolve_url(url))
    with engine.begin() as conn:
        _configure(conn)
        context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported")
run_migrations_online()
