"""log security: clock mode, append function, insert guard

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01

* ``scc_meta`` (key, value): ``clock`` = ``live`` (entries stamped by the real clock), ``demo`` or
  ``exercise`` (a fixed or simulated clock may stamp them). An existing log is ``live`` (``demo`` if
  its first entry is the demo mark); a new database is marked on its first append.
* PostgreSQL: ``scc_log_append(...)``, a SECURITY DEFINER function that assigns seq, recorded_at
  (the server's clock) and the hash, so that a login role without rights on ``log_entry`` can append
  and do nothing else; and the append-only triggers, now refusing a plain INSERT too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

DEMO_MARK = "DEMO DATABASE: invented data for training and trying scc-tui. Not real."


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("scc_meta"):  # a pre-Alembic create_all database may have it
        op.create_table(
            "scc_meta",
            sa.Column("key", sa.String(length=40), nullable=False),
            sa.Column("value", sa.String(length=200), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    first = bind.execute(sa.text("SELECT text FROM log_entry ORDER BY seq LIMIT 1")).first()
    if first is not None and bind.execute(sa.text("SELECT count(*) FROM scc_meta WHERE key = 'clock'")).scalar() == 0:
        mode = "demo" if first[0] == DEMO_MARK else "live"
        bind.execute(sa.text("INSERT INTO scc_meta (key, value) VALUES ('clock', :m)"), {"m": mode})
    from scc_tui.store.log import install_guards, install_pg_append_function

    if bind.dialect.name == "postgresql":
        install_pg_append_function(bind)
    install_guards(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("DROP FUNCTION IF EXISTS scc_log_append"))
    op.drop_table("scc_meta")
