"""consent: row-level security on case content, append-only evidence tables

Revision ID: 0002_consent
Revises: 0001_foundation
"""
from alembic import op

from w2.platform.db import roles

revision = "0002_consent"
down_revision = "0001_foundation"
branch_labels = ("consent",)
depends_on = None

DOMAIN_TABLES = ("agreement",)
CHILD_TABLES = (("agreement_note", "agreement", "agreement_id"),)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements: list[str] = []
    if dialect == "postgresql":
        statements += roles.POLICY_FUNCTIONS_SQL
        for table in DOMAIN_TABLES:
            statements += roles.rls_domain_table_sql(table)
        for table, parent, fk in CHILD_TABLES:
            statements += roles.rls_child_table_sql(table, parent, fk)
    for table in roles.APPEND_ONLY_TABLES:
        statements += roles.append_only_sql(table, dialect)
    for stmt in statements:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements: list[str] = []
    for table in roles.APPEND_ONLY_TABLES:
        statements += roles.append_only_drop_sql(table, dialect)
    if dialect == "postgresql":
        for table, _, _ in CHILD_TABLES:
            statements += roles.rls_drop_sql(table)
        for table in DOMAIN_TABLES:
            statements += roles.rls_drop_sql(table)
        statements += roles.DROP_FUNCTIONS_SQL
    for stmt in statements:
        op.execute(stmt)
