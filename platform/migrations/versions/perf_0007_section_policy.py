"""integrated report sections: the inlined rules in the policy instead of the rule functions per row

Revision ID: perf_0007_section_policy
Revises: perf_0006_reminder_scan, 0007_instruments_integrated
"""
from alembic import op

from w2.platform.db import rls_rules

revision = "perf_0007_section_policy"
down_revision = ("perf_0006_reminder_scan", "0007_instruments_integrated")
branch_labels = None
depends_on = None

TABLE = "integrated_report_section"
# What 0007_instruments_integrated wrote: the same rule, but calling the functions once per row.
LEGACY = ("(life_domain = 'identity' AND w2_workspace_visible(workspace_id)) "
          "OR w2_can_read_domain(workspace_id, life_domain)")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in rls_rules.policy_sql(TABLE, rls_rules.identity_or_domain_rule(TABLE)):
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in rls_rules.policy_sql(TABLE, LEGACY):
        op.execute(stmt)
