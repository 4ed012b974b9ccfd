"""risk register: append-only risk versions

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-01

One ``risk_version`` row per version of a risk (SSOT ICB System Surge Plan 2024/25, Risk register).
Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL): a change is a new version. The
evidence is the digest each version's log entry carries (``scc log verify``), not the triggers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('risk_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('cause', sa.String(), nullable=False),
    sa.Column('event', sa.String(), nullable=False),
    sa.Column('effect', sa.String(), nullable=False),
    sa.Column('inherent_l', sa.Integer(), nullable=False),
    sa.Column('inherent_c', sa.Integer(), nullable=False),
    sa.Column('residual_l', sa.Integer(), nullable=False),
    sa.Column('residual_c', sa.Integer(), nullable=False),
    sa.Column('target_l', sa.Integer(), nullable=True),
    sa.Column('target_c', sa.Integer(), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('areas_json', sa.String(), nullable=False),
    sa.Column('log_refs_json', sa.String(), nullable=False),
    sa.Column('firing_refs_json', sa.String(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', TS, nullable=False),
    sa.Column('log_seq', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['log_seq'], ['log_entry.seq'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('risk_id', 'version', name='uq_risk_version')
    )
    op.create_index(op.f('ix_risk_version_risk_id'), 'risk_version', ['risk_id'], unique=False)
    from scc_tui.store.risks import install_guards

    install_guards(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("DROP TABLE risk_version"))
        bind.execute(sa.text("DROP FUNCTION IF EXISTS scc_risk_version_append_only()"))
        return
    op.drop_index(op.f('ix_risk_version_risk_id'), table_name='risk_version')
    op.drop_table('risk_version')
