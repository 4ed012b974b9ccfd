"""council kind: a local authority with local-authority areas under it is a council, not a provider

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Before this revision a local authority (e.g. Kent County Council ASC) was entered as a ``provider``
with its ``la-area``s under it, so "acts at OPEL 3/4" counted it as an NHS provider. The rule is about
NHS providers only (KCC ASC OPEL plan v1.8 Appendix 4; v1.7 Appendix 3). A provider with a
local-authority area under it can only be a local authority: it becomes a ``council``. No table
changes (``area.kind`` is a string); data only. Not reversible by design (a downgrade keeps councils).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE area SET kind = 'council' WHERE kind = 'provider' AND id IN "
            "(SELECT parent_id FROM area WHERE kind = 'la-area' AND parent_id IS NOT NULL)"
        )
    )


def downgrade() -> None:
    # Turning councils back into providers would restore the wrong rule; leave them as they are.
    pass
