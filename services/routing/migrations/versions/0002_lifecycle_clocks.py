"""routing store: case lifecycle columns and durable clock timers

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CASE_COLUMNS = (
    sa.Column("due_on", sa.Date(), nullable=True),
    sa.Column("target_days", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("claimed_by", sa.String(100), nullable=True),
    sa.Column("paused_on", sa.Date(), nullable=True),
    sa.Column("paused_business_days", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("outcome", sa.String(20), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for column in CASE_COLUMNS:
            batch.add_column(column)
    op.create_table(
        "timers",
        sa.Column("case_id", sa.String(200), primary_key=True),
        sa.Column("level", sa.String(20), primary_key=True),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("elapsed_share", sa.Float(), nullable=False),
        sa.Column("breached", sa.Boolean(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_timers_due", "timers", ["fired_at", "fire_at"])


def downgrade() -> None:
    op.drop_table("timers")
    with op.batch_alter_table("cases") as batch:
        for column in CASE_COLUMNS:
            batch.drop_column(column.name)
