"""Done-when of issue 12: no staff route, in any role, yields anything that signs in as the job seeker.

The walk calls every route of the app (pages and API) as a coordinator, a partner, an agency admin and
a platform admin, with every method, and searches each body and header, then the outbox rows, the
invitations, the access log, the in-app inbox, the Celery messages in Redis and the log records, for
the token of any portal link that was ever minted. A positive control proves the search finds a token
where one legitimately is: in the job seeker's own mailbox and SMS.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import new_workspace
from tests.pages.cases import grant
from tests.portal.helpers import (
    PASSWORD,
    csrf,
    deliver_pending,
    fresh_client,
    link_in,
    signs_in_as_jobseeker,
    staff_sign_in,
    tokens_in,
)
from tests.routes import body_text, fill, walkable_routes

# Signing out would end the walk's own session; signing in is the walk's own doing.
SKIP = {("POST", "/logout"), ("POST", "/login"), ("POST", "/portal/afmelden"), ("POST", "/login/sso")}


async def all_hashes(sessionmaker: Any) -> set[str]:
    """Hashes of every portal link ever minted (used, voided or not): none may ever leak."""
    from w2.platform.portal_auth import PortalLink

    async with sessionmaker() as s:
        return set(await s.scalars(select(PortalLink.token_hash)))


async def _arrange(client: Any, factory: Any, sessionmaker: Any) -> dict[str, Any]:
    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=PASSWORD)
    partner = await factory.person(kind="vdab", roles=("worker",), password=PASSWORD)
    admin = await factory.person(agency_id=coord.agency_id, roles=("agency_admin",), password=PASSWORD)
    platform = await factory.person(agency_id=coord.agency_id, roles=("platform_admin",), password=PASSWORD)
    email = f"mira-{uuid.uuid4().hex[:8]}@example.be"
    ws = await new_workspace(client, coord, given_name="Mira", email=email, phone="+32 470 55 66 12",
                             national_number="85073003328")
    wid = ws["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "contact_user_id": str(partner.user_id),
                                "question_type": "doorverwijzing"})
    assert r.status_code == 201, r.text
    await grant(sessionmaker, uuid.UUID(wid), partner.agency_id, ["finances", "housing"])
    await grant(sessionmaker, uuid.UUID(wid), coord.agency_id, ["finances", "housing"])
    r = await client.post(f"/api/v1/workspaces/{wid}/agreements", headers=coord.headers,
                          json={"life_domain": "finances", "description": "Budget bekijken",
                                "owner": {"kind": "agency", "agency_id": str(partner.agency_id)}})
    assert r.status_code == 201, r.text
    agreement_id = r.json()["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/meetings", headers=coord.headers,
                          json={"reason": "Hulp afstemmen", "goal": "Afspraken maken",
                                "requested_by": {"kind": "professional", "user_id": str(coord.user_id)}})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=coord.headers, json={"kind": "jobseeker"})
    assert r.status_code == 201, r.text
    invitee_id = r.json()["id"]
    consents = (await client.get(f"/api/v1/workspaces/{wid}/consents", headers=coord.headers)).json()["items"]
    params = {"workspace_id": wid, "meeting_id": mid, "invitee_id": invitee_id, "agreement_id": agreement_id,
              "consent_id": consents[0]["id"], "user_id": str(coord.user_id), "life_domain": "finances",
              "file_path": "w2.css"}
    return {"roles": {"coordinator": coord, "partner": partner, "agency_admin": admin,
                      "platform_admin": platform}, "wid": wid, "email": email, "params": params}


def _redis_messages(settings_env: dict[str, str]) -> str:
    """Every Celery message waiting in this run's queue (and unacked), bodies decoded."""
    import redis

    from tests.conftest import REDIS_URL

    r = redis.Redis.from_url(REDIS_URL)
    texts = []
    raw = list(r.lrange(settings_env["W2_QUEUE"], 0, -1)) + list(r.hvals("unacked"))
    for item in raw:
        texts.append(item.decode("utf-8", "replace"))
        try:
            msg = json.loads(item)
            msg = msg[0] if isinstance(msg, list) else msg
            texts.append(base64.b64decode(msg.get("body", "")).decode("utf-8", "replace"))
        except (ValueError, AttributeError, TypeError):
            pass
    return "\n".join(texts)


async def _stored_rows(sessionmaker: Any) -> str:
    """Outbox, invitations, access log and in-app inbox, every column, as text."""
    from w2.consent.models import AccessLogEntry
    from w2.notifications.models import InboxItem
    from w2.platform.outbox import OutboxMessage
    from w2.platform.portal_auth import PortalInvitation, PortalLink

    out = []
    async with sessionmaker() as s:
        for model in (OutboxMessage, PortalInvitation, AccessLogEntry, InboxItem, PortalLink):
            for row in await s.scalars(select(model)):
                out.append(repr({c.key: getattr(row, c.key) for c in model.__table__.columns}))
    return "\n".join(out)


@pytest.mark.filterwarnings("ignore")
async def test_no_staff_route_yields_a_usable_portal_token(app, client, factory, sessionmaker, mailbox,
                                                           settings_env, caplog):
    caplog.set_level(logging.DEBUG)
    case = await _arrange(client, factory, sessionmaker)
    wid, coord = case["wid"], case["roles"]["coordinator"]
    # The job seeker has a live link, sent the only way staff can: to their own mailbox.
    r = await client.post(f"/api/v1/workspaces/{wid}/portal-invitations", json={"channel": "email"},
                          headers=coord.headers)
    assert r.status_code == 202, r.text
    assert "sent" in await deliver_pending(sessionmaker, uuid.UUID(wid))
    own_mail = (await mailbox.wait_for(1, address=case["email"]))[-1]
    leaks: list[str] = []
    seen: list[str] = []
    walked = 0

    async def inspect(label: str, text: str) -> None:
        hashes = await all_hashes(sessionmaker)
        for tok in tokens_in(text, hashes):
            leaks.append(f"{label}: {tok[:6]}...")
        for tok in re.findall(r"/portal/in/([A-Za-z0-9_-]+)", text):
            if tok != "x" and await signs_in_as_jobseeker(client, tok):
                leaks.append(f"{label}: /portal/in/{tok[:6]}... signs in")

    routes = walkable_routes(app, SKIP)
    for role, person in case["roles"].items():
        async with fresh_client(client) as c:
            await staff_sign_in(c, person.email)
            for method, path in routes:
                url = fill(path, case["params"])
                api = path.startswith("/api/")
                headers = person.headers if api else {}
                kwargs: dict[str, Any] = {}
                if method != "GET":
                    if api:
                        kwargs["json"] = {"channel": "sms"} if path.endswith("portal-invitations") else {}
                    else:
                        # The form token is the CSRF cookie's value (what a page would render into its form).
                        body = {"_csrf_token": c.cookies.get("csrftoken") or ""}
                        if path.endswith("/aanmeldlink"):
                            body["channel"] = "email"
                        kwargs["data"] = body
                resp = await c.request(method, url, headers=headers, follow_redirects=False, **kwargs)
                walked += 1
                seen.append(f"{role} {method} {path} {resp.status_code}")
                await inspect(f"{role} {method} {path}",
                              body_text(resp.content, resp.headers.get("content-type", "")) + repr(resp.headers.multi_items()))
            # Whatever those calls queued is now delivered, the way a worker would.
            await deliver_pending(sessionmaker, uuid.UUID(wid))
            # An assisted session is staff-reachable too: walk every page in it, then end it.
            page = await c.get(f"/workspaces/{wid}")
            if role in ("coordinator", "partner"):
                r = await c.post(f"/workspaces/{wid}/samen", data={"_csrf_token": csrf(page.text), "present": "1"},
                                 follow_redirects=False)
                assert r.status_code in (302, 303), (role, r.status_code)
                for method, path in routes:
                    if method == "GET" and not path.startswith(("/api/", "/static/")):
                        resp = await c.get(fill(path, case["params"]), follow_redirects=False)
                        walked += 1
                        seen.append(f"{role}+assisted GET {path} {resp.status_code}")
                        await inspect(f"{role}+assisted GET {path}",
                                      body_text(resp.content, resp.headers.get("content-type", ""))
                                      + repr(resp.headers.multi_items()))
                home = await c.get("/portal")
                r = await c.post("/portal/samen/stop", data={"_csrf_token": csrf(home.text)}, follow_redirects=False)
                assert r.status_code in (302, 303)
    # The pages showed the invitation being sent (so the walk really pressed the button).
    assert any("POST /workspaces/{workspace_id:uuid}/aanmeldlink 200" in s for s in seen), seen
    assert any("POST /api/v1/workspaces/{workspace_id:uuid}/portal-invitations 202" in s for s in seen), seen
    assert walked >= 4 * 80
    assert "coordinator GET /workspaces/{workspace_id:uuid} 200" in seen  # the walk was signed in
    assert "partner GET /afspraken 200" in seen and "platform_admin GET /api/v1/me 200" in seen
    assert "coordinator+assisted GET /portal/gegevens.json 200" in seen
    await inspect("stored rows", await _stored_rows(sessionmaker))
    await inspect("celery messages", _redis_messages(settings_env))
    # aiosmtpd ("mail.log") is the job seeker's own mail server here and httpx the test's own browser.
    await inspect("log records", "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records
                                         if not r.name.startswith(("mail.log", "httpx"))))
    assert not leaks, leaks

    # Positive control: the search finds the token where it belongs (the job seeker's own mail and SMS),
    # so an empty result above means something.
    hashes = await all_hashes(sessionmaker)
    own = tokens_in(own_mail.get_body(("plain",)).get_content(), hashes)
    assert own == [link_in(own_mail.get_body(("plain",)).get_content())]
    latest = (await mailbox.wait_for(2, address=case["email"]))[-1]
    assert await signs_in_as_jobseeker(client, link_in(latest.get_body(("plain",)).get_content()))
