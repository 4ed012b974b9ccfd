"""The PostgreSQL test server: its admin URL (``SCC_TEST_PG``), the backends a store test runs on, and
a fresh database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

PG_ADMIN_URL = os.environ.get("SCC_TEST_PG", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN_URL else [])


def create_pg_database() -> tuple[str, Callable[[], None]]:
    """A new, empty database on the test server: its URL and a function that drops it."""
    import psycopg

    name = "scc_test_" + uuid.uuid4().hex[:12]
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _db = admin.rpartition("/")
    url = f"{base}/{name}"

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop
