"""instr: the scoretabel's inner themes move from `other` to their own life domain `inner`

Revision ID: instr_0001
Revises: 0002_reports
"""
from alembic import op

revision = "instr_0001"
down_revision = "0002_reports"
branch_labels = None
depends_on = ("0002_consent",)

# Only the handbook's inner themes: free themes keep the domain their writer chose. Consents for
# `other` are not extended to `inner`: the job seeker decides that apart (less is shared, never more).
UP = "UPDATE score_entry SET life_domain = 'inner' WHERE theme_group = 'inside' AND life_domain = 'other'"
DOWN = "UPDATE score_entry SET life_domain = 'other' WHERE theme_group = 'inside' AND life_domain = 'inner'"


def _system_scope() -> None:
    # FORCE row-level security applies to the owner too; a data migration reads and writes as the system.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT set_config('w2.actor_kind', 'system', true)")


def upgrade() -> None:
    _system_scope()
    op.execute(UP)


def downgrade() -> None:
    _system_scope()
    op.execute(DOWN)
