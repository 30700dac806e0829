"""intake store: delivery tables, applications, applicant details, idempotency keys

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
        "applications",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("ticket", sa.String(16), nullable=False, unique=True),
        sa.Column("concern", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("missing_documents", sa.JSON(), nullable=False),
        sa.Column("submitted_documents", sa.JSON(), nullable=False),
        sa.Column("permit_expires_on", sa.Date(), nullable=True),
        sa.Column("travel_date", sa.Date(), nullable=True),
        sa.Column("urgent_travel", sa.Boolean(), nullable=False),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("tracking_code_hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "applicant_details",
        sa.Column(
            "case_id", sa.String(36), sa.ForeignKey("applications.case_id"), primary_key=True
        ),
        sa.Column("family_name", sa.String(200), nullable=False),
        sa.Column("given_name", sa.String(200), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(3), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("postal_address", sa.String(500), nullable=True),
        sa.Column("urgency_reason", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("applications.case_id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("applicant_details")
    op.drop_table("applications")
    op.drop_table("inbox")
    op.drop_table("outbox")
