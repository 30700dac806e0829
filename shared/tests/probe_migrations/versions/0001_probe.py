"""probe store: delivery tables and the probe's own state

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from shared.messaging.tables import create_delivery_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_delivery_tables_v1()
    op.create_table(
        "probe_seen",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("ticket", sa.String(50), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("probe_seen")
    op.drop_table("inbox")
    op.drop_table("outbox")
