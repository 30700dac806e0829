"""metrics store: intake outbox backlog reports; German alert summaries

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_reports",
        sa.Column("report_id", sa.String(200), primary_key=True),
        sa.Column("producer", sa.String(20), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("oldest_age_seconds", sa.Float(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_outbox_reports_reported_at", "outbox_reports", ["reported_at"])
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("summary_de", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("summary_de")
    op.drop_table("outbox_reports")
