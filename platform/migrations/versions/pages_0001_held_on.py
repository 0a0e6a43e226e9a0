"""pages: a meeting that took place earlier than planned records the actual day, and who said so

Revision ID: pages_0001
Revises: 0005_verslag
"""
import sqlalchemy as sa
from alembic import op

revision = "pages_0001"
down_revision = "0005_verslag"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("held_early_by_user_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key("fk_meeting_held_early_by_user_id_app_user", "app_user",
                                    ["held_early_by_user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint("fk_meeting_held_early_by_user_id_app_user", type_="foreignkey")
        batch_op.drop_column("held_early_by_user_id")
        batch_op.drop_column("held_on")
