"""The job seeker's own pages for the instruments: their spiral, their vignet, their trajectovereenkomst."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.instruments import cards, competences, service, trajectory, vignet
from w2.instruments.phases import BY_CODE
from w2.instruments.schemas import CompetenceCardIn, SectionIn, SignatureIn, VignetIn
from w2.instruments.spiral import spiral_svg
from w2.platform.auth import signed_in
from w2.platform.errors import Conflict, Invalid
from w2.platform.i18n import t
from w2.platform.page_kit import page_language, page_router, render, require_jobseeker
from w2.platform.portal_kit import set_flash, take_flash


@get("/traject", guards=[signed_in])
async def my_trajectory(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Where I am on the spiral, and where I have been."""
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    rows = await service.phase_history(db, actor, actor.workspace_id)
    history = await service.phase_changes_out(db, rows)
    current = rows[-1].code if rows else None
    return render(request, "instruments/portal_trajectory.html", history=history,
                  current=BY_CODE.get(current or ""),
                  spiral=spiral_svg([r.code for r in rows], current, page_language(request)))


async def _vignet_page(request: Request[Any, Any, Any], db: AsyncSession, status: int = 200,
                       error: str | None = None) -> Template:
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    rows = await vignet.read_vignet(db, actor, actor.workspace_id)
    theirs = {r.key: r for r in rows if r.perspective == "counsellor"}
    mine = {r.key: r for r in rows if r.perspective == "jobseeker"}
    return render(request, "instruments/portal_vignet.html", status=status, keys=vignet.KEYS, theirs=theirs,
                  mine=mine, error=error, flash=take_flash(request))


@get("/vignet", guards=[signed_in])
async def my_vignet(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Everything in my vignet, and my own words next to it."""
    return await _vignet_page(request, db)


@post("/vignet", guards=[signed_in])
async def my_vignet_save(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Save what I wrote myself (each change is kept as a version)."""
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    form = await request.form()
    rows = {r.key: r for r in await vignet.read_vignet(db, actor, actor.workspace_id)}
    sections = []
    for key in vignet.KEYS:
        text = (form.get(key) or "").strip()
        if not text:
            continue
        if len(text) > 10000:
            return await _vignet_page(request, db, 422, t("pages.error.too_long", page_language(request),
                                                                  max=10000))
        domain = rows[key].life_domain if key in rows else vignet.DEFAULT_DOMAIN[key]
        sections.append(SectionIn(key=key, life_domain=domain, text=text))
    if not sections:
        return await _vignet_page(request, db, 422, t("instruments.portal.write_something",
                                                             page_language(request)))
    await vignet.write_vignet(db, actor, actor.workspace_id, VignetIn(sections=sections), "jobseeker")
    set_flash(request, t("instruments.portal.saved", page_language(request)))
    return Redirect("/portal/vignet")


async def _agreement_page(request: Request[Any, Any, Any], db: AsyncSession, status: int = 200,
                          error: str | None = None) -> Template:
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    versions = await trajectory.list_versions(db, actor, actor.workspace_id)
    return render(request, "instruments/portal_agreement.html", status=status, versions=versions, error=error,
                  flash=take_flash(request))


@get("/overeenkomst", guards=[signed_in])
async def my_agreement(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My trajectovereenkomst: the goals, and whether it is signed."""
    return await _agreement_page(request, db)


@post("/overeenkomst/{agreement_id:uuid}/teken", guards=[signed_in])
async def my_agreement_sign(request: Request[Any, Any, Any], db: AsyncSession,
                            agreement_id: uuid.UUID) -> Template | Redirect:
    """I agree and sign this version myself."""
    actor = require_jobseeker(request)
    try:
        await trajectory.sign(db, actor, agreement_id, SignatureIn(by="jobseeker", method="portal"))
    except (Conflict, Invalid) as exc:
        await db.rollback()
        return await _agreement_page(request, db, 409, exc.detail)
    set_flash(request, t("instruments.portal.signed", page_language(request)))
    return Redirect("/portal/overeenkomst")


async def _cards_page(request: Request[Any, Any, Any], db: AsyncSession, status: int = 200,
                      error: str | None = None) -> Template:
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    lang = page_language(request)
    return render(request, "instruments/portal_cards.html", status=status, error=error, flash=take_flash(request),
                  cards=await cards.list_cards(db, actor, actor.workspace_id),
                  glossary={i["code"]: i for i in competences.glossary(lang)})


@get("/competenties", guards=[signed_in])
async def my_cards(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My competence cards, and my own additions."""
    return await _cards_page(request, db)


@post("/competenties", guards=[signed_in])
async def my_cards_save(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Add my own card 2: competences I name myself and at most two jobs."""
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    form = await request.form()
    technical = [x.strip()[:300] for x in (form.get("technical") or "").splitlines() if x.strip()]
    data = CompetenceCardIn(kind="profile", key_competences=form.getall("key_competences", []),
                            technical_competences=technical,
                            job_targets=[x.strip()[:300] for x in form.getall("job_target", []) if x.strip()])
    try:
        await cards.create_card(db, actor, actor.workspace_id, data)
    except Invalid as exc:
        return await _cards_page(request, db, 422, exc.detail)
    set_flash(request, t("instruments.portal.cards_saved", page_language(request)))
    return Redirect("/portal/competenties")


PORTAL_INSTRUMENT_PAGES = page_router("/portal", [my_trajectory, my_vignet, my_vignet_save, my_agreement,
                                                  my_agreement_sign, my_cards,
                                                  my_cards_save])
