"""API requests plan their statements once per connection: generic plans, transaction-local

Every policy adds its scope InitPlans and EXISTS probes to a statement, and PostgreSQL planned the
list statements under row-level security afresh on each request (custom plans): about 1 ms, most of
the consent cost for a small agency (bench/consent_cost.py). w2_enter_token, which starts every
bearer-token request, now asks for generic plans for the rest of that transaction only, so the app's
prepared statements are planned once per connection. Background work and pages are unchanged: the
reminder scan relies on partial indexes that a generic plan cannot use for parameters. Transaction-
local, like the scope itself, so it is safe behind PgBouncer (where statements are not prepared and
this has no effect).

Revision ID: perf_0010_api_generic_plans
Revises: perf_0009_seal_plpgsql
"""
from alembic import op

from w2.platform.migrations.versions import perf_0005_sealed_scope as first

revision = "perf_0010_api_generic_plans"
down_revision = "perf_0009_seal_plpgsql"
branch_labels = None
depends_on = None

OLD = next(stmt for stmt in first.UPGRADE_SQL if "FUNCTION w2_enter_token(" in stmt)
_RETURN = "            RETURN u.id;"
assert OLD.count(_RETURN) == 1
NEW = OLD.replace(_RETURN, "            PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);\n" + _RETURN)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(OLD)
