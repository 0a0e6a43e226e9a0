"""merge: reports_0001 and the pages branch meet again in one head

Revision ID: polish_0002
Revises: pages_0003, reports_0001
"""

revision = "polish_0002"
down_revision = ("pages_0003", "reports_0001")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the branches."""


def downgrade() -> None:
    """Nothing to undo."""
