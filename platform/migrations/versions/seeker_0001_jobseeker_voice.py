"""seeker: the job seeker's own input on a meeting, per-invitee answers, confidants that can be removed

Revision ID: seeker_0001
Revises: 0001_foundation (after 0002_meetings)
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base

revision = "seeker_0001"
down_revision = "0001_foundation"
branch_labels = ("seeker",)
depends_on = ("0002_meetings",)


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jobseeker_questions", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_agenda", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_at_ease", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_wished_people", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_input_at", w2.platform.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table("meeting_invitee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jobseeker_answer", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("jobseeker_answer_at", w2.platform.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table("confidant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("confidant", schema=None) as batch_op:
        batch_op.drop_column("removed_at")
    with op.batch_alter_table("meeting_invitee", schema=None) as batch_op:
        batch_op.drop_column("jobseeker_answer_at")
        batch_op.drop_column("jobseeker_answer")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        for name in ("jobseeker_input_at", "jobseeker_wished_people", "jobseeker_at_ease", "jobseeker_agenda",
                     "jobseeker_questions"):
            batch_op.drop_column(name)
