"""metrics store: lifecycle facts, duplicates, appointments, surveys and alerts

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INSTANT = sa.DateTime(timezone=True)
CASE_COLUMNS = (
    sa.Column("permit_expiry_month", sa.String(7), nullable=True),
    sa.Column("claimed_at", INSTANT, nullable=True),
    sa.Column("documents_requested_at", INSTANT, nullable=True),
    sa.Column("decided_at", INSTANT, nullable=True),
    sa.Column("decided_on", sa.Date(), nullable=True),
    sa.Column("outcome", sa.String(20), nullable=True),
    sa.Column("within_target", sa.Boolean(), nullable=True),
    sa.Column("closed_at", INSTANT, nullable=True),
    sa.Column("closed_on", sa.Date(), nullable=True),
)

INDEXED = (
    ("duplicate_facts", "case_id"),
    ("duplicate_facts", "occurred_on"),
    ("appointment_facts", "booked_on"),
    ("survey_facts", "answered_on"),
)


def upgrade() -> None:
    with op.batch_alter_table("case_facts") as batch:
        for column in CASE_COLUMNS:
            batch.add_column(column)
    op.create_table(
        "duplicate_facts",
        sa.Column("submission_id", sa.String(200), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
    )
    op.create_table(
        "appointment_facts",
        sa.Column("appointment_id", sa.String(200), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("team", sa.String(100), nullable=False),
        sa.Column("concern", sa.String(100), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("wait_days", sa.Float(), nullable=False),
    )
    op.create_table(
        "survey_facts",
        sa.Column("survey_id", sa.String(200), primary_key=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("concern", sa.String(100), nullable=False),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
    )
    for table, column in INDEXED:
        op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(200), primary_key=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("raised_at", INSTANT, nullable=False),
        sa.Column("cleared_at", INSTANT, nullable=True),
    )


def downgrade() -> None:
    for table in ("alerts", "survey_facts", "appointment_facts", "duplicate_facts"):
        op.drop_table(table)
    with op.batch_alter_table("case_facts") as batch:
        for column in CASE_COLUMNS:
            batch.drop_column(column.name)
