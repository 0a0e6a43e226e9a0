"""pages: counts of an agency's own agreements hidden by a consent withdrawal (no ids, no text)

Revision ID: pages_0002
Revises: seeker_0004
"""
from alembic import op

from w2.platform.migrations.versions import perf_0005_sealed_scope as sealed

revision = "pages_0002"
down_revision = "seeker_0004"
branch_labels = None
depends_on = None  # the sealed scope (perf_0005) and consent_access are ancestors through seeker_0004

_SETTINGS = ("actor_kind", "agency_id", "workspace_id", "platform_admin", "seal")

# Runs as the owner. The caller's sealed scope says which agency asks; the count itself reads under the
# system scope (FORCE row-level security also binds the owner), and the caller's settings and seal are
# put back verbatim before it returns. Only (life domain, count) leaves the function.
UPGRADE_SQL = [
    # Owner-only (w2_private): switches the transaction to `system`, sealed like w2_enter does.
    """CREATE OR REPLACE FUNCTION w2_private.enter_system() RETURNS void LANGUAGE plpgsql VOLATILE
        SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM set_config('w2.actor_kind', 'system', true), set_config('w2.agency_id', '', true),
                    set_config('w2.workspace_id', '', true), set_config('w2.platform_admin', '0', true);
            PERFORM set_config('w2.seal', w2_private.mac(""" + sealed._STATE + """), true);
        END $$""",
    """CREATE OR REPLACE FUNCTION w2_hidden_own_agreements(ws uuid)
        RETURNS TABLE (life_domain text, hidden bigint)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            v_agency uuid := w2_actor_agency();
            v_kind text := w2_actor_kind();
            v_admin boolean := w2_actor_admin();
            saved text[] := ARRAY[""" + ", ".join(f"current_setting('w2.{s}', true)" for s in _SETTINGS) + """];
        BEGIN
            IF v_kind IS DISTINCT FROM 'staff' OR v_agency IS NULL OR v_admin THEN
                RETURN;
            END IF;
            PERFORM w2_private.enter_system();
            RETURN QUERY
                SELECT a.life_domain::text, count(*)::bigint FROM agreement a
                 WHERE a.owner_agency_id = v_agency AND a.status <> 'cancelled'
                   AND (ws IS NULL OR a.workspace_id = ws)
                   AND EXISTS (SELECT 1 FROM membership m WHERE m.workspace_id = a.workspace_id
                                 AND m.agency_id = v_agency)
                   AND NOT EXISTS (SELECT 1 FROM consent_access c
                                    WHERE c.agency_id = v_agency AND c.workspace_id = a.workspace_id
                                      AND c.purpose = 'information_sharing' AND c.life_domain = a.life_domain
                                      AND (c.valid_until IS NULL OR c.valid_until >= w2_today()))
                 GROUP BY a.life_domain;
            PERFORM """ + ", ".join(f"set_config('w2.{s}', coalesce(saved[{i + 1}], ''), true)"
                                    for i, s in enumerate(_SETTINGS)) + """;
        END $$""",
    "REVOKE ALL ON FUNCTION w2_private.enter_system() FROM PUBLIC",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for stmt in UPGRADE_SQL:  # the helper first: the counting function calls it
        op.execute(stmt)

def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS w2_hidden_own_agreements(uuid)")
    op.execute("DROP FUNCTION IF EXISTS w2_private.enter_system()")
