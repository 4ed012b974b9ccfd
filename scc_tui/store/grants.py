"""PostgreSQL: rights for the app's login role, which must not own the tables.

The owner role (the one that ran ``scc db upgrade``) owns every table and the function
``scc_log_append``. :func:`grant_app_role` gives a login role what the app needs and no more on the
log: SELECT on ``log_entry`` (no INSERT, UPDATE, DELETE, TRUNCATE; ALTER and DROP are the owner's
alone) and EXECUTE on ``scc_log_append``, the one way to append, which assigns seq, time and hash.
``scc_meta`` (the clock mode) and ``alembic_version`` are read-only for it. The other tables get
SELECT, INSERT, UPDATE, DELETE, their id sequences USAGE.
"""

from __future__ import annotations

import sqlalchemy as sa

from scc_tui.domain.errors import SccError

__all__ = ["GrantError", "grant_app_role", "APPEND_SIGNATURE"]

APPEND_SIGNATURE = ("scc_log_append(text, timestamptz, timestamptz, text, text, text, text, text, text, text, "
                    "text, text, text, text, timestamptz, integer, text)")
READ_ONLY = ("log_entry", "scc_meta", "alembic_version")


class GrantError(SccError):
    pass


def grant_statements(conn, role: str) -> list[str]:
    q = conn.execute(sa.text("SELECT quote_ident(:r)"), {"r": role}).scalar()
    schema = conn.execute(sa.text("SELECT quote_ident(current_schema())")).scalar()
    tables = list(conn.execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).scalars())
    out = [f"GRANT USAGE ON SCHEMA {schema} TO {q}"]
    for t in tables:
        qt = conn.execute(sa.text("SELECT quote_ident(:t)"), {"t": t}).scalar()
        out.append(f"REVOKE ALL ON TABLE {qt} FROM {q}")
        out.append(f"GRANT SELECT ON TABLE {qt} TO {q}" if t in READ_ONLY
                   else f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {qt} TO {q}")
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {q}")
    out.append(f"GRANT EXECUTE ON FUNCTION {APPEND_SIGNATURE} TO {q}")
    return out


def grant_app_role(engine, role: str) -> list[str]:
    """Grant ``role`` the app's rights (run as the owner). Returns the statements run. Refuses a role
    that owns the log (it could drop the guards) or one that is a superuser."""
    if engine.dialect.name != "postgresql":
        raise GrantError("scc db grant is for PostgreSQL (on SQLite, file permissions decide who can write)")
    with engine.begin() as conn:
        info = conn.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if info is None:
            raise GrantError(f"there is no role {role!r} (CREATE ROLE {role} LOGIN PASSWORD '...', as an administrator)")
        if info[0]:
            raise GrantError(f"{role!r} is a superuser: it can do anything to the log; use an ordinary login role")
        owner = conn.execute(sa.text(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('log_entry')")).scalar()
        if owner is None:
            raise GrantError("the database has no log yet: run `scc db upgrade` as the owner role first")
        if owner == role or conn.execute(sa.text("SELECT pg_has_role(:r, :o, 'MEMBER')"),
                                         {"r": role, "o": owner}).scalar():
            raise GrantError(f"{role!r} owns the tables (or is a member of their owner {owner!r}): the app's login "
                             "role must not; create a separate owner role and run `scc db upgrade` as it")
        stmts = grant_statements(conn, role)
        for stmt in stmts:
            conn.exec_driver_sql(stmt)
    return stmts
