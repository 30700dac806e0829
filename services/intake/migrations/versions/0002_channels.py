"""intake store: attachments, joined submissions, duplicate key, staff and vulnerability flags

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("vulnerability_flags", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("staff_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("duplicate_key", sa.String(64), nullable=True))
        batch.create_index("ix_applications_duplicate_key", ["duplicate_key"])
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("applications.case_id"), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_case_id", "documents", ["case_id"])
    op.create_table(
        "joined_submissions",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("applications.case_id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tracking_code_hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_joined_submissions_case_id", "joined_submissions", ["case_id"])


def downgrade() -> None:
    op.drop_table("joined_submissions")
    op.drop_table("documents")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_duplicate_key")
        batch.drop_column("duplicate_key")
        batch.drop_column("staff_id")
        batch.drop_column("vulnerability_flags")
