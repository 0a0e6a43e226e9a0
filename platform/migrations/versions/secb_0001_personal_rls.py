"""personal-data row-level security: workspace, job seeker, confidants, round tables, outbox, inbox

Revision ID: secb_0001_personal_rls
Revises: polish_0002
"""
from alembic import op

from w2.platform.db import rls_rules

revision = "secb_0001_personal_rls"
# The one head at the time: the sealed scope and every table named below exist.
down_revision = "polish_0002"
branch_labels = None
depends_on = None

TABLES = ("meeting_vote", "meeting_jobseeker_agreement", "meeting_slot", "meeting_invitee", "meeting",
          "confidant", "outbox_message", "notification", "jobseeker", "workspace")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in rls_rules.personal_policies_sql():
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for t in TABLES:
        op.execute(f"DROP POLICY IF EXISTS w2_case_content ON {t}")
        op.execute(f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
