"""sealed scope: the seal is checked in one function call instead of two nested ones

The accessors of the row-level-security scope (w2_actor_kind, ...) each call w2_scope_sealed() once
per query. It called w2_private.mac(), a second function with its own `SET search_path`, and that
nested call was most of an accessor's cost (about 3x). The MAC is now computed in w2_scope_sealed()
itself: the same key, the same message, the same SECURITY DEFINER and fixed search_path.

Revision ID: perf_0008_seal_check
Revises: perf_0007_section_policy
"""
from alembic import op

revision = "perf_0008_seal_check"
down_revision = "perf_0007_section_policy"
branch_labels = None
depends_on = None

# The message a seal covers, exactly as perf_0005_sealed_scope seals it.
_STATE = ("concat_ws('|', coalesce(current_setting('w2.actor_kind', true), ''), "
          "coalesce(current_setting('w2.agency_id', true), ''), coalesce(current_setting('w2.workspace_id', true), ''), "
          "coalesce(current_setting('w2.platform_admin', true), ''), pg_backend_pid()::text, "
          "extract(epoch from now())::text)")
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"
SEALED = f"""CREATE OR REPLACE FUNCTION w2_scope_sealed() RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce((SELECT current_setting('w2.seal', true)
                            = encode(sha256(k.key || sha256(convert_to({_STATE}, 'UTF8'))), 'hex')
                     FROM w2_private.scope_key k WHERE k.id = 1), false) $$"""
OLD = f"""CREATE OR REPLACE FUNCTION w2_scope_sealed() RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce(current_setting('w2.seal', true) = w2_private.mac({_STATE}), false) $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SEALED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(OLD)
