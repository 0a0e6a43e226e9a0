"""portalkey: sign-in links are sent to the job seeker's own channel (invitations), voided when replaced

Revision ID: 0004_portalkey_invitations
Revises: 0002_pages
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "0004_portalkey_invitations"
down_revision = "0002_pages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_invitation",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("sent_to", sa.String(length=320), nullable=False),
        sa.Column("requested_by", sa.String(length=20), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("delivered_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["app_user.id"],
                                name=op.f("fk_portal_invitation_created_by_user_id_app_user")),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_portal_invitation_workspace_id_workspace")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_invitation")),
    )
    with op.batch_alter_table("portal_invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_invitation_workspace_id"), ["workspace_id"], unique=False)
    with op.batch_alter_table("portal_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("invitation_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_portal_link_invitation_id_portal_invitation"),
                                    "portal_invitation", ["invitation_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("portal_link", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_portal_link_invitation_id_portal_invitation"), type_="foreignkey")
        batch_op.drop_column("invitation_id")
        batch_op.drop_column("voided_at")
    with op.batch_alter_table("portal_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_invitation_workspace_id"))
    op.drop_table("portal_invitation")
