"""routing store: delivery tables and routed cases

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
        "cases",
        sa.Column("case_id", sa.String(200), primary_key=True),
        sa.Column("ticket", sa.String(50), nullable=False, unique=True),
        sa.Column("concern", sa.String(100), nullable=False),
        sa.Column("team", sa.String(100), nullable=False),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("rule_version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_team_status", "cases", ["team", "status"])


def downgrade() -> None:
    op.drop_table("cases")
    op.drop_table("inbox")
    op.drop_table("outbox")
