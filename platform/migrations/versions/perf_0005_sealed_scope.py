"""sealed scope: row-level-security settings entered through a SECURITY DEFINER function, checked by a seal

Revision ID: perf_0005_sealed_scope
Revises: perf_0004_compiled_access
"""
from alembic import op

from w2.consent import access

revision = "perf_0005_sealed_scope"
down_revision = "perf_0004_compiled_access"
branch_labels = None
depends_on = None

# The message a seal covers: the four settings, this backend and this transaction's start.
_STATE = ("concat_ws('|', coalesce(current_setting('w2.actor_kind', true), ''), "
          "coalesce(current_setting('w2.agency_id', true), ''), coalesce(current_setting('w2.workspace_id', true), ''), "
          "coalesce(current_setting('w2.platform_admin', true), ''), pg_backend_pid()::text, "
          "extract(epoch from now())::text)")
_SET = """PERFORM set_config('w2.actor_kind', kind, true), set_config('w2.agency_id', agency, true),
                    set_config('w2.workspace_id', ws, true), set_config('w2.platform_admin', admin, true);
            PERFORM set_config('w2.seal', w2_private.mac(""" + _STATE + """), true);"""
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"

UPGRADE_SQL = [
    "CREATE SCHEMA IF NOT EXISTS w2_private",
    "REVOKE ALL ON SCHEMA w2_private FROM PUBLIC",
    "CREATE TABLE w2_private.scope_key (id int PRIMARY KEY CHECK (id = 1), key bytea NOT NULL)",
    # 244 random bits from the server's CSPRNG (gen_random_uuid), hashed to 32 bytes.
    "INSERT INTO w2_private.scope_key VALUES (1, sha256(convert_to(gen_random_uuid()::text || "
    "gen_random_uuid()::text, 'UTF8')))",
    """CREATE FUNCTION w2_private.mac(msg text) RETURNS text LANGUAGE sql STABLE
        SET search_path = pg_catalog, pg_temp AS $$
        SELECT encode(sha256(k.key || sha256(convert_to(msg, 'UTF8'))), 'hex') FROM w2_private.scope_key k
        WHERE k.id = 1 $$""",
    "REVOKE ALL ON FUNCTION w2_private.mac(text) FROM PUBLIC",
    f"""CREATE OR REPLACE FUNCTION w2_enter(kind text, agency text, ws text, admin text, proof text)
        RETURNS boolean LANGUAGE plpgsql VOLATILE {DEFINER} AS $$
        BEGIN
            IF proof IS NULL OR proof <> w2_private.mac(concat_ws('|', kind, agency, ws, admin)) THEN
                RAISE EXCEPTION 'w2 scope refused: the proof does not match' USING ERRCODE = 'insufficient_privilege';
            END IF;
            {_SET}
            RETURN true;
        END $$""",
    f"""CREATE OR REPLACE FUNCTION w2_enter_token(digest text) RETURNS uuid LANGUAGE plpgsql VOLATILE {DEFINER} AS $$
        DECLARE
            u record; kind text := 'staff'; agency text; ws text := ''; admin text;
        BEGIN
            SELECT app_user.id, app_user.agency_id, jsonb_exists(app_user.roles::jsonb, 'platform_admin') AS is_admin
              INTO u FROM api_token JOIN app_user ON app_user.id = api_token.user_id
             WHERE api_token.token_hash = digest AND api_token.revoked_at IS NULL AND app_user.active;
            IF NOT FOUND THEN
                RETURN NULL;
            END IF;
            agency := coalesce(u.agency_id::text, '');
            admin := CASE WHEN u.is_admin THEN '1' ELSE '0' END;
            {_SET}
            RETURN u.id;
        END $$""",
    f"""CREATE OR REPLACE FUNCTION w2_scope_sealed() RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
        SELECT coalesce(current_setting('w2.seal', true) = w2_private.mac({_STATE}), false) $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_kind() RETURNS text LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN w2_scope_sealed() THEN NULLIF(current_setting('w2.actor_kind', true), '') END $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_agency() RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN w2_scope_sealed() THEN NULLIF(current_setting('w2.agency_id', true), '')::uuid END $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_workspace() RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN w2_scope_sealed() THEN NULLIF(current_setting('w2.workspace_id', true), '')::uuid END $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT NOT w2_scope_sealed()
            OR coalesce(NULLIF(current_setting('w2.platform_admin', true), ''), '0') = '1' $$""",
    # Today's date no longer follows a setting anyone could shift; consent end dates are Belgian dates.
    """CREATE OR REPLACE FUNCTION w2_today() RETURNS date LANGUAGE sql STABLE AS $$
        SELECT (now() AT TIME ZONE 'Europe/Brussels')::date $$""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in UPGRADE_SQL:
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in access.SCOPE_FUNCTIONS_SQL:
        op.execute(stmt)
    for stmt in ("DROP FUNCTION IF EXISTS w2_scope_sealed()", "DROP FUNCTION IF EXISTS w2_enter_token(text)",
                 "DROP FUNCTION IF EXISTS w2_enter(text, text, text, text, text)", "DROP SCHEMA w2_private CASCADE"):
        op.execute(stmt)
