"""metrics store: delivery tables, case facts and notification facts

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
        "case_facts",
        sa.Column("case_id", sa.String(200), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("concern", sa.String(100), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("missing_documents_count", sa.Integer(), nullable=True),
        sa.Column("urgent_travel", sa.Boolean(), nullable=True),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("routed_on", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(20), nullable=True),
        sa.Column("routed_team", sa.String(100), nullable=True),
    )
    op.create_index("ix_case_facts_received_on", "case_facts", ["received_on"])
    op.create_index("ix_case_facts_routed_on", "case_facts", ["routed_on"])
    op.create_table(
        "notification_facts",
        sa.Column("notification_id", sa.String(200), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_notification_facts_case_id", "notification_facts", ["case_id"])
    op.create_index("ix_notification_facts_occurred_on", "notification_facts", ["occurred_on"])


def downgrade() -> None:
    op.drop_table("notification_facts")
    op.drop_table("case_facts")
    op.drop_table("inbox")
    op.drop_table("outbox")
