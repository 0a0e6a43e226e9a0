"""PostgreSQL roles and row-level security: the app connects as a role that neither owns nor bypasses.

Migrations run as the owner (W2_MIGRATION_DATABASE_URL); the web app, workers and beat connect as
W2_DATABASE_URL's user. After every upgrade, `ensure_app_role` creates that role when missing and
grants it data access to every table (so tables added by later migrations are covered), except
UPDATE/DELETE on append-only tables. Case-content tables opt in to RLS with the SQL helpers below.
"""

from __future__ import annotations

import asyncio
import re

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

# Rows of these tables are evidence: triggers refuse UPDATE/DELETE for everyone, the owner included.
APPEND_ONLY_TABLES = ("access_log", "consent", "consent_grant", "consent_revocation")
# The app role also lacks the UPDATE/DELETE privilege here. Not on the consent tables: other domains
# lock consent rows with SELECT ... FOR UPDATE (needs the UPDATE privilege); the trigger still refuses.
NO_CHANGE_PRIVILEGE_TABLES = ("access_log",)
# Derived by triggers running as the owner: the app role may read it, never write an access row.
READ_ONLY_TABLES = ("consent_access",)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

# The policy functions mirror w2.consent.policy (the first line); they read the transaction-local
# settings W2Session applies from session.info["rls"]. `system` is background work without an actor.
POLICY_FUNCTIONS_SQL = [
    """CREATE OR REPLACE FUNCTION w2_setting(name text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT NULLIF(current_setting('w2.' || name, true), '') $$""",
    """CREATE OR REPLACE FUNCTION w2_today() RETURNS date LANGUAGE sql STABLE AS $$
        SELECT (now() AT TIME ZONE coalesce(w2_setting('timezone'), 'Europe/Brussels'))::date $$""",
    """CREATE OR REPLACE FUNCTION w2_workspace_visible(ws uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT CASE w2_setting('actor_kind')
            WHEN 'system' THEN true
            WHEN 'jobseeker' THEN ws = w2_setting('workspace_id')::uuid
            WHEN 'staff' THEN EXISTS (SELECT 1 FROM membership m
                WHERE m.workspace_id = ws AND m.agency_id = w2_setting('agency_id')::uuid)
            ELSE false END $$""",
    """CREATE OR REPLACE FUNCTION w2_can_read_domain(ws uuid, domain text) RETURNS boolean
        LANGUAGE sql STABLE AS $$
        SELECT CASE w2_setting('actor_kind')
            WHEN 'system' THEN true
            WHEN 'jobseeker' THEN ws = w2_setting('workspace_id')::uuid
            WHEN 'staff' THEN coalesce(w2_setting('platform_admin'), '0') <> '1'
                AND w2_workspace_visible(ws)
                AND EXISTS (SELECT 1 FROM consent_grant g
                    WHERE g.workspace_id = ws AND g.agency_id = w2_setting('agency_id')::uuid
                      AND g.purpose = 'information_sharing' AND g.life_domain = domain
                      AND (g.valid_until IS NULL OR g.valid_until >= w2_today())
                      AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id))
            ELSE false END $$""",
    """CREATE OR REPLACE FUNCTION w2_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$""",
]
DROP_FUNCTIONS_SQL = [
    "DROP FUNCTION IF EXISTS w2_append_only()",
    "DROP FUNCTION IF EXISTS w2_can_read_domain(uuid, text)",
    "DROP FUNCTION IF EXISTS w2_workspace_visible(uuid)",
    "DROP FUNCTION IF EXISTS w2_today()",
    "DROP FUNCTION IF EXISTS w2_setting(text)",
]


def _check(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def _policy_by_schema(table: str, legacy: str, inline: str) -> list[str]:
    # Once the compiled access table exists (migration perf_0004) the rule is inlined into the policy;
    # before that (the early migrations on a fresh database) the per-row function serves, and
    # perf_0004 inlines such policies when it runs.
    t = _check(table)
    create = "CREATE POLICY w2_case_content ON {t} USING ({c}) WITH CHECK ({c})"
    return [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY", f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
            f"DO $w2$ BEGIN IF to_regclass('public.consent_access') IS NOT NULL THEN "
            f"EXECUTE $p${create.format(t=t, c=inline)}$p$; ELSE EXECUTE $p${create.format(t=t, c=legacy)}$p$; "
            f"END IF; END $w2$"]


def rls_domain_table_sql(table: str, workspace_col: str = "workspace_id", domain_col: str = "life_domain") -> list[str]:
    """RLS for a table of case content tagged with a life domain (reads and writes under consent)."""
    from w2.platform.db.rls_rules import domain_rule

    t, w, d = _check(table), _check(workspace_col), _check(domain_col)
    return _policy_by_schema(t, f"w2_can_read_domain({w}, {d})", domain_rule(t, w, d))


def rls_child_table_sql(table: str, parent: str, fk_col: str, parent_pk: str = "id") -> list[str]:
    """RLS for rows that belong to a protected parent row: visible exactly when the parent is."""
    t, p, f, k = _check(table), _check(parent), _check(fk_col), _check(parent_pk)
    cond = f"EXISTS (SELECT 1 FROM {p} WHERE {p}.{k} = {t}.{f})"
    return [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY", f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY w2_case_content ON {t} USING ({cond}) WITH CHECK ({cond})"]


def rls_workspace_table_sql(table: str, workspace_col: str = "workspace_id") -> list[str]:
    """RLS for identity/logistics rows of a workspace (members and the job seeker)."""
    from w2.platform.db.rls_rules import workspace_rule

    t, w = _check(table), _check(workspace_col)
    return _policy_by_schema(t, f"w2_workspace_visible({w})", workspace_rule(t, w))


def rls_drop_sql(table: str) -> list[str]:
    """Undo one of the rls_*_sql helpers (for downgrades)."""
    t = _check(table)
    return [f"DROP POLICY IF EXISTS w2_case_content ON {t}", f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY",
            f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY"]


def append_only_sql(table: str, dialect: str) -> list[str]:
    """Triggers refusing UPDATE and DELETE (and TRUNCATE on PostgreSQL), even for the owner."""
    t = _check(table)
    if dialect == "postgresql":
        return [f"CREATE TRIGGER w2_append_only BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION w2_append_only()",
                f"CREATE TRIGGER w2_append_only_truncate BEFORE TRUNCATE ON {t} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION w2_append_only()"]
    return [f"CREATE TRIGGER w2_append_only_update_{t} BEFORE UPDATE ON {t} "
            f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END",
            f"CREATE TRIGGER w2_append_only_delete_{t} BEFORE DELETE ON {t} "
            f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"]


def append_only_drop_sql(table: str, dialect: str) -> list[str]:
    """Remove the append-only triggers."""
    t = _check(table)
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS w2_append_only ON {t}", f"DROP TRIGGER IF EXISTS w2_append_only_truncate ON {t}"]
    return [f"DROP TRIGGER IF EXISTS w2_append_only_update_{t}", f"DROP TRIGGER IF EXISTS w2_append_only_delete_{t}"]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def _ensure(migration_url: str, app_user: str, app_password: str | None, owner: str) -> None:
    role = _quote(app_user)
    engine = create_async_engine(migration_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            # Two upgrades of one database at once would race on the same catalog rows
            # ("tuple concurrently updated"): take turns. The key is just a constant for w2.
            await conn.execute(text("SELECT pg_advisory_lock(7302215)"))
            # Roles are cluster-wide: parallel test runs may create it at the same moment.
            await conn.execute(text(f"""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_literal(app_user)}) THEN
                        BEGIN
                            CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                        END;
                    END IF;
                END $$"""))
            attrs = (await conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :n"),
                                        {"n": app_user})).one()
            if attrs.rolsuper or attrs.rolbypassrls:
                raise RuntimeError(f"app role {app_user!r} is a superuser or bypasses RLS; refusing to run")
            if app_password:
                await conn.execute(text(f"ALTER ROLE {role} PASSWORD {_literal(app_password)}"))
            db = (await conn.execute(text("SELECT current_database()"))).scalar_one()
            for stmt in (
                f"GRANT CONNECT ON DATABASE {_quote(db)} TO {role}",
                f"GRANT USAGE ON SCHEMA public TO {role}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quote(owner)} IN SCHEMA public "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quote(owner)} IN SCHEMA public "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            ):
                await conn.execute(text(stmt))
            tables = set((await conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars())
            for t in NO_CHANGE_PRIVILEGE_TABLES:
                # Monthly partitions of a partitioned table (access_log_y2026m11, ...) too.
                for name in sorted(n for n in tables if n == t or n.startswith(f"{t}_")):
                    await conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quote(name)} FROM {role}"))
            for t in READ_ONLY_TABLES:
                if t in tables:
                    await conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {role}"))
            if "alembic_version" in tables:
                await conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}"))
    finally:
        await engine.dispose()


def ensure_app_role(migration_url: str, app_url: str | None) -> bool:
    """Create/grant the app role when the app connects as another user than migrations; idempotent."""
    if not app_url:
        return False
    mig, app = make_url(migration_url), make_url(app_url)
    if not mig.drivername.startswith("postgresql") or not app.drivername.startswith("postgresql"):
        return False
    if not app.username or app.username == mig.username:
        return False
    asyncio.run(_ensure(migration_url, app.username, app.password, mig.username or "postgres"))
    return True
