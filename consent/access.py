"""Compiled access: one narrow table of who may use which life domain of which workspace, for what.

`consent_access` holds one row per active grant of a member agency: a grant that is not revoked (or
expired by the beat job) whose agency is a member of the workspace. Triggers keep it in the same
transaction as every grant, revocation, expiry and membership change; `rebuild_access` derives it
again from the append-only consent log, which stays the evidence. End dates are not applied here:
every reader compares `valid_until` with today's date in its query, so they bite without a job.

The read rule for row-level security is rendered here (for every protected table) and mirrored by
the explicit policy in consent/policy.py; both read this table.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

COLUMNS = "consent_id, life_domain, workspace_id, agency_id, purpose, valid_until"
# The definition of the table's content, used by the backfill and by `w2 consent rebuild-access`.
ACCESS_ROWS = (
    "SELECT g.consent_id, g.life_domain, g.workspace_id, g.agency_id, g.purpose, g.valid_until "
    "FROM consent_grant g "
    "WHERE EXISTS (SELECT 1 FROM membership m WHERE m.workspace_id = g.workspace_id AND m.agency_id = g.agency_id) "
    "AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id)"
)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

# Maintenance on PostgreSQL: SECURITY DEFINER (the owner), so the app role reads the table but
# can never write an access row itself.
PG_TRIGGERS_SQL = [
    """CREATE OR REPLACE FUNCTION w2_access_on_grant() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            INSERT INTO consent_access (consent_id, life_domain, workspace_id, agency_id, purpose, valid_until)
            SELECT NEW.consent_id, NEW.life_domain, NEW.workspace_id, NEW.agency_id, NEW.purpose, NEW.valid_until
            WHERE EXISTS (SELECT 1 FROM membership m
                          WHERE m.workspace_id = NEW.workspace_id AND m.agency_id = NEW.agency_id)
              AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = NEW.consent_id)
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$""",
    """CREATE OR REPLACE FUNCTION w2_access_on_revocation() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            DELETE FROM consent_access WHERE consent_id = NEW.consent_id;
            RETURN NULL;
        END $$""",
    """CREATE OR REPLACE FUNCTION w2_access_on_membership() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                DELETE FROM consent_access c
                WHERE c.workspace_id = OLD.workspace_id AND c.agency_id = OLD.agency_id
                  AND NOT EXISTS (SELECT 1 FROM membership m
                                  WHERE m.workspace_id = OLD.workspace_id AND m.agency_id = OLD.agency_id);
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO consent_access (consent_id, life_domain, workspace_id, agency_id, purpose, valid_until)
                SELECT g.consent_id, g.life_domain, g.workspace_id, g.agency_id, g.purpose, g.valid_until
                FROM consent_grant g
                WHERE g.workspace_id = NEW.workspace_id AND g.agency_id = NEW.agency_id
                  AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id)
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN NULL;
        END $$""",
    "CREATE TRIGGER w2_access_grant AFTER INSERT ON consent_grant FOR EACH ROW EXECUTE FUNCTION w2_access_on_grant()",
    "CREATE TRIGGER w2_access_revocation AFTER INSERT ON consent_revocation "
    "FOR EACH ROW EXECUTE FUNCTION w2_access_on_revocation()",
    "CREATE TRIGGER w2_access_membership AFTER INSERT OR UPDATE OR DELETE ON membership "
    "FOR EACH ROW EXECUTE FUNCTION w2_access_on_membership()",
]
PG_DROP_TRIGGERS_SQL = [
    "DROP TRIGGER IF EXISTS w2_access_membership ON membership",
    "DROP TRIGGER IF EXISTS w2_access_revocation ON consent_revocation",
    "DROP TRIGGER IF EXISTS w2_access_grant ON consent_grant",
    "DROP FUNCTION IF EXISTS w2_access_on_membership()",
    "DROP FUNCTION IF EXISTS w2_access_on_revocation()",
    "DROP FUNCTION IF EXISTS w2_access_on_grant()",
]

_SQLITE_MEMBER_GRANTS = (
    f"INSERT OR IGNORE INTO consent_access ({COLUMNS}) "
    "SELECT g.consent_id, g.life_domain, g.workspace_id, g.agency_id, g.purpose, g.valid_until FROM consent_grant g "
    "WHERE g.workspace_id = NEW.workspace_id AND g.agency_id = NEW.agency_id "
    "AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id);"
)
_SQLITE_MEMBER_GONE = (
    "DELETE FROM consent_access WHERE workspace_id = OLD.workspace_id AND agency_id = OLD.agency_id "
    "AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.workspace_id = OLD.workspace_id "
    "AND m.agency_id = OLD.agency_id);"
)
SQLITE_TRIGGERS_SQL = [
    f"""CREATE TRIGGER w2_access_grant AFTER INSERT ON consent_grant BEGIN
        INSERT OR IGNORE INTO consent_access ({COLUMNS})
        SELECT NEW.consent_id, NEW.life_domain, NEW.workspace_id, NEW.agency_id, NEW.purpose, NEW.valid_until
        WHERE EXISTS (SELECT 1 FROM membership m WHERE m.workspace_id = NEW.workspace_id AND m.agency_id = NEW.agency_id)
          AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = NEW.consent_id);
    END""",
    """CREATE TRIGGER w2_access_revocation AFTER INSERT ON consent_revocation BEGIN
        DELETE FROM consent_access WHERE consent_id = NEW.consent_id;
    END""",
    f"CREATE TRIGGER w2_access_member_in AFTER INSERT ON membership BEGIN {_SQLITE_MEMBER_GRANTS} END",
    f"CREATE TRIGGER w2_access_member_out AFTER DELETE ON membership BEGIN {_SQLITE_MEMBER_GONE} END",
    f"CREATE TRIGGER w2_access_member_moved AFTER UPDATE OF workspace_id, agency_id ON membership "
    f"BEGIN {_SQLITE_MEMBER_GONE} {_SQLITE_MEMBER_GRANTS} END",
]
SQLITE_DROP_TRIGGERS_SQL = [f"DROP TRIGGER IF EXISTS {n}" for n in (
    "w2_access_grant", "w2_access_revocation", "w2_access_member_in", "w2_access_member_out",
    "w2_access_member_moved")]


def triggers_sql(dialect: str) -> list[str]:
    """The statements that keep consent_access in step, for this dialect."""
    return PG_TRIGGERS_SQL if dialect == "postgresql" else SQLITE_TRIGGERS_SQL


def drop_triggers_sql(dialect: str) -> list[str]:
    """Undo triggers_sql."""
    return PG_DROP_TRIGGERS_SQL if dialect == "postgresql" else SQLITE_DROP_TRIGGERS_SQL


def backfill_sql() -> str:
    """Fill an empty consent_access from the log."""
    return f"INSERT INTO consent_access ({COLUMNS}) {ACCESS_ROWS}"


async def rebuild_access(session: AsyncSession) -> int:
    """Derive consent_access again from the consent log (as the owner); returns the row count."""
    await session.execute(text("DELETE FROM consent_access"))
    await session.execute(text(backfill_sql()))
    return int((await session.execute(text("SELECT count(*) FROM consent_access"))).scalar_one())


# --- The read rule of row-level security, rendered per table -------------------------------------------
# Scope accessors are wrapped in scalar sub-selects so each runs once per query (an InitPlan), and
# the consent probe is an EXISTS the planner turns into one hashed scan of the agency's access rows:
# no function is called per row.
KIND = "(SELECT w2_actor_kind())"
AGENCY = "(SELECT w2_actor_agency())"
WORKSPACE = "(SELECT w2_actor_workspace())"
ADMIN = "(SELECT w2_actor_admin())"


def _check(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def domain_rule(table: str, workspace_col: str = "workspace_id", domain_col: str = "life_domain") -> str:
    """SQL condition: the scoped caller may read this row of case content (mirrors policy.can_read_domain)."""
    t, w, d = _check(table), _check(workspace_col), _check(domain_col)
    return domain_rule_on(f"{t}.{w}", f"{t}.{d}")


def domain_rule_on(ws: str, domain: str) -> str:
    """The domain rule over two SQL expressions: the one place it is written."""
    return (f"CASE {KIND} WHEN 'system' THEN true "
            f"WHEN 'jobseeker' THEN {ws} = {WORKSPACE} "
            f"WHEN 'staff' THEN NOT {ADMIN} AND EXISTS (SELECT 1 FROM consent_access c "
            f"WHERE c.agency_id = {AGENCY} AND c.workspace_id = {ws} AND c.purpose = 'information_sharing' "
            f"AND c.life_domain = {domain} AND (c.valid_until IS NULL OR c.valid_until >= w2_today())) "
            f"ELSE false END")


def workspace_rule(table: str, workspace_col: str = "workspace_id") -> str:
    """SQL condition: the scoped caller may see this workspace's identity/logistics row (members, job seeker)."""
    t, w = _check(table), _check(workspace_col)
    return workspace_rule_on(f"{t}.{w}")


def workspace_rule_on(ws: str) -> str:
    """The workspace rule over an SQL expression: the one place it is written."""
    return (f"CASE {KIND} WHEN 'system' THEN true "
            f"WHEN 'jobseeker' THEN {ws} = {WORKSPACE} "
            f"WHEN 'staff' THEN EXISTS (SELECT 1 FROM membership m "
            f"WHERE m.agency_id = {AGENCY} AND m.workspace_id = {ws}) "
            f"ELSE false END")


# The older per-row functions stay for policies written with platform/db/roles.py helpers by
# migrations that run later; their bodies are the same rules. `inline_policies_sql` replaces such
# policies with the inlined rule, and tests/consent/test_compiled_access.py checks none is left.
LEGACY_FUNCTIONS_SQL = [
    f"""CREATE OR REPLACE FUNCTION w2_can_read_domain(ws uuid, domain text) RETURNS boolean
        LANGUAGE sql STABLE AS $$ SELECT {domain_rule_on('ws', 'domain')} $$""",
    f"""CREATE OR REPLACE FUNCTION w2_workspace_visible(ws uuid) RETURNS boolean
        LANGUAGE sql STABLE AS $$ SELECT {workspace_rule_on('ws')} $$""",
]
_DOMAIN_CALL = re.compile(r"^\(?w2_can_read_domain\((\w+), \(?(\w+)\)?(?:::text)?\)\)?$")
_WORKSPACE_CALL = re.compile(r"^\(?w2_workspace_visible\((\w+)\)\)?$")


def inline_policy_for(table: str, qual: str) -> list[str] | None:
    """Statements replacing a per-row-function policy `qual` of `table` by the inlined rule; None if not one."""
    if m := _DOMAIN_CALL.match(qual.strip()):
        return policy_sql(table, domain_rule(table, m.group(1), m.group(2)))
    if m := _WORKSPACE_CALL.match(qual.strip()):
        return policy_sql(table, workspace_rule(table, m.group(1)))
    return None


def policy_sql(table: str, rule: str) -> list[str]:
    """(Re)create the one w2 policy of a table with `rule` for reads and writes; RLS forced."""
    t = _check(table)
    return [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY", f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS w2_case_content ON {t}",
            f"CREATE POLICY w2_case_content ON {t} USING ({rule}) WITH CHECK ({rule})"]


# The scope as PostgreSQL sees it; plain SQL functions over the transaction-local settings.
SCOPE_FUNCTIONS_SQL = [
    """CREATE OR REPLACE FUNCTION w2_actor_kind() RETURNS text LANGUAGE sql STABLE AS $$
        SELECT NULLIF(current_setting('w2.actor_kind', true), '') $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_agency() RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT NULLIF(current_setting('w2.agency_id', true), '')::uuid $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_workspace() RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT NULLIF(current_setting('w2.workspace_id', true), '')::uuid $$""",
    """CREATE OR REPLACE FUNCTION w2_actor_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(NULLIF(current_setting('w2.platform_admin', true), ''), '0') = '1' $$""",
]
SCOPE_DROP_SQL = [f"DROP FUNCTION IF EXISTS {n}()" for n in (
    "w2_actor_kind", "w2_actor_agency", "w2_actor_workspace", "w2_actor_admin")]
