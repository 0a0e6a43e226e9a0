"""instruments: shared drawings (draaglast-draagkracht, weegschaal, ecogram)

Revision ID: 0006_instruments_drawings
Revises: 0005_instruments_cards
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import w2.platform.db.base
from w2.platform.db import roles

revision = "0006_instruments_drawings"
down_revision = "0005_instruments_cards"
branch_labels = None
depends_on = None

UTC = w2.platform.db.base.UTCDateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "drawing",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("life_domain", sa.String(30), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("title", sa.String(300), nullable=True),
        sa.Column("items", JSON, nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_jobseeker", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name="fk_drawing_workspace_id_workspace"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["app_user.id"], name="fk_drawing_created_by_user_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_drawing"),
    )
    op.create_index("ix_drawing_ws_domain", "drawing", ["workspace_id", "life_domain"])
    if op.get_bind().dialect.name == "postgresql":
        for stmt in roles.rls_domain_table_sql("drawing"):
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in roles.rls_drop_sql("drawing"):
            op.execute(stmt)
    op.drop_table("drawing")
