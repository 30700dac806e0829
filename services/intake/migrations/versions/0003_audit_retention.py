"""intake store: hash-chained audit log; when a case closed and when its personal data was erased

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
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("closed_at")
    op.drop_table("audit_log")
