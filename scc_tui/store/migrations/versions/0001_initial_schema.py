"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Exactly the tables of scc_tui/store/models.py at the first release. Types are spelled out here
(not imported from models.py) so that this migration never changes when the models do.
UTCDateTime is a TypeDecorator over DateTime(timezone=True): the DDL is the same.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=100), nullable=True),
    sa.Column('plan_area', sa.String(length=100), nullable=True),
    sa.Column('short_name', sa.String(length=40), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['area.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_area_key'), 'area', ['key'], unique=True)
    op.create_index(op.f('ix_area_parent_id'), 'area', ['parent_id'], unique=False)

    op.create_table('log_entry',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('recorded_at', TS, nullable=False),
    sa.Column('event_at', TS, nullable=False),
    sa.Column('late_reason', sa.String(), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('areas_json', sa.String(), nullable=False),
    sa.Column('opel_json', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('rationale', sa.String(), nullable=True),
    sa.Column('risk', sa.String(), nullable=True),
    sa.Column('risk_measure', sa.String(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('review_at', TS, nullable=True),
    sa.Column('corrects_seq', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['corrects_seq'], ['log_entry.seq'], ),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('hash')
    )
    op.create_index(op.f('ix_log_entry_kind'), 'log_entry', ['kind'], unique=False)

    op.create_table('role_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', TS, nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_role_assignment_username'), 'role_assignment', ['username'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('assessed_at', TS, nullable=False),
    sa.Column('recorded_at', TS, nullable=False),
    sa.Column('method', sa.String(length=100), nullable=False),
    sa.Column('plan_version', sa.String(length=100), nullable=True),
    sa.Column('values_json', sa.String(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('normalised', sa.Float(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('dedupe_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    op.create_index('ix_assessment_area_time', 'assessment', ['area_id', 'assessed_at'], unique=False)

    op.create_table('plan_test',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('what_happened', sa.String(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('lessons', sa.String(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', TS, nullable=False),
    sa.Column('log_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['log_seq'], ['log_entry.seq'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('prompt_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=200), nullable=False),
    sa.Column('occurrence_at', TS, nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('due_at', TS, nullable=False),
    sa.Column('first_shown_at', TS, nullable=True),
    sa.Column('missed', sa.Boolean(), nullable=False),
    sa.Column('acknowledged_at', TS, nullable=True),
    sa.Column('acknowledged_by', sa.String(length=200), nullable=True),
    sa.Column('snoozed_until', TS, nullable=True),
    sa.Column('log_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['log_seq'], ['log_entry.seq'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_key', 'occurrence_at', 'stage', name='uq_prompt_occurrence')
    )
    op.create_table('declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', TS, nullable=False),
    sa.Column('recorded_at', TS, nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('computed_level', sa.Integer(), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('dedupe_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], ),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    op.create_index('ix_declaration_area_time', 'declaration', ['area_id', 'declared_at'], unique=False)



def downgrade() -> None:
    for table in ("declaration", "prompt_record", "plan_test", "assessment", "role_assignment", "log_entry", "area"):
        op.drop_table(table)
