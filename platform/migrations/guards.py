"""Row-level security and append-only triggers in one call per table, for migrations from polish_0002 on.

Earlier migrations keep their own loops over `platform/db/roles.py`: what they ran stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic import op

from w2.platform.db import roles


def _dialect() -> str:
    return str(op.get_bind().dialect.name)


def on_postgresql(statements: Iterable[str]) -> None:
    """Run the statements on PostgreSQL only (SQLite has no row-level security)."""
    if _dialect() == "postgresql":
        for stmt in statements:
            op.execute(stmt)


def case_content(*tables: str) -> None:
    """Tables of case content tagged with a life domain: readable and writable under consent only."""
    on_postgresql(s for t in tables for s in roles.rls_domain_table_sql(t))


def workspace_rows(*tables: str) -> None:
    """Identity and logistics rows of a workspace: visible to its members and its job seeker."""
    on_postgresql(s for t in tables for s in roles.rls_workspace_table_sql(t))


def child_rows(table: str, parent: str, fk_col: str) -> None:
    """Rows that belong to a protected parent row: visible exactly when the parent is."""
    on_postgresql(roles.rls_child_table_sql(table, parent, fk_col))


def drop_rls(*tables: str) -> None:
    """Undo case_content, workspace_rows or child_rows (for downgrades)."""
    on_postgresql(s for t in tables for s in roles.rls_drop_sql(t))


def append_only(*tables: str) -> None:
    """Triggers refusing UPDATE and DELETE on both dialects, for everyone (rows that are evidence)."""
    for t in tables:
        for stmt in roles.append_only_sql(t, _dialect()):
            op.execute(stmt)


def drop_append_only(*tables: str) -> None:
    """Remove the append-only triggers (for downgrades)."""
    for t in tables:
        for stmt in roles.append_only_drop_sql(t, _dialect()):
            op.execute(stmt)
