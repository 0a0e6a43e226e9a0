"""seeker: a witness when staff record the job seeker's own choice of spilfiguur

Revision ID: seeker_0002
Revises: seeker_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "seeker_0002"
down_revision = "seeker_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pivot_assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("witness_user_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_pivot_assignment_witness_user_id_app_user"), "app_user",
                                    ["witness_user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("pivot_assignment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pivot_assignment_witness_user_id_app_user"), type_="foreignkey")
        batch_op.drop_column("witness_user_id")
