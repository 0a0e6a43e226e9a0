"""instruments: competence cards (competentiekaart 1 and 2)

Revision ID: 0005_instruments_cards
Revises: 0004_instruments
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import w2.platform.db.base
from w2.platform.db import roles

revision = "0005_instruments_cards"
down_revision = "0004_instruments"
branch_labels = None
depends_on = None

UTC = w2.platform.db.base.UTCDateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "competence_card",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("named_by", sa.String(20), nullable=False),
        sa.Column("job_title", sa.String(300), nullable=True),
        sa.Column("tasks", JSON, nullable=False),
        sa.Column("key_competences", JSON, nullable=False),
        sa.Column("technical_competences", JSON, nullable=False),
        sa.Column("job_targets", JSON, nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name="fk_competence_card_workspace_id_workspace"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["app_user.id"],
                                name="fk_competence_card_created_by_user_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_competence_card"),
    )
    op.create_index("ix_competence_card_ws_domain", "competence_card", ["workspace_id", "life_domain"])
    if op.get_bind().dialect.name == "postgresql":
        for stmt in roles.rls_domain_table_sql("competence_card"):
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in roles.rls_drop_sql("competence_card"):
            op.execute(stmt)
    op.drop_table("competence_card")
