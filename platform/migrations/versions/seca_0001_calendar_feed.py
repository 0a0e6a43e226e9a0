"""sec-a: a stored, revocable calendar feed secret per user

Revision ID: seca_0001
Revises: harden_0001
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "seca_0001"
down_revision = "harden_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_calendar_feed_user_id_app_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token", name=op.f("uq_calendar_feed_token")),
    )


def downgrade() -> None:
    op.drop_table("calendar_feed")
