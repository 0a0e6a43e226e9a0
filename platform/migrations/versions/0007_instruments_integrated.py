"""instruments: het geïntegreerd werk-welzijnsverslag (report and its nine sections)

Revision ID: 0007_instruments_integrated
Revises: 0006_instruments_drawings
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

import w2.platform.db.base
from w2.platform.db import roles

revision = "0007_instruments_integrated"
down_revision = "0006_instruments_drawings"
branch_labels = None
depends_on = None

UTC = w2.platform.db.base.UTCDateTime(timezone=True)
# Section 1 (inlichtingen) is identity: visible to the workspace; the others need consent for their domain.
SECTION_POLICY = ("(life_domain = 'identity' AND w2_workspace_visible(workspace_id)) "
                  "OR w2_can_read_domain(workspace_id, life_domain)")


def upgrade() -> None:
    op.create_table(
        "integrated_report",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("evaluation_month", sa.String(7), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name="fk_integrated_report_workspace_id_workspace"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["app_user.id"],
                                name="fk_integrated_report_created_by_user_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_integrated_report"),
    )
    op.create_index("ix_integrated_report_workspace_id", "integrated_report", ["workspace_id"])
    op.create_table(
        "integrated_report_section",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(30), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("prefilled", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["integrated_report.id"],
                                name="fk_integrated_report_section_report_id_integrated_report"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name="fk_integrated_report_section_workspace_id_workspace"),
        sa.PrimaryKeyConstraint("id", name="pk_integrated_report_section"),
    )
    op.create_index("ix_integrated_report_section_report_id", "integrated_report_section", ["report_id"])
    op.create_index("ix_integrated_report_section_ws_domain", "integrated_report_section",
                    ["workspace_id", "life_domain"])
    if op.get_bind().dialect.name == "postgresql":
        stmts = roles.rls_workspace_table_sql("integrated_report")
        stmts += ["ALTER TABLE integrated_report_section ENABLE ROW LEVEL SECURITY",
                  "ALTER TABLE integrated_report_section FORCE ROW LEVEL SECURITY",
                  f"CREATE POLICY w2_case_content ON integrated_report_section USING ({SECTION_POLICY}) "
                  f"WITH CHECK ({SECTION_POLICY})"]
        for stmt in stmts:
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for t in ("integrated_report_section", "integrated_report"):
            for stmt in roles.rls_drop_sql(t):
                op.execute(stmt)
    op.drop_table("integrated_report_section")
    op.drop_table("integrated_report")
