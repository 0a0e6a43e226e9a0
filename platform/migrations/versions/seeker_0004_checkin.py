"""seeker: before a follow-up, the spilfiguur asks "Hoe gaat het?" and the job seeker answers

Revision ID: seeker_0004
Revises: polish_0001 (the one head)
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "seeker_0004"
down_revision = "polish_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_asked_at", w2.platform.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("checkin_asked_by_user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_progress", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_progress_at", w2.platform.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_meeting_checkin_asked_by_user_id_app_user"), "app_user",
                                    ["checkin_asked_by_user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meeting_checkin_asked_by_user_id_app_user"), type_="foreignkey")
        for name in ("jobseeker_progress_at", "jobseeker_progress", "checkin_asked_by_user_id", "checkin_asked_at"):
            batch_op.drop_column(name)
