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


def policy_sql(table: str, rule: str, check: str | None = None) -> list[str]:
    """(Re)create the one w2 policy of a table: `rule` for reads, `check` (default: `rule`) for new rows."""
    t = _check(table)
    return [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY", f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS w2_case_content ON {t}",
            f"CREATE POLICY w2_case_content ON {t} USING ({rule}) WITH CHECK ({check or rule})"]


def parent_rule(table: str, parent: str, fk_col: str, parent_pk: str = "id") -> str:
    """SQL condition: the row's parent row is visible (the parent's own policy applies inside)."""
    t, p, f, k = _check(table), _check(parent), _check(fk_col), _check(parent_pk)
    return f"EXISTS (SELECT 1 FROM {p} WHERE {p}.{k} = {t}.{f})"


# Personal data outside case content (issue 13 item 8): identity, round tables and messages.
# Each table's rule is written here once; the migration renders it into the table's policy.
SEALED = f"{KIND} IS NOT NULL"  # any scope entered through w2_enter (a forged one reads as NULL)


def _staff_of(user_col: str) -> str:
    # The user works at the caller's agency (the scope names an agency, not a user).
    return f"EXISTS (SELECT 1 FROM app_user u WHERE u.id = {user_col} AND u.agency_id = {AGENCY})"


def outbox_rule() -> str:
    """Outbox rows: the system; the job seeker's own messages; staff of the agency that answers for them.

    Staff mirror notifications/service.py `answered_by`: the row's agency, else the recipient's agency,
    else (messages to the job seeker) the workspace's coordinating agency.
    """
    o = "outbox_message"
    return (f"CASE {KIND} WHEN 'system' THEN true "
            f"WHEN 'jobseeker' THEN {o}.workspace_id = {WORKSPACE} AND {o}.recipient_user_id IS NULL "
            f"WHEN 'staff' THEN NOT {ADMIN} AND ({o}.agency_id = {AGENCY} "
            f"OR ({o}.agency_id IS NULL AND {_staff_of(f'{o}.recipient_user_id')}) "
            f"OR ({o}.agency_id IS NULL AND {o}.recipient_user_id IS NULL AND EXISTS (SELECT 1 FROM workspace w "
            f"WHERE w.id = {o}.workspace_id AND w.coordinating_agency_id = {AGENCY}))) "
            f"ELSE false END")


def inbox_rule() -> str:
    """In-app inbox rows: the system, and staff of the addressee's agency (job seekers have no inbox)."""
    return f"CASE {KIND} WHEN 'system' THEN true WHEN 'staff' THEN {_staff_of('notification.user_id')} ELSE false END"


def personal_policies() -> dict[str, tuple[str, str]]:
    """Table -> (read rule, new-row rule) for every table of personal data outside case content."""
    meeting = workspace_rule("meeting")
    policies: dict[str, tuple[str, str]] = {
        "workspace": (workspace_rule("workspace", "id"),
                      # Opening a workspace: the new row names the caller's agency as coordinating.
                      f"{workspace_rule('workspace', 'id')} OR ({KIND} = 'staff' AND NOT {ADMIN} "
                      f"AND workspace.coordinating_agency_id = {AGENCY})"),
        # A job seeker is visible with their workspace; a new one is written just before it.
        "jobseeker": (f"{KIND} = 'system' OR {parent_rule('jobseeker', 'workspace', 'id', 'jobseeker_id')}",
                      f"{KIND} IN ('system', 'staff')"),
        "confidant": _both(workspace_rule("confidant")),
        "meeting": _both(meeting),
        "outbox_message": (outbox_rule(), SEALED),
        "notification": _both(inbox_rule()),
    }
    for child in ("meeting_invitee", "meeting_slot", "meeting_jobseeker_agreement"):
        policies[child] = _both(parent_rule(child, "meeting", "meeting_id"))
    policies["meeting_vote"] = _both(parent_rule("meeting_vote", "meeting_slot", "slot_id"))
    return policies


def _both(rule: str) -> tuple[str, str]:
    return rule, rule


def personal_policies_sql() -> list[str]:
    """The statements that put every personal-data policy in place (FORCE'd)."""
    return [stmt for table, (rule, check) in personal_policies().items() for stmt in policy_sql(table, rule, check)]
