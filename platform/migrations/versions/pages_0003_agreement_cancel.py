"""pages: an agreement can be cancelled with a reason (who and when are kept)

Revision ID: pages_0003
Revises: pages_0002
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "pages_0003"
down_revision = "pages_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by_user_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key("fk_agreement_cancelled_by_user_id_app_user", "app_user",
                                    ["cancelled_by_user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_constraint("fk_agreement_cancelled_by_user_id_app_user", type_="foreignkey")
        batch_op.drop_column("cancelled_by_user_id")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("cancel_reason")
