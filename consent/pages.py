"""The job seeker's own pages (portal): one-time link sign-in, who is involved, consent switches, log, export."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent import portal_service as svc
from w2.consent.assisted import end_assisted
from w2.consent.citizen_signin import CITIZEN_SIGNIN_PAGES
from w2.consent.domains import LIFE_DOMAINS
from w2.consent.log_summary import plural, summarise
from w2.consent.portal_export import day, export_all, render_pdf
from w2.platform import throttle
from w2.platform.auth import get_actor, public, session_expired, signed_in
from w2.platform.i18n import t
from w2.platform.identity.signin import start_portal_session
from w2.platform.models import Agency, Jobseeker, Workspace
from w2.platform.page_kit import LANGUAGES, page_language, render, require_jobseeker, safe_next
from w2.platform.portal_auth import find_portal_link, redeem_portal_link
from w2.platform.portal_invitations import parse_address, request_own_link
from w2.platform.portal_kit import local_tz, own_workspace, portal_router, take_flash
from w2.platform.sessions import start_session


class SwitchForm(msgspec.Struct):
    """One yes/no switch: an agency and a life domain."""

    agency_id: str = ""
    life_domain: str = ""
    value: str = ""


class WithdrawForm(msgspec.Struct):
    """Withdraw one whole consent (round table or report)."""

    consent_id: str = ""


class NewLinkForm(msgspec.Struct):
    """A job seeker's own phone number or e-mail address, to get a new link on."""

    address: str = ""


class LanguageForm(msgspec.Struct):
    """The language chooser."""

    language: str = "nl"
    back: str = "/portal"


@get("/in/{token:str}", guards=[public])
async def link_page(request: Request[Any, Any, Any], db: AsyncSession, token: str) -> Template:
    """Landing page of a one-time link; the link is used only by the button (mail scanners only GET)."""
    link = await find_portal_link(db, token)
    if link is None:
        return render(request, "portal/link_bad.html", status=404)
    js = await _jobseeker_of(db, link.workspace_id)
    return render(request, "portal/link.html", token=token, lang=_lang_or(request, js))


@post("/in/{token:str}", guards=[public])
async def link_use(request: Request[Any, Any, Any], db: AsyncSession, token: str) -> Template | Redirect:
    """Use the link: start a portal session for this workspace's job seeker."""
    workspace_id = await redeem_portal_link(db, token)
    if workspace_id is None:
        return render(request, "portal/link_bad.html", status=404)
    js = await _jobseeker_of(db, workspace_id)
    start_portal_session(request, workspace_id, js.given_name if js else "", _lang_or(request, js), "link")
    return Redirect("/portal")


# Asking for new links: per device and per typed address, the same limit whether the address is known or not.
NEW_LINK_LIMIT_DEVICE = 20
NEW_LINK_LIMIT_ADDRESS = 5
NEW_LINK_WINDOW = 3600


@post("/nieuwe-link", guards=[public])
async def new_link_request(
    request: Request[Any, Any, Any], db: AsyncSession,
    data: Annotated[NewLinkForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template:
    """Send a new link to the registered phone or mail; the answer never says whether it was known."""
    lang = page_language(request)
    parsed = parse_address(data.address)
    if parsed is None:
        return render(request, "portal/new_link.html", status=422, newlink_value=data.address[:320],
                      newlink_error=t("portal.newlink.invalid", lang))
    store = request.app.stores.get("signin")
    host = request.client.host if request.client else "-"
    keys = [f"newlink|host|{host}", f"newlink|to|{parsed[0]}|{parsed[1]}"]
    # Counted first and atomically (INCR), so parallel requests cannot slip past the limits.
    counts = [await throttle.take(store, k, NEW_LINK_WINDOW) for k in keys]
    if counts[0] > NEW_LINK_LIMIT_DEVICE or counts[1] > NEW_LINK_LIMIT_ADDRESS:
        return render(request, "portal/new_link.html", status=429, newlink_value=data.address[:320],
                      newlink_error=t("portal.newlink.too_many", lang))
    await request_own_link(db, *parsed)
    return render(request, "portal/new_link.html", requested=True)


@get("/uit", guards=[public])
async def signed_out(request: Request[Any, Any, Any]) -> Template:
    """Signed out, or the session ran out."""
    expired = session_expired(request) or request.query_params.get("verlopen") == "1"
    return render(request, "portal/signed_out.html", expired=expired)


@post("/afmelden", guards=[public])
async def sign_out(request: Request[Any, Any, Any], db: AsyncSession) -> Redirect:
    """End the portal session (an assisted session ends back in the professional's own session)."""
    actor = get_actor(request)
    if actor is not None and actor.is_assisted:
        return await end_assisted(request, db, actor)
    lang = page_language(request)
    start_session(request, {"language": lang})
    return Redirect("/portal/uit")


@post("/taal", guards=[public])
async def choose_language(
    request: Request[Any, Any, Any], data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)]
) -> Redirect:
    """Switch the portal language (kept in the session)."""
    session = request.scope.get("session")
    if data.language in LANGUAGES:
        if isinstance(session, dict) and session:
            session["language"] = data.language
        else:
            request.set_session({"language": data.language})
    return Redirect(safe_next(data.back, "/portal"))


@get("/", guards=[signed_in])
async def portal_home(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Start page: five big choices."""
    actor = require_jobseeker(request)
    _, js = await own_workspace(db, actor)
    return render(request, "portal/home.html", jobseeker=js)


@get("/betrokken", guards=[signed_in])
async def involved_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Who is involved and why."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    pivot, confidants = await svc.pivot_and_confidants(db, ws.id)
    return render(request, "portal/involved.html", members=await svc.involved(db, ws.id), pivot=pivot,
                  confidants=confidants)


@get("/toestemming", guards=[signed_in])
async def consent_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """One sentence and one yes/no switch per agency and life domain."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    session = request.scope.get("session")
    said = session.pop("said", None) if isinstance(session, dict) else None
    return render(request, "portal/consent.html", members=await svc.involved(db, ws.id), domains=LIFE_DOMAINS,
                  flash=take_flash(request), open_agency=request.query_params.get("dienst"),
                  others=await svc.other_consents(db, ws.id), said=said if isinstance(said, dict) else {})


def _say(request: Request[Any, Any, Any], text: str, at: str, undo: str | None = None) -> None:
    """A confirmation shown next to the control that was used (and an undo, where there is one)."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["said"] = {"text": text, "at": at, **({"undo": undo} if undo else {})}


async def _on_own_consent(request: Request[Any, Any, Any], db: AsyncSession, raw_id: str, action: Any,
                          said: str, undoable: bool) -> Redirect:
    """Withdraw or restore one of the job seeker's own consents, then say so next to the control used."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    try:
        consent_id = uuid.UUID(raw_id)
    except ValueError:
        return Redirect("/portal/toestemming")
    consent = await action(db, actor, ws.id, consent_id)
    agency = await db.get(Agency, consent.agency_id)
    # A withdrawal is confirmed at the undo box; a restore at the consent it brought back.
    at = "ongedaan" if undoable else f"c-{consent.id}"
    _say(request, t(f"{said}.{consent.purpose}", page_language(request), agency=agency.name if agency else ""),
         at, undo=str(consent.id) if undoable else None)
    return Redirect(f"/portal/toestemming#{at}")


@post("/toestemming/intrekken", guards=[signed_in])
async def consent_withdraw(
    request: Request[Any, Any, Any], db: AsyncSession,
    data: Annotated[WithdrawForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect:
    """One press withdraws a consent for the overleg or the report."""
    return await _on_own_consent(request, db, data.consent_id, svc.withdraw, "portal.other.done", undoable=True)


@post("/toestemming/terug", guards=[signed_in])
async def consent_restore(
    request: Request[Any, Any, Any], db: AsyncSession,
    data: Annotated[WithdrawForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect:
    """Undo 'Stop hiermee': the same consent again, as a new row given on the portal."""
    return await _on_own_consent(request, db, data.consent_id, svc.restore, "portal.other.back", undoable=False)


@post("/toestemming", guards=[signed_in])
async def consent_switch(
    request: Request[Any, Any, Any], db: AsyncSession,
    data: Annotated[SwitchForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect:
    """Flip one switch; withdrawing is one press, like granting, and counts from the next request."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    try:
        agency_id = uuid.UUID(data.agency_id)
    except ValueError:
        return Redirect("/portal/toestemming")
    on = data.value == "yes"
    await svc.set_sharing(db, actor, ws.id, agency_id, data.life_domain, on)
    agency = await db.get(Agency, agency_id)
    lang = page_language(request)
    what = t(f"portal.what.{data.life_domain}", lang)
    _say(request, t("portal.consent.done_on" if on else "portal.consent.done_off", lang,
                    agency=agency.name if agency else "", what=what), f"{agency_id}-{data.life_domain}")
    return Redirect(f"/portal/toestemming?dienst={agency_id}#{agency_id}-{data.life_domain}")


@get("/bekeken", guards=[signed_in])
async def log_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Who looked at my data: the access log in plain words."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    tz = local_tz()
    entries = await svc.who_looked(db, ws.id, limit=5000)
    lang = page_language(request)
    return render(request, "portal/log.html", days=summarise(entries, tz, t("portal.log.unknown_service", lang)),
                  tz=tz, plural=plural,
                  domain_names=lambda ds: ", ".join(t(f"portal.domain.{d}", lang).lower() for d in ds))


@get("/gegevens", guards=[signed_in])
async def data_page(request: Request[Any, Any, Any]) -> Template:
    """Download everything about me."""
    require_jobseeker(request)
    return render(request, "portal/data.html")


@get("/gegevens.json", guards=[signed_in])
async def data_json(request: Request[Any, Any, Any], db: AsyncSession) -> Response[bytes]:
    """Everything about me, for a computer."""
    actor = dataclasses.replace(require_jobseeker(request), language=page_language(request))
    data = await export_all(db, actor, request.app.state.get("export_parts", ()))
    data.pop("_readable", None)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-w2.json"'})


@get("/gegevens.pdf", guards=[signed_in])
async def data_pdf(request: Request[Any, Any, Any], db: AsyncSession) -> Response[bytes]:
    """Everything about me, to read."""
    lang = page_language(request)
    # The readable lines are written in the language of the page the download started from.
    actor = dataclasses.replace(require_jobseeker(request), language=lang)
    data = await export_all(db, actor, request.app.state.get("export_parts", ()))
    engine = request.app.template_engine
    assert engine is not None  # the app always has one (platform/boot/app.py)
    html = engine.get_template("portal/export_pdf.html").render(
        data=data, lang=lang, _=lambda k, **p: t(k, lang, **p), today=day(date.today(), lang))
    pdf = await asyncio.to_thread(render_pdf, html)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-w2.pdf"'})


async def _jobseeker_of(db: AsyncSession, workspace_id: uuid.UUID) -> Jobseeker | None:
    ws = await db.get(Workspace, workspace_id)
    return await db.get(Jobseeker, ws.jobseeker_id) if ws else None


def _lang_or(request: Request[Any, Any, Any], js: Jobseeker | None) -> str:
    session = request.scope.get("session")
    if isinstance(session, dict) and session.get("language") in LANGUAGES:
        return str(session["language"])
    return js.preferred_language if js and js.preferred_language in LANGUAGES else "nl"


PORTAL_ROUTER = portal_router([
    *CITIZEN_SIGNIN_PAGES,
    link_page, link_use, new_link_request, signed_out, sign_out, choose_language, portal_home, involved_page,
    consent_page, consent_switch, consent_withdraw, consent_restore, log_page, data_page, data_json, data_pdf,
])
