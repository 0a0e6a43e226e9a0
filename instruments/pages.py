"""Staff pages of the instruments: the spiral with the phase, the vignet, the trajectovereenkomst."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import ConsentMissing, readable_domains
from w2.instruments import cards, competences, service, trajectory, vignet
from w2.instruments.phases import BY_CODE, CYCLES, PHASE_DOMAIN, PHASES
from w2.instruments.schemas import (
    CompetenceCardIn,
    GoalIn,
    PhaseIn,
    SectionIn,
    SignatureIn,
    TaskIn,
    TrajectoryAgreementIn,
    VignetIn,
)
from w2.instruments.spiral import spiral_svg
from w2.platform.auth import staff
from w2.platform.errors import Conflict, Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.models import Jobseeker, Membership, User
from w2.platform.page_kit import form_fields, page_language, page_router, render, require_staff
from w2.platform.workspaces import get_workspace

GOAL_ROWS = 3


async def _name(db: AsyncSession, actor: Any, workspace_id: uuid.UUID) -> tuple[Any, Jobseeker]:
    ws = await get_workspace(db, actor, workspace_id)
    js = await db.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    return ws, js


def _error_text(exc: Exception, lang: str) -> str:
    if isinstance(exc, ConsentMissing):
        return t("error.consent_missing", lang, agency=exc.agency_name, purpose=t(f"purpose.{exc.purpose}", lang),
                 domain=t(f"domain.{exc.life_domain}", lang))
    return getattr(exc, "detail", str(exc))


async def trajectory_page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                          status: int = 200, error: str | None = None, form: dict[str, str] | None = None) -> Template:
    """The spiral, the phase form and the history."""
    actor = require_staff(request)
    ws, js = await _name(db, actor, workspace_id)
    rows = await service.phase_history(db, actor, ws.id)
    history = await service.phase_changes_out(db, rows)
    current = rows[-1].code if rows else None
    allowed = PHASE_DOMAIN in await readable_domains(db, actor, ws.id)
    lang = page_language(request)
    return render(request, "instruments/trajectory.html", status=status, ws=ws, js=js, history=history,
                  current=BY_CODE.get(current or ""), allowed=allowed, phases=PHASES, cycles=CYCLES,
                  spiral=spiral_svg([r.code for r in rows], current, lang), error=error, form=form or {},
                  phase_domain=PHASE_DOMAIN)


@get("/workspaces/{workspace_id:uuid}/traject", guards=[staff])
async def trajectory_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Where the trajectory is on the spiral."""
    return await trajectory_page(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/traject", guards=[staff])
async def trajectory_submit(request: Request[Any, Any, Any], db: AsyncSession,
                            workspace_id: uuid.UUID) -> Template | Redirect:
    """Record the phase; going back is recorded too."""
    actor = require_staff(request)
    v = await form_fields(request)
    if len(v.get("note", "")) > 2000:
        return await trajectory_page(db, request, workspace_id, 422, t("pages.error.too_long", max=2000), v)
    try:
        await service.record_phase(db, actor, workspace_id, PhaseIn(code=v.get("code", ""), note=v.get("note")))
    except (Invalid, ConsentMissing) as exc:
        await db.rollback()
        return await trajectory_page(db, request, workspace_id, 422 if isinstance(exc, Invalid) else 409,
                                     _error_text(exc, page_language(request)), v)
    return Redirect(f"/workspaces/{workspace_id}/traject#geschiedenis")


async def vignet_page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                      status: int = 200, error: str | None = None, form: dict[str, str] | None = None) -> Template:
    """The eight sections as a form, with the job seeker's own words next to them."""
    actor = require_staff(request)
    ws, js = await _name(db, actor, workspace_id)
    rows = await vignet.read_vignet(db, actor, ws.id)
    outs = await vignet.sections_out(db, rows)
    mine = {r.key: o for r, o in zip(rows, outs, strict=True) if r.perspective == "counsellor"}
    theirs = {r.key: o for r, o in zip(rows, outs, strict=True) if r.perspective == "jobseeker"}
    return render(request, "instruments/vignet.html", status=status, ws=ws, js=js, keys=vignet.KEYS, mine=mine,
                  theirs=theirs, defaults=vignet.DEFAULT_DOMAIN, domains=LIFE_DOMAINS, error=error, form=form)


@get("/workspaces/{workspace_id:uuid}/vignet", guards=[staff])
async def vignet_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The vignet of the job seeker."""
    return await vignet_page(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/vignet", guards=[staff])
async def vignet_submit(request: Request[Any, Any, Any], db: AsyncSession,
                        workspace_id: uuid.UUID) -> Template | Redirect:
    """Save the filled-in sections; each change becomes a new version."""
    actor = require_staff(request)
    v = await form_fields(request)
    sections = []
    for key in vignet.KEYS:
        text = v.get(f"{key}-text", "")
        if not text:
            continue
        if len(text) > 10000:
            return await vignet_page(db, request, workspace_id, 422, t("pages.error.too_long", max=10000), v)
        sections.append(SectionIn(key=key, life_domain=v.get(f"{key}-domain", ""), text=text,
                                  sensitive=v.get(f"{key}-sensitive") == "1"))
    try:
        await vignet.write_vignet(db, actor, workspace_id, VignetIn(sections=sections))
    except (Invalid, Conflict, ConsentMissing) as exc:
        await db.rollback()
        return await vignet_page(db, request, workspace_id, 409 if not isinstance(exc, Invalid) else 422,
                                 _error_text(exc, page_language(request)), v)
    return Redirect(f"/workspaces/{workspace_id}/vignet?bewaard=1")


async def agreement_page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                         status: int = 200, error: str | None = None, form: dict[str, str] | None = None) -> Template:
    """All versions with signatures, the sign forms and the form for a new version."""
    actor = require_staff(request)
    ws, js = await _name(db, actor, workspace_id)
    versions = await trajectory.list_versions(db, actor, ws.id)
    witnesses = list(await db.scalars(select(User).join(Membership, Membership.agency_id == User.agency_id).where(
        Membership.workspace_id == ws.id, User.active.is_(True), User.id != actor.user_id).order_by(User.name)))
    if form is None:
        form = {}
        for i, g in enumerate(versions[0].goals[:GOAL_ROWS] if versions else []):
            form.update({f"g{i}-area": g.area, f"g{i}-domain": g.life_domain, f"g{i}-text": g.text,
                         f"g{i}-measure": g.measure, f"g{i}-due": g.due_date.isoformat(),
                         f"g{i}-helped": g.helped_by or "", f"g{i}-actions": "\n".join(g.actions)})
    return render(request, "instruments/agreement.html", status=status, ws=ws, js=js, versions=versions,
                  witnesses=witnesses, domains=LIFE_DOMAINS, rows=range(GOAL_ROWS), error=error, form=form)


@get("/workspaces/{workspace_id:uuid}/trajectovereenkomst", guards=[staff])
async def agreement_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The trajectovereenkomst and its versions."""
    return await agreement_page(db, request, workspace_id)


def _goals(v: dict[str, str]) -> list[GoalIn]:
    goals = []
    for i in range(GOAL_ROWS):
        if not any(v.get(f"g{i}-{f}") for f in ("text", "measure", "due", "helped", "actions")):
            continue
        try:
            due = date.fromisoformat(v.get(f"g{i}-due", ""))
        except ValueError:
            raise Invalid(f"g{i}-due", t("instruments.page.error.due", goal=i + 1)) from None
        area = v.get(f"g{i}-area", "")
        if area not in ("work", "welfare"):
            raise Invalid(f"g{i}-area", t("instruments.page.error.area", goal=i + 1))
        for f in ("text", "measure"):
            if len(v.get(f"g{i}-{f}", "")) > 2000:
                raise Invalid(f"g{i}-{f}", t("pages.error.too_long", max=2000))
        goals.append(GoalIn(area=area, life_domain=v.get(f"g{i}-domain", ""),  # type: ignore[arg-type]  # form text, validated by the service
                            text=v.get(f"g{i}-text", ""), measure=v.get(f"g{i}-measure", ""), due_date=due,
                            helped_by=v.get(f"g{i}-helped", "")[:300] or None,
                            actions=[a.strip()[:2000] for a in v.get(f"g{i}-actions", "").splitlines() if a.strip()]))
    return goals


@post("/workspaces/{workspace_id:uuid}/trajectovereenkomst", guards=[staff])
async def agreement_submit(request: Request[Any, Any, Any], db: AsyncSession,
                           workspace_id: uuid.UUID) -> Template | Redirect:
    """Make a new version from the filled-in goals."""
    actor = require_staff(request)
    form = await request.form()
    v = {k: (form.get(k) or "").strip() if not k.endswith("-actions") else (form.get(k) or "") for k in form}
    try:
        await trajectory.create_version(db, actor, workspace_id, TrajectoryAgreementIn(goals=_goals(v)))
    except (Invalid, ConsentMissing, Forbidden) as exc:
        await db.rollback()
        return await agreement_page(db, request, workspace_id, 422 if isinstance(exc, Invalid) else 409,
                                    _error_text(exc, page_language(request)), v)
    return Redirect(f"/workspaces/{workspace_id}/trajectovereenkomst#versies")


@post("/workspaces/{workspace_id:uuid}/trajectovereenkomst/{agreement_id:uuid}/handtekening", guards=[staff])
async def agreement_sign(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID,
                         agreement_id: uuid.UUID) -> Template | Redirect:
    """Record a signature: the counsellor's, or the job seeker's on paper or verbally with a witness."""
    actor = require_staff(request)
    v = await form_fields(request)
    try:
        witness = uuid.UUID(v["witness_user_id"]) if v.get("witness_user_id") else None
        await trajectory.sign(db, actor, agreement_id, SignatureIn(
            by=v.get("by", ""), method=v.get("method", ""), witness_user_id=witness))  # type: ignore[arg-type]  # form text, validated by the service
    except ValueError:
        return await agreement_page(db, request, workspace_id, 422, t("instruments.error.witness"))
    except (Invalid, Conflict, Forbidden) as exc:
        await db.rollback()
        return await agreement_page(db, request, workspace_id, 409 if isinstance(exc, Conflict) else 422,
                                    exc.detail)
    return Redirect(f"/workspaces/{workspace_id}/trajectovereenkomst#versies")


@get("/workspaces/{workspace_id:uuid}/spiraal.svg", guards=[staff], media_type="image/svg+xml")
async def spiral_image(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Response[str]:
    """The spiral as an image for the workspace page (empty without consent for the phase's domain)."""
    actor = require_staff(request)
    rows = await service.phase_history(db, actor, workspace_id)
    svg = spiral_svg([r.code for r in rows], rows[-1].code if rows else None, page_language(request))
    return Response(content=str(svg), media_type="image/svg+xml", headers={"Cache-Control": "no-store, private"})


INSTRUMENT_PAGES = page_router("/", [spiral_image, trajectory_view, trajectory_submit, vignet_view, vignet_submit,
                                     agreement_view, agreement_submit, agreement_sign])


async def cards_page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID, status: int = 200,
                     error: str | None = None) -> Template:
    """Competentiekaart 1 and 2: the cards so far and the forms for new ones."""
    actor = require_staff(request)
    ws, js = await _name(db, actor, workspace_id)
    lang = page_language(request)
    glossary = {i["code"]: i for i in competences.glossary(lang)}
    return render(request, "instruments/cards.html", status=status, ws=ws, js=js,
                  cards=await cards.list_cards(db, actor, ws.id), glossary=glossary, error=error, tasks=range(3))


@get("/workspaces/{workspace_id:uuid}/competenties", guards=[staff])
async def cards_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The competence cards of a workspace."""
    return await cards_page(db, request, workspace_id)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


@post("/workspaces/{workspace_id:uuid}/competenties", guards=[staff])
async def cards_submit(request: Request[Any, Any, Any], db: AsyncSession,
                       workspace_id: uuid.UUID) -> Template | Redirect:
    """Store a new card from the form."""
    actor = require_staff(request)
    form = await request.form()
    kind = form.get("kind") or ""
    try:
        if kind == "profile":
            data = CompetenceCardIn(kind="profile", key_competences=form.getall("key_competences", []),
                                    technical_competences=_lines(form.get("technical") or ""),
                                    job_targets=[x.strip() for x in form.getall("job_target", []) if x.strip()],
                                    named_by="jobseeker" if form.get("named_by") == "jobseeker" else "counsellor")
        else:
            tasks = [TaskIn(text=(form.get(f"t{i}-text") or "").strip(),
                            key_competences=form.getall(f"t{i}-key", []),
                            technical_competences=_lines(form.get(f"t{i}-technical") or ""))
                     for i in range(3) if (form.get(f"t{i}-text") or "").strip()]
            data = CompetenceCardIn(kind="job", job_title=(form.get("job_title") or "").strip(), tasks=tasks)
        for value in (data.job_title or "", *data.job_targets, *data.technical_competences):
            if len(value) > 300:
                raise Invalid("text", t("pages.error.too_long", max=300))
        await cards.create_card(db, actor, workspace_id, data)
    except (Invalid, ConsentMissing, Forbidden) as exc:
        await db.rollback()
        return await cards_page(db, request, workspace_id, 409 if isinstance(exc, ConsentMissing) else 422,
                                _error_text(exc, page_language(request)))
    return Redirect(f"/workspaces/{workspace_id}/competenties#kaarten")


CARD_PAGES = page_router("/", [cards_view, cards_submit])
