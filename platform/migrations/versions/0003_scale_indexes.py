"""scale indexes: open agreements by due date (reminder scans), membership by agency (policy)

Revision ID: 0003_scale_indexes
Revises: 0001_foundation
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_scale_indexes"
down_revision = "0001_foundation"
branch_labels = ("scale",)
depends_on = None

OPEN_DUE = "status IN ('open', 'in_progress')"


def upgrade() -> None:
    op.create_index("ix_agreement_due_open", "agreement", ["due_date", "id"],
                    postgresql_where=sa.text(OPEN_DUE), sqlite_where=sa.text(OPEN_DUE))
    op.create_index("ix_membership_agency_ws", "membership", ["agency_id", "workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_membership_agency_ws", table_name="membership")
    op.drop_index("ix_agreement_due_open", table_name="agreement")
