"""sec-a: a member agency's question is tagged with a life domain (filtered by consent)

Revision ID: seca_0002
Revises: seca_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "seca_0002"
down_revision = "seca_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing questions count as `other` until someone tags them: shown to agencies holding `other`.
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("life_domain", sa.String(length=20), nullable=False, server_default="other"))


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("life_domain")
