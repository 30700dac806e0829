"""probe store: the audit log

Revision ID: 0002
"""

from alembic import op
from shared.audit import create_audit_table_v1

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table_v1()


def downgrade() -> None:
    op.drop_table("audit_log")
