"""Compiled access: one narrow table of who may use which life domain of which workspace, for what.

`consent_access` holds one row per active grant of a member agency: a grant that is not revoked (or
expired by the beat job) whose agency is a member of the workspace. Triggers keep it in the same
transaction as every grant, revocation, expiry and membership change; `rebuild_access` derives it
again from the append-only consent log, which stays the evidence. End dates are not applied here:
every reader compares `valid_until` with today's date in its query, so they bite without a job.

The read rules of row-level security (platform/db/rls_rules.py, rendered into every protected table's
policy) and the explicit policy in consent/policy.py both read this table.
"""

from __future__ import annotations

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
