"""notify store: delivery tables, recipients, timeline, notifications

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from shared.messaging.tables import create_delivery_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    create_delivery_tables_v1()
    op.create_table(
        "recipients",
        sa.Column("case_id", sa.String(200), primary_key=True),
        sa.Column("ticket", sa.String(50), nullable=True),
        sa.Column("concern", sa.String(100), nullable=True),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("received_event_id", sa.String(200), nullable=True),
        sa.Column("received_at", TS, nullable=True),
        sa.Column("missing_documents", sa.JSON(), nullable=False),
        sa.Column("tracking_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("contact_language", sa.String(35), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
    )
    op.create_table(
        "timeline",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(200), nullable=False, index=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False, index=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("channel", sa.String(30), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("cause_event_id", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("cause_event_id", "channel", name="uq_notification_once"),
    )


def downgrade() -> None:
    op.drop_table("notifications")
    op.drop_table("timeline")
    op.drop_table("recipients")
    op.drop_table("inbox")
    op.drop_table("outbox")
