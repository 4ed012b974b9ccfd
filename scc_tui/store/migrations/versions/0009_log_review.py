"""log reviews: a review of a decision is its own kind, linked to the decision

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01

``log_review`` (entry_seq -> decision_seq): which decision a ``review`` entry reviews, written in the
same transaction as the entry. Before this revision the log's review key wrote a ``prompt-ack`` entry
whose text began "Review of decision #n:", and the app found reviews by matching that text. Those
entries stay as they are (the log is append-only); this migration links each one to its decision once,
so that from now on reviews are read from the link, never from text.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

_LEGACY = re.compile(r"^Review of decision #(\d+)\b")


def upgrade() -> None:
    op.create_table(
        "log_review",
        sa.Column("entry_seq", sa.Integer(), nullable=False),
        sa.Column("decision_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_seq"], ["log_entry.seq"]),
        sa.ForeignKeyConstraint(["decision_seq"], ["log_entry.seq"]),
        sa.PrimaryKeyConstraint("entry_seq"),
    )
    op.create_index(op.f("ix_log_review_decision_seq"), "log_review", ["decision_seq"], unique=False)
    bind = op.get_bind()
    decisions = {r[0] for r in bind.execute(sa.text("SELECT seq FROM log_entry WHERE kind = 'decision'"))}
    rows = []
    for seq, text in bind.execute(sa.text(
            "SELECT seq, text FROM log_entry WHERE kind = 'prompt-ack' AND text LIKE 'Review of decision #%'")):
        m = _LEGACY.match(text or "")
        if m and int(m.group(1)) in decisions:
            rows.append({"e": seq, "d": int(m.group(1))})
    if rows:
        bind.execute(sa.text("INSERT INTO log_review (entry_seq, decision_seq) VALUES (:e, :d)"), rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_log_review_decision_seq"), table_name="log_review")
    op.drop_table("log_review")
