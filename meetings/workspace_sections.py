"""The workspace's sub-pages: services, pivot, consent overview, agreements, round tables and documents."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS, PURPOSES
from w2.consent.policy import readable_domains
from w2.consent.questions import readable_questions
from w2.consent.service import consent_grid
from w2.meetings.agreements.service import hidden_own_counts, list_workspace_agreements
from w2.meetings.service import list_meetings
from w2.meetings.workspace_kit import form_values, head, members_of, pivots_of, saved_then
from w2.platform import schemas as s
from w2.platform.auth import staff
from w2.platform.errors import Conflict, Invalid
from w2.platform.i18n import t
from w2.platform.models import QUESTION_TYPES, Agency, Confidant, User
from w2.platform.page_kit import render, require_staff
from w2.platform.workspaces import add_member, set_pivot

MEMBER_FIELDS = {"agency_id": "m-agency", "question_type": "m-type", "question": "m-question",
                 "life_domain": "m-domain", "contact_user_id": "m-contact"}


async def _candidates(db: AsyncSession, members: list[Any]) -> list[User]:
    ids = [m.agency_id for m, _ in members]
    return list(await db.scalars(select(User).where(User.agency_id.in_(ids), User.active.is_(True)).order_by(User.name)))


async def services_with(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                        status: int = 200, form: dict[str, Any] | None = None,
                        errors: dict[str, str] | None = None) -> Template:
    """Member agencies and their question (individuele sociale kaart), confidants, the add form."""
    top = await head(db, request, workspace_id)
    errors = errors or {}
    top["errors"] = [(MEMBER_FIELDS.get(k, "m-agency"), v) for k, v in errors.items()]
    confidants = list(await db.scalars(select(Confidant).where(Confidant.workspace_id == workspace_id,
                                                             Confidant.removed_at.is_(None))))
    contacts: dict[str, list[User]] = {}
    if top["is_coordinator"]:  # who can be an agency's contact person; only the coordinator adds services
        for user, agency_name in (await db.execute(
                select(User, Agency.name).join(Agency, Agency.id == User.agency_id)
                .where(User.active.is_(True)).order_by(Agency.name, User.name))).all():
            contacts.setdefault(agency_name, []).append(user)
    return render(request, "workspace/services.html", status=status, section="services", **top,
                  contacts=list(contacts.items()),
                  members=await members_of(db, workspace_id), confidants=confidants, question_types=QUESTION_TYPES,
                  questions=await readable_questions(db, require_staff(request), workspace_id),
                  domains=LIFE_DOMAINS, member_form=form or {}, member_errors=errors)


@get("/workspaces/{workspace_id:uuid}/diensten", guards=[staff])
async def services_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The services around the job seeker."""
    return await services_with(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/leden", guards=[staff])
async def add_member_submit(request: Request[Any, Any, Any], db: AsyncSession,
                            workspace_id: uuid.UUID) -> Template | Redirect:
    """Add an agency with its question (individuele sociale kaart)."""
    actor = require_staff(request)
    v = await form_values(request)
    errors: dict[str, str] = {}
    agency_id = contact_id = None
    try:
        agency_id = uuid.UUID(v.get("agency_id", ""))
    except ValueError:
        errors["agency_id"] = t("pages.error.choose_agency")
    if v.get("contact_user_id"):
        try:
            contact_id = uuid.UUID(v["contact_user_id"])
        except ValueError:
            errors["contact_user_id"] = t("error.user_not_found")
    if v.get("question_type") not in QUESTION_TYPES:
        errors["question_type"] = t("pages.error.question_type")
    if len(v.get("question", "")) > 2000:
        errors["question"] = t("pages.error.too_long", max=2000)
    if v.get("life_domain", "other") not in LIFE_DOMAINS:
        errors["life_domain"] = t("pages.error.domain")
    if not errors and agency_id is not None:
        try:
            await add_member(db, actor, workspace_id, s.MemberIn(
                agency_id=agency_id, contact_user_id=contact_id, question_type=v["question_type"],
                question=v.get("question") or None, life_domain=v.get("life_domain") or "other"))
            return saved_then(request, "member", f"/workspaces/{workspace_id}/diensten")
        except (Invalid, Conflict) as exc:
            await db.rollback()
            key = exc.extra.get("errors", [{}])[0].get("key", "agency_id") if exc.extra else "agency_id"
            errors[key.rsplit(".", 1)[-1]] = exc.detail
    return await services_with(db, request, workspace_id, status=422, form=v, errors=errors)


async def pivot_with(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                     status: int = 200, error: str | None = None) -> Template:
    """The pivot now and before, and the form to propose one."""
    top = await head(db, request, workspace_id)
    top["errors"] = [("p-user", error)] if error else []
    members = await members_of(db, workspace_id)
    return render(request, "workspace/pivot.html", status=status, section="pivot", **top,
                  pivots=await pivots_of(db, workspace_id), candidates=await _candidates(db, members),
                  pivot_error=error)


@get("/workspaces/{workspace_id:uuid}/spilfiguur", guards=[staff])
async def pivot_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Who the spilfiguur is, and who it was."""
    return await pivot_with(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/spilfiguur", guards=[staff])
async def pivot_submit(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template | Redirect:
    """Change the pivot; the history keeps the previous one."""
    actor = require_staff(request)
    v = await form_values(request)
    try:
        user_id = uuid.UUID(v.get("user_id", ""))
        witness = uuid.UUID(v["witness_user_id"]) if v.get("witness_user_id") else None
        # Staff propose; only with a witness does a choice made at the counter count as the job seeker's.
        await set_pivot(db, actor, workspace_id, s.PivotIn(user_id=user_id, chosen_by_jobseeker=witness is not None,
                                                           witness_user_id=witness))
    except ValueError:
        return await pivot_with(db, request, workspace_id, 422, t("pages.error.choose_person"))
    except Invalid as exc:
        await db.rollback()
        return await pivot_with(db, request, workspace_id, 422, exc.detail)
    return saved_then(request, "pivot", f"/workspaces/{workspace_id}/spilfiguur")


@get("/workspaces/{workspace_id:uuid}/toestemming", guards=[staff])
async def consent_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Which service may do what, per life domain (who granted it is on the job seeker's own pages)."""
    top = await head(db, request, workspace_id)
    grid: dict[tuple[Any, str], set[str]] = {}
    for agency_id, purposes in (await consent_grid(db, workspace_id)).items():
        for purpose, domains in purposes.items():
            for domain in domains:
                grid.setdefault((agency_id, domain), set()).add(purpose)
    members = await members_of(db, workspace_id)
    # The same facts per agency, for small screens: the domains each purpose covers.
    per_agency = [(m, {p: [d for d in LIFE_DOMAINS if p in grid.get((m.agency_id, d), set())] for p in PURPOSES})
                  for m, _ in members]
    return render(request, "workspace/consent.html", section="consent", **top, members=members, grid=grid,
                  per_agency=per_agency, domains=LIFE_DOMAINS, purposes=PURPOSES)


@get("/workspaces/{workspace_id:uuid}/afspraken", guards=[staff])
async def agreements_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Agreements per life domain, only in the domains this agency may read (the consent policy, logged)."""
    actor = require_staff(request)
    top = await head(db, request, workspace_id)
    agreements = await list_workspace_agreements(db, actor, workspace_id)
    readable = await readable_domains(db, actor, workspace_id)
    by_domain = [(d, [a for a in agreements if a.life_domain == d]) for d in LIFE_DOMAINS]
    return render(request, "workspace/agreements.html", section="agreements", **top,
                  by_domain=[(d, rows) for d, rows in by_domain if rows],
                  hidden=[d for d in LIFE_DOMAINS if d not in readable],
                  hidden_counts=await hidden_own_counts(db, actor, workspace_id))


async def meetings_with(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                        status: int = 200, form: dict[str, Any] | None = None,
                        errors: dict[str, str] | None = None) -> Template:
    """The round tables of this workspace and the form to request one."""
    actor = require_staff(request)
    top = await head(db, request, workspace_id)
    top["errors"] = list((errors or {}).items())
    return render(request, "workspace/meetings.html", status=status, section="meetings", **top,
                  meetings=await list_meetings(db, actor, workspace_id), meeting_form=form or {},
                  meeting_errors=dict(errors or {}))


@get("/workspaces/{workspace_id:uuid}/overleg", guards=[staff])
async def meetings_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Round tables: the list and the request form."""
    return await meetings_with(db, request, workspace_id)


@get("/workspaces/{workspace_id:uuid}/documenten", guards=[staff])
async def documents_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Reports of finished round tables and the instruments (traject, vignet, scoretabel, ...)."""
    actor = require_staff(request)
    top = await head(db, request, workspace_id)
    finished = [m for m in await list_meetings(db, actor, workspace_id) if m.status == "finalized"]
    return render(request, "workspace/documents.html", section="documents", **top, finished=finished)


SECTION_PAGES = [services_page, add_member_submit, pivot_page, pivot_submit, consent_page, agreements_page,
                 meetings_page, documents_page]
