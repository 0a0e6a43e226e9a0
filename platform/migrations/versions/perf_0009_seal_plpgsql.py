"""sealed scope: the seal check and the MAC in PL/pgSQL, so their plans are kept per connection

A SECURITY DEFINER function in LANGUAGE sql is never inlined, and PostgreSQL plans its body again in
every query that calls it. Each row-level-security accessor (kind, agency, workspace, admin) checks the
seal once per query, so every policy paid that planning three or four times (about 0.1 ms each,
bench/consent_cost.py). PL/pgSQL keeps the plan of its statements for the life of the connection. Same
key, same message, same SECURITY DEFINER and fixed search_path: only the language changes.

Revision ID: perf_0009_seal_plpgsql
Revises: secb_0001_personal_rls
"""
from alembic import op

from w2.platform.migrations.versions import perf_0005_sealed_scope as first
from w2.platform.migrations.versions import perf_0008_seal_check as sealed

revision = "perf_0009_seal_plpgsql"
down_revision = "secb_0001_personal_rls"
branch_labels = None
depends_on = None

SEALED = f"""CREATE OR REPLACE FUNCTION w2_scope_sealed() RETURNS boolean LANGUAGE plpgsql STABLE {sealed.DEFINER} AS $$
    BEGIN
        RETURN coalesce((SELECT current_setting('w2.seal', true)
                                = encode(sha256(k.key || sha256(convert_to({sealed._STATE}, 'UTF8'))), 'hex')
                         FROM w2_private.scope_key k WHERE k.id = 1), false);
    END $$"""
MAC = """CREATE OR REPLACE FUNCTION w2_private.mac(msg text) RETURNS text LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        RETURN (SELECT encode(sha256(k.key || sha256(convert_to(msg, 'UTF8'))), 'hex') FROM w2_private.scope_key k
                WHERE k.id = 1);
    END $$"""
OLD_MAC = next(stmt for stmt in first.UPGRADE_SQL if "FUNCTION w2_private.mac(msg text)" in stmt)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SEALED)
        op.execute(MAC)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sealed.SEALED)
        op.execute(OLD_MAC.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
