"""compiled access: consent_access kept by triggers; row-level security inlined over it

Revision ID: perf_0004_compiled_access
Revises: 0002_notifications, 0002_pages, 0002_reports, 0003_scale_indexes
"""
import sqlalchemy as sa
from alembic import op

from w2.consent import access
from w2.platform.db import rls_rules, roles

revision = "perf_0004_compiled_access"
# Every head at the time (0002_reports already depends on 0002_consent and 0002_meetings), so that
# every policy created so far is inlined below.
down_revision = ("0002_notifications", "0002_reports", "0003_scale_indexes", "0004_instruments",
                 "0004_portalkey_invitations", "0005_ops_case_end", "seeker_0001")
branch_labels = None
depends_on = None

DOMAIN_TABLES = ("agreement", "meeting_note", "score_entry")
WORKSPACE_TABLES = ("meeting_report_version", "report_rendition")
POLICIES = "SELECT tablename, qual FROM pg_policies WHERE schemaname = 'public' AND policyname = 'w2_case_content'"


def upgrade() -> None:
    op.create_table(
        "consent_access",
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("life_domain", sa.String(length=30), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["consent_id"], ["consent.id"], name=op.f("fk_consent_access_consent_id_consent")),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_consent_access_workspace_id_workspace")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_consent_access_agency_id_agency")),
        sa.PrimaryKeyConstraint("consent_id", "life_domain", name=op.f("pk_consent_access")),
    )
    op.create_index("ix_consent_access_agency", "consent_access",
                    ["agency_id", "purpose", "workspace_id", "life_domain"], postgresql_include=["valid_until"])
    op.create_index("ix_consent_access_ws", "consent_access", ["workspace_id", "agency_id", "purpose", "life_domain"])
    dialect = op.get_bind().dialect.name
    for stmt in access.triggers_sql(dialect):
        op.execute(stmt)
    op.execute(access.backfill_sql())
    if dialect != "postgresql":
        return
    for stmt in access.SCOPE_FUNCTIONS_SQL + rls_rules.LEGACY_FUNCTIONS_SQL:
        op.execute(stmt)
    # Every policy that calls a rule function per row (whichever migration made it) gets the inlined rule.
    for table, qual in op.get_bind().exec_driver_sql(POLICIES).all():
        for stmt in rls_rules.inline_policy_for(table, qual or "") or []:
            op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS w2_can_read_domain(uuid, text)")
        op.execute("DROP FUNCTION IF EXISTS w2_workspace_visible(uuid)")
        for stmt in roles.POLICY_FUNCTIONS_SQL[:4]:
            op.execute(stmt)
        for table in DOMAIN_TABLES:
            op.execute(f"DROP POLICY IF EXISTS w2_case_content ON {table}")
            op.execute(f"CREATE POLICY w2_case_content ON {table} USING (w2_can_read_domain(workspace_id, life_domain)) "
                       f"WITH CHECK (w2_can_read_domain(workspace_id, life_domain))")
        for table in WORKSPACE_TABLES:
            op.execute(f"DROP POLICY IF EXISTS w2_case_content ON {table}")
            op.execute(f"CREATE POLICY w2_case_content ON {table} USING (w2_workspace_visible(workspace_id)) "
                       f"WITH CHECK (w2_workspace_visible(workspace_id))")
        for stmt in access.SCOPE_DROP_SQL:
            op.execute(stmt)
    for stmt in access.drop_triggers_sql(dialect):
        op.execute(stmt)
    op.drop_index("ix_consent_access_ws", table_name="consent_access")
    op.drop_index("ix_consent_access_agency", table_name="consent_access")
    op.drop_table("consent_access")
