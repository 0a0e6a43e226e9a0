"""reminder scan: a watermark per windowed rule, and open agreements by last change

Revision ID: perf_0006_reminder_scan
Revises: perf_0005_sealed_scope
"""
import sqlalchemy as sa
from alembic import op

from w2.platform.db.base import UTCDateTime

revision = "perf_0006_reminder_scan"
down_revision = "perf_0005_sealed_scope"
branch_labels = None
depends_on = None

OPEN = "status IN ('open', 'in_progress')"


def upgrade() -> None:
    op.create_table(
        "reminder_scan",
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("scanned_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("rule", name=op.f("pk_reminder_scan")),
    )
    op.create_index("ix_agreement_open_updated", "agreement", ["updated_at"],
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index("ix_agreement_open_updated", table_name="agreement")
    op.drop_table("reminder_scan")
