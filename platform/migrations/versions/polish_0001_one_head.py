"""merge: the helpers' branches meet in one head, so `upgrade head` and new migrations have one parent

Revision ID: polish_0001
Revises: 0004_identity_signin, 0006_ops_access_log_partitions, instr_0001, pages_0001,
         perf_0008_seal_check, seca_0002, seeker_0003
"""

revision = "polish_0001"
down_revision = (
    "0004_identity_signin",
    "0006_ops_access_log_partitions",
    "instr_0001",
    "pages_0001",
    "perf_0008_seal_check",
    "seca_0002",
    "seeker_0003",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the branches."""


def downgrade() -> None:
    """Nothing to undo."""
