"""ops: the access log is range-partitioned by month (PostgreSQL), so old months are dropped whole

Revision ID: 0006_ops_access_log_partitions
Revises: 0005_ops_case_end
"""
from alembic import op

revision = "0006_ops_access_log_partitions"
down_revision = "0005_ops_case_end"
branch_labels = None
depends_on = None

# Creates this month's and the next three months' partitions, and drops months older than
# `keep_months` (never fewer than 12: whoever can call it cannot wipe the recent log). It runs as the
# tables' owner (SECURITY DEFINER): only the owner may attach and detach partitions. New partitions
# refuse UPDATE/DELETE/TRUNCATE to every role but the owner, like the table they belong to.
MAINTAIN = """CREATE OR REPLACE FUNCTION w2_access_log_partitions(keep_months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        m date; oldest date; part text; dropped integer := 0; r record; g record;
    BEGIN
        IF keep_months < 12 THEN
            RAISE EXCEPTION 'the access log is kept at least 12 months (asked: %)', keep_months;
        END IF;
        FOR i IN 0..3 LOOP
            m := (date_trunc('month', now()) + make_interval(months => i))::date;
            PERFORM w2_access_log_partition(m);
        END LOOP;
        oldest := (date_trunc('month', now()) - make_interval(months => keep_months))::date;
        FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'access_log'::regclass AND c.relname ~ '^access_log_y[0-9]{4}m[0-9]{2}$' LOOP
            IF to_date(substr(r.relname, 13, 4) || substr(r.relname, 18, 2), 'YYYYMM') < oldest THEN
                EXECUTE format('ALTER TABLE access_log DETACH PARTITION %I', r.relname);
                EXECUTE format('DROP TABLE %I', r.relname);
                dropped := dropped + 1;
            END IF;
        END LOOP;
        RETURN dropped;
    END $$"""

ONE_MONTH = """CREATE OR REPLACE FUNCTION w2_access_log_partition(m date) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE part text := format('access_log_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM')); g record;
    BEGIN
        IF to_regclass(part) IS NOT NULL THEN RETURN; END IF;
        EXECUTE format('CREATE TABLE %I PARTITION OF access_log FOR VALUES FROM (%L) TO (%L)',
                       part, date_trunc('month', m)::date, (date_trunc('month', m) + interval '1 month')::date);
        -- Statement triggers are not inherited: a TRUNCATE of one month must be refused too.
        EXECUTE format('CREATE TRIGGER w2_append_only_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION w2_append_only()', part);
        FOR g IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                 WHERE table_name = part AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
                   AND grantee <> current_user LOOP
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', part, g.grantee);
        END LOOP;
    END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # the embedded SQLite default keeps one table
    for stmt in (
        "ALTER TABLE access_log RENAME TO access_log_unpartitioned",
        "ALTER INDEX ix_access_log_ws_at RENAME TO ix_access_log_unpartitioned_ws_at",
        "ALTER TABLE access_log_unpartitioned RENAME CONSTRAINT pk_access_log TO pk_access_log_unpartitioned",
        "DROP TRIGGER IF EXISTS w2_append_only ON access_log_unpartitioned",
        "DROP TRIGGER IF EXISTS w2_append_only_truncate ON access_log_unpartitioned",
        "CREATE TABLE access_log (LIKE access_log_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (at)",
        "ALTER TABLE access_log ADD CONSTRAINT pk_access_log PRIMARY KEY (id, at)",
        "CREATE INDEX ix_access_log_ws_at ON access_log (workspace_id, at)",
        # Catches rows only if maintenance stopped for months; never dropped by retention.
        "CREATE TABLE access_log_default PARTITION OF access_log DEFAULT",
        ONE_MONTH,
        MAINTAIN,
        """DO $$ DECLARE m date; BEGIN
               m := coalesce((SELECT date_trunc('month', min(at))::date FROM access_log_unpartitioned),
                             date_trunc('month', now())::date);
               WHILE m <= (date_trunc('month', now()) + interval '3 months')::date LOOP
                   PERFORM w2_access_log_partition(m);
                   m := (m + interval '1 month')::date;
               END LOOP;
           END $$""",
        "INSERT INTO access_log SELECT * FROM access_log_unpartitioned",
        "DROP TABLE access_log_unpartitioned",
        "CREATE TRIGGER w2_append_only BEFORE UPDATE OR DELETE ON access_log "
        "FOR EACH ROW EXECUTE FUNCTION w2_append_only()",
        "CREATE TRIGGER w2_append_only_truncate BEFORE TRUNCATE ON access_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION w2_append_only()",
        "CREATE TRIGGER w2_append_only_truncate BEFORE TRUNCATE ON access_log_default "
        "FOR EACH STATEMENT EXECUTE FUNCTION w2_append_only()",
    ):
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in (
        "ALTER TABLE access_log RENAME TO access_log_partitioned",
        "ALTER INDEX ix_access_log_ws_at RENAME TO ix_access_log_partitioned_ws_at",
        "ALTER TABLE access_log_partitioned RENAME CONSTRAINT pk_access_log TO pk_access_log_partitioned",
        "CREATE TABLE access_log (LIKE access_log_partitioned INCLUDING DEFAULTS)",
        "ALTER TABLE access_log ADD CONSTRAINT pk_access_log PRIMARY KEY (id)",
        "CREATE INDEX ix_access_log_ws_at ON access_log (workspace_id, at)",
        "INSERT INTO access_log SELECT * FROM access_log_partitioned",
        "DROP TABLE access_log_partitioned CASCADE",
        "DROP FUNCTION IF EXISTS w2_access_log_partitions(integer)",
        "DROP FUNCTION IF EXISTS w2_access_log_partition(date)",
        "CREATE TRIGGER w2_append_only BEFORE UPDATE OR DELETE ON access_log "
        "FOR EACH ROW EXECUTE FUNCTION w2_append_only()",
        "CREATE TRIGGER w2_append_only_truncate BEFORE TRUNCATE ON access_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION w2_append_only()",
    ):
        op.execute(stmt)
