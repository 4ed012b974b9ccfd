"""The only package that knows SQL: tables, migrations, queries and the change feed.

``lock(session, name)``: serialise a named critical section until the session's transaction ends
(PostgreSQL advisory lock; SQLite write transactions are already serialised).
"""

from __future__ import annotations

from typing import Any


def lock(session: Any, name: str) -> None:
    """See :func:`scc_tui.store.db.lock` (imported on use: ``scc_tui.store`` stays cheap to import)."""
    from scc_tui.store.db import lock as _lock

    _lock(session, name)
