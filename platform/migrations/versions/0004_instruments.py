"""instruments: phase history, vignet sections and versions, trajectovereenkomsten

Revision ID: 0004_instruments
Revises: 0001_foundation
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import w2.platform.db.base
from w2.platform.db import roles

revision = "0004_instruments"
down_revision = "0001_foundation"
branch_labels = ("instruments",)
depends_on = ("0002_consent",)

UTC = w2.platform.db.base.UTCDateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
DOMAIN_TABLES = ("phase_change", "vignet_section", "trajectory_goal")
WORKSPACE_TABLES = ("trajectory_agreement", "trajectory_signature")


def _base(table: str) -> list[sa.Column]:
    return [sa.Column("id", sa.Uuid(), nullable=False), sa.Column("created_at", UTC, nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}")]


def _fk(table: str, col: str, ref: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f"{ref}.id"], name=f"fk_{table}_{col}_{ref}")


def upgrade() -> None:
    op.create_table(
        "phase_change",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("since", UTC, nullable=False),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_jobseeker", sa.Boolean(), nullable=False),
        _fk("phase_change", "workspace_id", "workspace"), _fk("phase_change", "recorded_by_user_id", "app_user"),
        *_base("phase_change"),
    )
    op.create_index("ix_phase_change_ws_since", "phase_change", ["workspace_id", "since"])

    op.create_table(
        "vignet_section",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("perspective", sa.String(20), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("updated_by_jobseeker", sa.Boolean(), nullable=False),
        _fk("vignet_section", "workspace_id", "workspace"), _fk("vignet_section", "updated_by_user_id", "app_user"),
        sa.UniqueConstraint("workspace_id", "key", "perspective", name="uq_vignet_section_ws_key_persp"),
        *_base("vignet_section"),
    )
    op.create_index("ix_vignet_section_ws_domain", "vignet_section", ["workspace_id", "life_domain"])

    op.create_table(
        "vignet_section_version",
        sa.Column("section_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("written_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("written_by_jobseeker", sa.Boolean(), nullable=False),
        _fk("vignet_section_version", "section_id", "vignet_section"),
        _fk("vignet_section_version", "written_by_user_id", "app_user"),
        sa.UniqueConstraint("section_id", "version", name="uq_vignet_version_section_version"),
        *_base("vignet_section_version"),
    )
    op.create_index("ix_vignet_section_version_section_id", "vignet_section_version", ["section_id"])

    op.create_table(
        "trajectory_agreement",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        _fk("trajectory_agreement", "workspace_id", "workspace"),
        _fk("trajectory_agreement", "created_by_user_id", "app_user"),
        sa.UniqueConstraint("workspace_id", "version", name="uq_trajectory_agreement_ws_version"),
        *_base("trajectory_agreement"),
    )
    op.create_index("ix_trajectory_agreement_workspace_id", "trajectory_agreement", ["workspace_id"])

    op.create_table(
        "trajectory_goal",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(10), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("helped_by", sa.String(300), nullable=True),
        sa.Column("actions", JSON, nullable=False),
        _fk("trajectory_goal", "agreement_id", "trajectory_agreement"),
        _fk("trajectory_goal", "workspace_id", "workspace"),
        *_base("trajectory_goal"),
    )
    op.create_index("ix_trajectory_goal_agreement_id", "trajectory_goal", ["agreement_id"])
    op.create_index("ix_trajectory_goal_ws_domain", "trajectory_goal", ["workspace_id", "life_domain"])

    op.create_table(
        "trajectory_signature",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("signed_by", sa.String(20), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("witness_user_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("signed_at", UTC, nullable=False),
        _fk("trajectory_signature", "agreement_id", "trajectory_agreement"),
        _fk("trajectory_signature", "workspace_id", "workspace"),
        _fk("trajectory_signature", "witness_user_id", "app_user"),
        _fk("trajectory_signature", "recorded_by_user_id", "app_user"),
        sa.UniqueConstraint("agreement_id", "signed_by", name="uq_trajectory_signature_side"),
        *_base("trajectory_signature"),
    )
    op.create_index("ix_trajectory_signature_agreement_id", "trajectory_signature", ["agreement_id"])

    if op.get_bind().dialect.name == "postgresql":
        # Second line behind the policy module: phases, sections and goals are case content per domain;
        # versions follow their section; agreement headers and signatures are workspace logistics.
        stmts = [s for t in DOMAIN_TABLES for s in roles.rls_domain_table_sql(t)]
        stmts += roles.rls_child_table_sql("vignet_section_version", "vignet_section", "section_id")
        stmts += [s for t in WORKSPACE_TABLES for s in roles.rls_workspace_table_sql(t)]
        for stmt in stmts:
            op.execute(stmt)


def downgrade() -> None:
    tables = ("trajectory_signature", "trajectory_goal", "trajectory_agreement", "vignet_section_version",
              "vignet_section", "phase_change")
    if op.get_bind().dialect.name == "postgresql":
        for t in tables:
            for stmt in roles.rls_drop_sql(t):
                op.execute(stmt)
    for t in tables:
        op.drop_table(t)
