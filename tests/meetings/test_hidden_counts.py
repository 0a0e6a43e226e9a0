"""After a consent withdrawal an agency sees how many of its own agreements are hidden, never what they say."""

from __future__ import annotations

import re

from sqlalchemy import text

from tests.meetings.support import grant, make_case, revoke

PASSWORD = "partner-wachtwoord-10"
SECRET = ("Geheime taak Alfa", "Geheime taak Bravo", "Taak van de jeugdhulp")


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


async def _sign_in(client, email):
    client.cookies.clear()
    page = await client.get("/login")
    r = await client.post("/login", data={"email": email, "password": PASSWORD, "_csrf_token": _csrf(page.text)},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text


async def _agreement(client, case, owner, description):
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=case.coord.headers, json={
        "life_domain": "work_training", "description": description,
        "owner": {"kind": "agency", "agency_id": str(owner.agency_id)}})
    assert r.status_code == 201, r.text


async def test_hidden_own_agreements_are_counted_per_domain_without_content(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=(), consent=())
    vdab = await factory.person(kind="vdab", roles=("worker",), password=PASSWORD)
    jrb = await factory.person(kind="other", roles=("worker",), password=PASSWORD)
    for who in (vdab, jrb):
        r = await client.post(f"/api/v1/workspaces/{case.wid}/members", headers=case.coord.headers,
                              json={"agency_id": str(who.agency_id), "question_type": "afstemming"})
        assert r.status_code == 201, r.text
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["work_training"])
    vdab_consent = await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing",
                               ["work_training", "finances"])
    jrb_consent = await grant(sessionmaker, case.wid, jrb.agency_id, "information_sharing", ["work_training"])
    await _agreement(client, case, vdab, SECRET[0])
    await _agreement(client, case, vdab, SECRET[1])
    await _agreement(client, case, jrb, SECRET[2])
    wid = case.wid

    async def pages(who):
        await _sign_in(client, who.email)
        out = [(await client.get("/afspraken")).text, (await client.get(f"/workspaces/{wid}/afspraken")).text]
        client.cookies.clear()
        return out

    for html in await pages(vdab):
        assert SECRET[0] in html and "verborgen omdat" not in html
    # The job seeker withdraws VDAB's and the youth service's consent (work and training included).
    await revoke(sessionmaker, vdab_consent)
    await grant(sessionmaker, wid, vdab.agency_id, "information_sharing", ["finances"])
    await revoke(sessionmaker, jrb_consent)
    for html in await pages(vdab):
        assert "2 afspraken zijn verborgen omdat de werkzoekende niet langer deelt over arbeid en/of opleiding" in html
        assert not any(s in html for s in SECRET)
    # the youth service counts only its own agreement, not VDAB's
    for html in await pages(jrb):
        assert "1 afspraak is verborgen omdat de werkzoekende niet langer deelt over arbeid en/of opleiding" in html
        assert "2 afspraken" not in html and not any(s in html for s in SECRET)
    # the coordinator still reads the domain: nothing is hidden from it, and it owns none of them
    coord_consent_html = (await client.get(f"/api/v1/workspaces/{wid}/agreements",
                                           headers=case.coord.headers)).json()
    assert len(coord_consent_html["items"]) == 3
    # Consent given again: the agreements are back and the count is gone.
    await grant(sessionmaker, wid, vdab.agency_id, "information_sharing", ["work_training"])
    for html in await pages(vdab):
        assert SECRET[0] in html and SECRET[1] in html and "verborgen omdat" not in html


async def test_the_count_function_returns_only_domains_and_numbers(client, factory, sessionmaker, settings_env):
    """Called as the app role under a sealed scope: two columns, no ids, nothing for other scopes."""
    from w2.platform.db.engine import make_engine
    from w2.platform.db.scope import ENTER_SQL, enter_params, fetch_key

    case = await make_case(client, factory, sessionmaker, members=("vdab",), consent=())
    vdab = case.members["vdab"]
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["work_training"])
    c = await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["work_training"])
    await _agreement(client, case, vdab, SECRET[0])
    await revoke(sessionmaker, c)
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    try:
        async def call(scope):
            async with engine.connect() as conn, conn.begin():
                if scope is not None:
                    await conn.execute(text(ENTER_SQL), enter_params(await fetch_key(engine.url), scope))
                r = await conn.execute(text("SELECT * FROM w2_hidden_own_agreements(NULL)"))
                cols, rows = list(r.keys()), [tuple(x) for x in r]
                # the caller's own scope is back afterwards
                kind = await conn.scalar(text("SELECT w2_actor_kind()"))
                return cols, rows, kind

        staff = {"actor_kind": "staff", "agency_id": str(vdab.agency_id), "platform_admin": "0"}
        assert await call(staff) == (["life_domain", "hidden"], [("work_training", 1)], "staff")
        other = {"actor_kind": "staff", "agency_id": str(case.coord.agency_id), "platform_admin": "0"}
        assert (await call(other))[1] == []
        admin = {"actor_kind": "staff", "agency_id": str(vdab.agency_id), "platform_admin": "1"}
        assert (await call(admin))[1] == []
        assert (await call(None))[1:] == ([], None)  # no sealed scope: nothing
    finally:
        await engine.dispose()
