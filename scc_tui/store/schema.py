"""Bring a database to the current schema. (Alembic-managed; see migrations/.)"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel


def ensure_schema(engine: Engine) -> None:
    # Placeholder until the Alembic wiring lands: create what is missing.
    from scc_tui.store import models  # noqa: F401  (register tables)

    SQLModel.metadata.create_all(engine)
