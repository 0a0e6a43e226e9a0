"""The job seeker's page about people: their spilfiguur and the people they trust."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent import people_service as svc
from w2.platform.auth import signed_in
from w2.platform.errors import NotFound, W2Error
from w2.platform.i18n import t
from w2.platform.models import User
from w2.platform.page_kit import form_fields, page_language, page_router, render, require_jobseeker


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return await form_fields(request, strip=False)


def _say(request: Request[Any, Any, Any], key: str, anchor: str, **params: Any) -> None:
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["said"] = {"text": t(key, page_language(request), **params), "at": anchor, **(
            {"undo": params["undo"]} if "undo" in params else {})}


def _said(request: Request[Any, Any, Any]) -> dict[str, str]:
    session = request.scope.get("session")
    said = session.pop("said", None) if isinstance(session, dict) else None
    return said if isinstance(said, dict) else {}


def _uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


async def _page(request: Request[Any, Any, Any], db: AsyncSession, status: int = 200,
                errors: dict[str, str] | None = None, values: dict[str, dict[str, Any]] | None = None) -> Template:
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    pivot = await svc.current_pivot(db, actor.workspace_id)
    pivot_user = await db.get(User, pivot.user_id) if pivot else None
    return render(request, "portal/people.html", status=status, pivot=pivot, pivot_user=pivot_user,
                  candidates=await svc.candidates(db, actor.workspace_id),
                  confidants=await svc.own_confidants(db, actor.workspace_id),
                  errors=errors or {}, values=values or {}, said=_said(request))


@get("/mensen", guards=[signed_in])
async def people_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Who is my spilfiguur, and who do I trust."""
    return await _page(request, db)


async def _act(request: Request[Any, Any, Any], db: AsyncSession, anchor: str, action: Any) -> Template | Redirect:
    try:
        await action()
    except W2Error as exc:
        await db.rollback()
        return await _page(request, db, status=exc.status,
                           errors={"top" if isinstance(exc, NotFound) else anchor: exc.detail})
    return Redirect(f"/portal/mensen#{anchor}")


@post("/mensen/spilfiguur", guards=[signed_in])
async def pivot_submit(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Choose or confirm my spilfiguur."""
    actor = require_jobseeker(request)
    values = await _form(request)
    user_id = _uuid(values.get("user_id"))

    async def run() -> None:
        if user_id is None:
            raise NotFound(t("portal.people.error.pivot_unknown", actor.language))
        await svc.choose_pivot(db, actor, user_id)
        user = await db.get(User, user_id)
        _say(request, "portal.people.pivot_chosen", "spilfiguur", name=user.name if user else "")
    return await _act(request, db, "spilfiguur", run)


@post("/mensen/vertrouwenspersoon", guards=[signed_in])
async def confidant_add(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Add someone I trust."""
    actor = require_jobseeker(request)
    values = await _form(request)
    data, errors = svc.clean_confidant(values, page_language(request))
    if errors:
        return await _page(request, db, status=422, errors={f"new-{k}": v for k, v in errors.items()},
                           values={"new": values})

    async def run() -> None:
        c = await svc.add_confidant(db, actor, data)
        _say(request, "portal.people.confidant_added", "vertrouwen", name=c.name)
    return await _act(request, db, "vertrouwen", run)


@post("/mensen/vertrouwenspersoon/{confidant_id:uuid}", guards=[signed_in])
async def confidant_change(request: Request[Any, Any, Any], db: AsyncSession,
                           confidant_id: uuid.UUID) -> Template | Redirect:
    """Change someone's details."""
    actor = require_jobseeker(request)
    values = await _form(request)
    data, errors = svc.clean_confidant(values, page_language(request))
    key = str(confidant_id)
    if errors:
        await svc._confidant(db, actor, confidant_id)  # another workspace's id: not found, not a form error
        return await _page(request, db, status=422, errors={f"{key}-{k}": v for k, v in errors.items()},
                           values={key: values})

    async def run() -> None:
        await svc.change_confidant(db, actor, confidant_id, data)
        _say(request, "portal.people.confidant_changed", f"c-{key}")
    return await _act(request, db, f"c-{key}", run)


@post("/mensen/vertrouwenspersoon/{confidant_id:uuid}/weg", guards=[signed_in])
async def confidant_remove(request: Request[Any, Any, Any], db: AsyncSession,
                           confidant_id: uuid.UUID) -> Template | Redirect:
    """Take someone off my list (with an undo)."""
    actor = require_jobseeker(request)

    async def run() -> None:
        c = await svc.remove_confidant(db, actor, confidant_id)
        _say(request, "portal.people.confidant_removed", "vertrouwen", name=c.name, undo=str(c.id))
    return await _act(request, db, "vertrouwen", run)


@post("/mensen/vertrouwenspersoon/{confidant_id:uuid}/terug", guards=[signed_in])
async def confidant_restore(request: Request[Any, Any, Any], db: AsyncSession,
                            confidant_id: uuid.UUID) -> Template | Redirect:
    """Undo: put someone back on my list."""
    actor = require_jobseeker(request)

    async def run() -> None:
        c = await svc.restore_confidant(db, actor, confidant_id)
        _say(request, "portal.people.confidant_restored", f"c-{c.id}", name=c.name)
    return await _act(request, db, f"c-{confidant_id}", run)


PORTAL_PEOPLE_PAGES = page_router("/portal", [
    people_page, pivot_submit, confidant_add, confidant_change, confidant_remove, confidant_restore,
])
