"""escalation firings and action-card marks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

One row per (rule key, area, occasion): the unique key makes recording a firing insert-if-absent
across sessions and processes (scc_tui.store.escalations). One action_mark row per (card, area,
item, occasion) (scc_tui.store.actions).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('escalation_firing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_key', sa.String(length=120), nullable=False),
    sa.Column('rule_id', sa.String(length=80), nullable=False),
    sa.Column('ruleset', sa.String(length=80), nullable=False),
    sa.Column('ruleset_version', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('occasion', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('message', sa.String(), nullable=False),
    sa.Column('why', sa.String(), nullable=False),
    sa.Column('include_json', sa.String(), nullable=False),
    sa.Column('optional', sa.Boolean(), nullable=False),
    sa.Column('needs_ack', sa.Boolean(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('since', TS, nullable=False),
    sa.Column('first_seen_at', TS, nullable=False),
    sa.Column('acknowledged_at', TS, nullable=True),
    sa.Column('acknowledged_by', sa.String(length=200), nullable=True),
    sa.Column('ack_note', sa.String(), nullable=True),
    sa.Column('log_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['log_seq'], ['log_entry.seq'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('rule_key', 'area', 'occasion', name='uq_escalation_firing')
    )
    op.create_table('action_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card', sa.String(length=80), nullable=False),
    sa.Column('card_version', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('occasion', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('marked_by', sa.String(length=200), nullable=False),
    sa.Column('marked_at', TS, nullable=False),
    sa.Column('log_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['log_seq'], ['log_entry.seq'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('card', 'area', 'item_id', 'occasion', name='uq_action_mark')
    )


def downgrade() -> None:
    op.drop_table('action_mark')
    op.drop_table('escalation_firing')
