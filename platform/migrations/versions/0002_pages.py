"""pages: one-time sign-in links for the job seeker's portal

Revision ID: 0002_pages
Revises: 0001_foundation
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "0002_pages"
down_revision = "0001_foundation"
branch_labels = ("pages",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_link",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["app_user.id"],
                                name=op.f("fk_portal_link_created_by_user_id_app_user")),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name=op.f("fk_portal_link_workspace_id_workspace")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_portal_link_token_hash")),
    )
    with op.batch_alter_table("portal_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_link_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portal_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_link_workspace_id"))
    op.drop_table("portal_link")
