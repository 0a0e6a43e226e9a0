"""ops: outbox messages remember the request that caused them (logs follow a message back)

Revision ID: 0004_ops_request_id
Revises: 0001_foundation
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_ops_request_id"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("request_id")
