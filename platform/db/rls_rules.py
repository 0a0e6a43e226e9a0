"""The read rules of row-level security, rendered inline into each table's policy (no per-row function).

The domain rule reads the compiled access table (consent/access.py keeps it); the workspace rule reads
membership. consent/policy.py states the same rules for the explicit filter in every query.
"""

from __future__ import annotations

import re

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

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


def identity_or_domain_rule(table: str, workspace_col: str = "workspace_id", domain_col: str = "life_domain") -> str:
    """SQL condition for rows whose domain may be 'identity' (seen by the workspace) or a life domain (consent)."""
    t, w, d = _check(table), _check(workspace_col), _check(domain_col)
    return f"(({t}.{d} = 'identity' AND {workspace_rule_on(f'{t}.{w}')}) OR {domain_rule_on(f'{t}.{w}', f'{t}.{d}')})"


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
