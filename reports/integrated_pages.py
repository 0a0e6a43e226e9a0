"""The counsellor's page for het geïntegreerd werk-welzijnsverslag: write it (prefilled), edit it, follow its PDF."""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import ConsentMissing, readable_domains, today
from w2.instruments import integrated
from w2.instruments.schemas import IntegratedReportEdit, IntegratedReportIn
from w2.platform.auth import staff
from w2.platform.errors import Conflict, Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.models import Jobseeker
from w2.platform.page_kit import form_fields, page_language, page_router, render, require_staff
from w2.platform.workspaces import get_workspace
from w2.reports import integrated_service as svc
from w2.reports.integrated_controllers import report_out, score_lines

MAX_TEXT = 10000
MONTH_FIELD = re.compile(r"^\d{4}-\d{2}$")


def _error_text(exc: Exception, lang: str) -> str:
    if isinstance(exc, ConsentMissing):
        return t("error.consent_missing", lang, agency=exc.agency_name, purpose=t(f"purpose.{exc.purpose}", lang),
                 domain=t(f"domain.{exc.life_domain}", lang))
    return getattr(exc, "detail", str(exc))


async def _page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                report_id: uuid.UUID | None = None, status: int = 200, error: str | None = None,
                form: dict[str, str] | None = None) -> Template:
    """The list of reports with the state of their PDFs, and the form (new and prefilled, or the chosen one)."""
    actor = require_staff(request)
    ws = await get_workspace(db, actor, workspace_id)
    js = await db.get(Jobseeker, ws.jobseeker_id)
    reports = await integrated.list_reports(db, actor, ws.id)
    states = {r.id: await svc.statuses(db, actor, r) for r in reports}
    allowed = await readable_domains(db, actor, ws.id) | {integrated.IDENTITY}
    current = None
    if report_id is not None:
        current = await report_out(db, actor, report_id)
        if current.workspace_id != ws.id:
            raise Forbidden(t("error.forbidden"))
    if form is None:
        if current is not None:
            form = {s.key: s.text or "" for s in current.sections}
            form["evaluation_month"] = current.evaluation_month
        else:
            form = await integrated.prefill(db, actor, ws.id, await score_lines(db, actor, ws.id))
            form["evaluation_month"] = today().strftime("%Y-%m")
    return render(request, "integrated/staff.html", status=status, ws=ws, js=js, reports=reports, states=states,
                  current=current, sections=integrated.SECTIONS, allowed=allowed, error=error, form=form,
                  saved=request.query_params.get("bewaard") == "1")


def _sections(v: dict[str, str], allowed: set[str]) -> dict[str, str]:
    out = {}
    for s in integrated.SECTIONS:
        text = v.get(s.key, "")
        if s.life_domain not in allowed or not text:
            continue
        if len(text) > MAX_TEXT:
            raise Invalid(s.key, t("pages.error.too_long", max=MAX_TEXT))
        out[s.key] = text
    return out


def _month(v: dict[str, str]) -> str:
    month = v.get("evaluation_month", "")
    if not MONTH_FIELD.match(month):
        raise Invalid("evaluation_month", t("instruments.error.month"))
    return month


@get("/workspaces/{workspace_id:uuid}/werk-welzijnsverslag", guards=[staff])
async def integrated_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The reports of this workspace and a new one, prefilled from what w2 holds."""
    return await _page(db, request, workspace_id)


@get("/workspaces/{workspace_id:uuid}/werk-welzijnsverslag/{report_id:uuid}", guards=[staff])
async def integrated_edit_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID,
                               report_id: uuid.UUID) -> Template:
    """One report, to read and change."""
    return await _page(db, request, workspace_id, report_id)


@post("/workspaces/{workspace_id:uuid}/werk-welzijnsverslag", guards=[staff])
async def integrated_create(request: Request[Any, Any, Any], db: AsyncSession,
                            workspace_id: uuid.UUID) -> Template | Redirect:
    """Store the report as written; workers make the PDFs."""
    actor = require_staff(request)
    v = await form_fields(request)
    try:
        allowed = await readable_domains(db, actor, workspace_id) | {integrated.IDENTITY}
        data = IntegratedReportIn(evaluation_month=_month(v), sections=_sections(v, allowed))
        report = await integrated.create_report(db, actor, workspace_id, data, fill_missing=False)
        await svc.plan(db, report)
    except (Invalid, ConsentMissing, Forbidden) as exc:
        await db.rollback()
        return await _page(db, request, workspace_id, None, 422 if isinstance(exc, Invalid) else 409,
                           _error_text(exc, page_language(request)), v)
    return Redirect(f"/workspaces/{workspace_id}/werk-welzijnsverslag/{report.id}?bewaard=1")


@post("/workspaces/{workspace_id:uuid}/werk-welzijnsverslag/{report_id:uuid}", guards=[staff])
async def integrated_edit(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID,
                          report_id: uuid.UUID) -> Template | Redirect:
    """Store the changes as a new version; the PDFs are made again."""
    actor = require_staff(request)
    v = await form_fields(request)
    try:
        current = await report_out(db, actor, report_id)
        if current.workspace_id != workspace_id:
            raise Forbidden(t("error.forbidden"))
        emptied = [s for s in current.sections if s.text and not s.withheld and not v.get(s.key)]
        if emptied:
            raise Invalid(emptied[0].key, t("integrated.page.error.emptied", title=emptied[0].title))
        allowed = {s.life_domain for s in current.sections if not s.withheld}
        report = await integrated.update_report(db, actor, report_id, IntegratedReportEdit(
            evaluation_month=_month(v), sections=_sections(v, allowed)))
        await svc.plan(db, report)
    except (Invalid, ConsentMissing, Forbidden, Conflict) as exc:
        await db.rollback()
        return await _page(db, request, workspace_id, report_id, 422 if isinstance(exc, Invalid) else 409,
                           _error_text(exc, page_language(request)), v)
    return Redirect(f"/workspaces/{workspace_id}/werk-welzijnsverslag/{report.id}?bewaard=1")


INTEGRATED_PAGES = page_router("/", [integrated_view, integrated_edit_view, integrated_create, integrated_edit])
