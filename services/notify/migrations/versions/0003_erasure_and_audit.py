"""notify store: survey comments (kept here only, with retention), audit log

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
        "survey_comments",
        sa.Column("survey_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False, index=True),
        sa.Column("comment", sa.String(2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("survey_comments")
    op.drop_table("audit_log")
