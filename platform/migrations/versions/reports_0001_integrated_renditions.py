"""reports: per-recipient renditions of the integrated work-welfare report; its version number

Revision ID: reports_0001
Revises: 0007_instruments_integrated
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import w2.platform.db.base
from w2.platform.db import roles

revision = "reports_0001"
down_revision = "0007_instruments_integrated"
branch_labels = None
depends_on = ("0002_reports",)

UTC = w2.platform.db.base.UTCDateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("integrated_report") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "integrated_rendition",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("domains", JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("storage_key", sa.String(300), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("rendered_at", UTC, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["integrated_report.id"],
                                name="fk_integrated_rendition_report_id_integrated_report"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name="fk_integrated_rendition_workspace_id_workspace"),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name="fk_integrated_rendition_agency_id_agency"),
        sa.PrimaryKeyConstraint("id", name="pk_integrated_rendition"),
    )
    op.create_index("ix_integrated_rendition_lookup", "integrated_rendition",
                    ["report_id", "audience", "agency_id", "status"])
    op.create_index("ix_integrated_rendition_workspace_id", "integrated_rendition", ["workspace_id"])
    if op.get_bind().dialect.name == "postgresql":
        # Like report_rendition: the row (status, domains, file key) is visible to the workspace.
        for stmt in roles.rls_workspace_table_sql("integrated_rendition"):
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in roles.rls_drop_sql("integrated_rendition"):
            op.execute(stmt)
    op.drop_table("integrated_rendition")
    with op.batch_alter_table("integrated_report") as batch:
        batch.drop_column("version")
