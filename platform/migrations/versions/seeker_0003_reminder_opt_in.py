"""seeker: the job seeker opts in to reminders for their own agreements (off by default)

Revision ID: seeker_0003
Revises: seeker_0002
"""
import sqlalchemy as sa
from alembic import op

revision = "seeker_0003"
down_revision = "seeker_0002"
branch_labels = None
depends_on = ("0002_notifications",)


def upgrade() -> None:
    with op.batch_alter_table("notification_preference", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreement_reminders", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("notification_preference", schema=None) as batch_op:
        batch_op.drop_column("agreement_reminders")
