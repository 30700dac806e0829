"""notify store: pending code until confirmed, preferences, step event ids, failure reasons

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("recipients", sa.Column("pending_code", sa.String(200), nullable=True))
    op.add_column("recipients", sa.Column("preferences", sa.JSON(), nullable=True))
    op.add_column("recipients", sa.Column("survey_id", sa.String(36), nullable=True))
    op.create_index("ix_recipients_survey_id", "recipients", ["survey_id"], unique=True)
    op.add_column("timeline", sa.Column("event_id", sa.String(200), nullable=True))
    op.add_column("notifications", sa.Column("reason", sa.String(500), nullable=True))


def downgrade() -> None:
    op.drop_column("notifications", "reason")
    op.drop_column("timeline", "event_id")
    op.drop_index("ix_recipients_survey_id", "recipients")
    op.drop_column("recipients", "survey_id")
    op.drop_column("recipients", "preferences")
    op.drop_column("recipients", "pending_code")
