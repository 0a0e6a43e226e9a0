"""The SQL the agreement endpoints run, captured from the real service code and replayed on raw asyncpg."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from _common import database_url
from sqlalchemy import event, func, select

Captured = list[tuple[str, tuple[Any, ...]]]


def actor_for(agency_id: uuid.UUID, user_id: uuid.UUID) -> Any:
    """A staff actor (a worker of the agency)."""
    from w2.platform.actor import Actor

    return Actor(kind="staff", user_id=user_id, agency_id=agency_id, roles=frozenset({"worker"}), name="bench")


async def capture(actor: Any, call: Callable[[Any], Awaitable[Any]]) -> Captured:
    """Run `call(session)` once (rolled back) and return the SELECT statements it sent, with parameters."""
    from w2.platform.api_kit import rls_scope
    from w2.platform.db.engine import make_engine, make_sessionmaker

    engine = make_engine(database_url(), pooled=False)
    seen: Captured = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        # Entering the scope (w2_enter) is not part of the query: the RLS connection enters it once.
        if statement.lstrip().upper().startswith("SELECT") and "set_config" not in statement \
                and "w2_enter(" not in statement:
            seen.append((statement, tuple(parameters or ())))

    try:
        async with make_sessionmaker(engine)() as s:
            s.info["rls"] = rls_scope(actor)
            await s.begin()
            await call(s)
            await s.rollback()
    finally:
        await engine.dispose()
    return seen


def service_available() -> bool:
    """True when the agreements service (consent branch) is in this build."""
    try:
        import w2.meetings.agreements.service  # noqa: F401
    except ImportError:
        return False
    return True


async def partner_list_sql(actor: Any, policy: bool = True) -> Captured:
    """SQL of `GET /agreements?owner=my_agency` (first page) as the controller runs it: the service's own
    statement (page, capped count and notes in one), else a reference. `policy=False` captures the same
    statement with the consent condition replaced by `true` (the floor of the consent cost)."""
    if service_available():
        from w2.meetings.agreements import service as svc

        async def call(s: Any) -> None:
            if hasattr(svc, "partner_page"):
                page = await svc.partner_page(s, actor, owner="my_agency", limit=50)
                await svc.agreements_out(s, page.items, page.notes)
            else:
                rows, _ = await svc.partner_agreements(s, actor, owner="my_agency", limit=50, offset=0)
                await svc.agreements_out(s, rows)

        if policy:
            return await capture(actor, call)
        from sqlalchemy import true

        real = svc.can_read_domain
        svc.can_read_domain = lambda *a, **k: true()  # type: ignore[assignment]
        try:
            return await capture(actor, call)
        finally:
            svc.can_read_domain = real  # type: ignore[assignment]
    return await capture(actor, lambda s: _reference_partner(s, actor, policy=policy))


async def workspace_sql(actor: Any, workspace_id: uuid.UUID) -> Captured:
    """SQL of `GET /workspaces/{id}/agreements`."""
    if service_available():
        from w2.meetings.agreements import service as svc

        async def call(s: Any) -> None:
            if hasattr(svc, "workspace_agreements"):
                rows, notes = await svc.workspace_agreements(s, actor, workspace_id)
                await svc.agreements_out(s, rows, notes)
            else:
                rows = await svc.list_workspace_agreements(s, actor, workspace_id)
                await svc.agreements_out(s, rows)

        return await capture(actor, call)

    async def ref(s: Any) -> None:
        from w2.consent.policy import can_read_domain
        from w2.meetings.agreements.models import Agreement

        await s.execute(select(Agreement).where(Agreement.workspace_id == workspace_id, can_read_domain(
            actor, Agreement.workspace_id, Agreement.life_domain)).order_by(Agreement.due_date, Agreement.id))

    return await capture(actor, ref)


def partner_statements(actor: Any, policy: bool) -> tuple[Any, Any]:
    """(count, first page) of the partner list, with or without the consent policy."""
    from w2.consent.policy import can_read_domain
    from w2.meetings.agreements.models import Agreement

    cond: list[Any] = [Agreement.owner_agency_id == actor.agency_id]
    if policy:
        cond.append(can_read_domain(actor, Agreement.workspace_id, Agreement.life_domain))
    # The count as the endpoint runs it: capped at 1,000 (TOTAL_CAP).
    count = select(func.count()).select_from(select(Agreement.id).where(*cond).limit(1001).subquery())
    page = (select(Agreement).where(*cond)
            .order_by(Agreement.due_date.is_(None), Agreement.due_date, Agreement.created_at, Agreement.id)
            .limit(50))
    return count, page


async def _reference_partner(s: Any, actor: Any, policy: bool) -> None:
    count, page = partner_statements(actor, policy)
    await s.execute(count)
    await s.execute(page)


async def consent_cost_sql(actor: Any) -> dict[str, Captured]:
    """The partner list as served (one statement: page, capped count, notes) and, as in the first run, its
    count and page as separate statements; each with and without the policy."""
    out: dict[str, Captured] = {"served_policy": await partner_list_sql(actor, True),
                                "served_no_policy": await partner_list_sql(actor, False)}
    for policy in (True, False):
        count, page = partner_statements(actor, policy)
        tag = "policy" if policy else "no_policy"
        out[f"count_{tag}"] = await capture(actor, lambda s, c=count: s.execute(c))
        out[f"page_{tag}"] = await capture(actor, lambda s, p=page: s.execute(p))
    return out


async def rls_connection(actor: Any) -> Any | None:
    """A raw asyncpg connection as the app role, scoped to the actor for row-level security: one open
    read-only transaction entered through w2_enter (the scope is transaction-local and sealed), so only
    the policy evaluation is measured; None when the app connects as the owner."""
    import asyncpg
    from _common import app_database_url, app_role_differs, pg_dsn
    from sqlalchemy.engine import make_url

    from w2.platform.api_kit import rls_scope
    from w2.platform.db.scope import enter_params, fetch_key

    if not app_role_differs():
        return None
    conn = await asyncpg.connect(pg_dsn(app_database_url()))
    await conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY")
    p = enter_params(await fetch_key(make_url(app_database_url())), rls_scope(actor))
    await conn.execute("SELECT w2_enter($1, $2, $3, $4, $5)", p["kind"], p["agency"], p["ws"], p["admin"], p["proof"])
    # As the API runs its statements: w2_enter_token (a bearer token's request) asks for generic plans.
    await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    return conn


async def replay(conn: Any, statements: Captured) -> int:
    """Run captured statements on a raw asyncpg connection; returns rows fetched."""
    n = 0
    for sql, params in statements:
        n += len(await conn.fetch(sql, *params))
    return n
