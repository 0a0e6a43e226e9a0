"""ops: closing a case and erasing it; the deliberate exception to append-only for erasure

Revision ID: 0005_ops_case_end
Revises: 0004_ops_request_id, 0002_consent
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import w2.platform.db.base
from w2.platform.db import roles

revision = "0005_ops_case_end"
down_revision = ("0004_ops_request_id", "0002_consent")
branch_labels = None
depends_on = None

# Append-only tables refuse UPDATE, DELETE and TRUNCATE to everyone, always, except this one case:
# a DELETE by the tables' owner inside an erasure (transaction-local w2.erasure = 'on'). The app role
# owns nothing and has no DELETE on these tables, so it cannot use the exception even if it sets it.
APPEND_ONLY_WITH_ERASURE = """CREATE OR REPLACE FUNCTION w2_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND current_setting('w2.erasure', true) = 'on'
           AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$"""

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(sa.Column("closed_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_reason", sa.Text(), nullable=True))
    op.create_table(
        "erasure_record",
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("grounds", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("consent_proof", JSON, nullable=False),
        sa.Column("removed", JSON, nullable=False),
        sa.Column("files_removed", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", w2.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_record")),
    )
    op.create_index(op.f("ix_erasure_record_subject_ref"), "erasure_record", ["subject_ref"])
    if dialect == "postgresql":
        op.execute(APPEND_ONLY_WITH_ERASURE)
    for stmt in roles.append_only_sql("erasure_record", dialect):
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for stmt in roles.append_only_drop_sql("erasure_record", dialect):
        op.execute(stmt)
    op.drop_index(op.f("ix_erasure_record_subject_ref"), table_name="erasure_record")
    op.drop_table("erasure_record")
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("closed_reason")
        batch.drop_column("closed_at")
