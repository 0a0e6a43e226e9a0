"""harden: how each staff-recorded consent was announced (mail, SMS or a printed notice handed over)

Revision ID: harden_0001
Revises: 0005_ops_case_end
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "harden_0001"
down_revision = "0005_ops_case_end"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_notice",
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("created_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handed_over_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("handed_over_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["consent.id"], name=op.f("fk_consent_notice_consent_id_consent")),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_consent_notice_workspace_id_workspace")),
        sa.ForeignKeyConstraint(["handed_over_by_user_id"], ["app_user.id"],
                                name=op.f("fk_consent_notice_handed_over_by_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_notice")),
        sa.UniqueConstraint("consent_id", name=op.f("uq_consent_notice_consent_id")),
    )
    with op.batch_alter_table("consent_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_notice_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consent_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_notice_workspace_id"))
    op.drop_table("consent_notice")
