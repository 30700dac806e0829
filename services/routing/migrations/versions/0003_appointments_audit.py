"""routing store: appointments (no double booking) and the hash-chained audit log

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from shared.audit import create_audit_table_v1

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table_v1()
    op.create_table(
        "appointments",
        sa.Column("appointment_id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False, unique=True),
        sa.Column("ticket", sa.String(50), nullable=False),
        sa.Column("team", sa.String(100), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.UniqueConstraint("team", "starts_at", "seat", name="uq_appointment_seat"),
    )


def downgrade() -> None:
    op.drop_table("appointments")
    op.drop_table("audit_log")
