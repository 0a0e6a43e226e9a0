"""The inner themes (binnenkant) have their own consent category: consent for `other` does not show them."""

from __future__ import annotations

import re

from tests.factories import new_workspace
from tests.reports.helpers import add_member, grant
from tests.reports.pdfutil import pdf_text

PASSWORD = "binnenkant-wachtwoord-18"
SHEET = {"filled_by": "counsellor", "taken_on": "2026-03-01", "items": [
    {"theme": "self_confidence", "start": 2, "now": 6, "future": 8},
    {"theme": "feeling_valued", "start": 3, "now": 5, "future": 7},
    {"theme": "control_over_life", "start": 1, "now": 4, "future": 6},
    {"theme": "free", "label": "Rijbewijs halen", "start": 0, "now": 3, "future": 9},
    {"theme": "training", "start": 2, "now": 5, "future": 6},
]}
INNER_WORDS = ("zelfvertrouwen", "gewaardeerd")


async def _sign_in(client, person) -> None:
    client.cookies.clear()
    login = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    r = await client.post("/login", data={"email": person.email, "password": PASSWORD, "_csrf_token": token},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text


async def _case(client, factory, sessionmaker):
    coord = await factory.person(kind="vdab", password=PASSWORD)
    ws = await new_workspace(client, coord)
    await grant(sessionmaker, ws["id"], coord.agency_id, ["work_training", "inner", "other"])
    caw = await factory.person(kind="caw", roles=("worker",), password=PASSWORD)
    await add_member(client, coord, ws["id"], caw)
    await grant(sessionmaker, ws["id"], caw.agency_id, ["work_training", "other"])  # everything but `inner`
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/scores", json=SHEET, headers=coord.headers)
    assert r.status_code == 201, r.text
    assert {i["theme"]: i["life_domain"] for i in r.json()["items"]}["self_confidence"] == "inner"
    return coord, caw, ws


async def test_consent_for_other_does_not_show_the_inner_themes(client, factory, sessionmaker) -> None:
    coord, caw, ws = await _case(client, factory, sessionmaker)
    api = f"/api/v1/workspaces/{ws['id']}"
    mine = (await client.get(f"{api}/scores", headers=coord.headers)).json()["items"]
    assert {i["theme"] for i in mine} == {"self_confidence", "feeling_valued", "control_over_life", "free", "training"}
    theirs = (await client.get(f"{api}/scores", headers=caw.headers)).json()["items"]
    assert {i["theme"] for i in theirs} == {"free", "training"}  # `other` (the free theme) yes, `inner` no

    svg = (await client.get(f"{api}/scores/cirkels.svg?group=inside&filled_by=counsellor", headers=coord.headers)).text
    assert all(w in svg.lower() for w in INNER_WORDS)
    svg = (await client.get(f"{api}/scores/cirkels.svg?group=inside&filled_by=counsellor", headers=caw.headers)).text
    assert not any(w in svg.lower() for w in INNER_WORDS)
    full = pdf_text((await client.get(f"{api}/progress.pdf", headers=coord.headers)).content)
    assert all(w in full.lower() for w in INNER_WORDS)
    shared = pdf_text((await client.get(f"{api}/progress.pdf", headers=caw.headers)).content)
    assert "Rijbewijs halen" in shared and not any(w in shared.lower() for w in INNER_WORDS)
    assert "niet met uw dienst gedeeld" in shared

    try:
        await _sign_in(client, caw)
        page = await client.get(f"/workspaces/{ws['id']}/scoretabel")
        assert page.status_code == 200 and "Rijbewijs halen" in page.text
        shown = re.sub(r"<form.*?</form>", "", page.text, flags=re.S)  # the empty form lists every theme
        assert not any(w in shown.lower() for w in INNER_WORDS)
        await _sign_in(client, coord)
        page = await client.get(f"/workspaces/{ws['id']}/scoretabel")
        shown = re.sub(r"<form.*?</form>", "", page.text, flags=re.S)
        assert all(w in shown.lower() for w in INNER_WORDS)
    finally:
        client.cookies.clear()


async def test_writing_inner_themes_needs_consent_for_inner(client, factory, sessionmaker) -> None:
    coord, caw, ws = await _case(client, factory, sessionmaker)
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/scores", headers=caw.headers,
                          json={"filled_by": "counsellor", "items": [{"theme": "self_confidence", "now": 4}]})
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "inner"


def test_verslag_withholds_the_inner_section_from_an_agency_with_other_only() -> None:
    import msgspec

    from w2.reports.render import get_renderer
    from w2.reports.sample import worked_case
    from w2.reports.schemas import DomainSection

    case = worked_case()
    secret = "Mira voelt zich sterker sinds de cursus."
    case = msgspec.structs.replace(case, domains=[*case.domains, DomainSection(domain="inner", information=secret)])
    shared = pdf_text(get_renderer().report(case, allowed={"finances", "other"}, recipient="CAW Demostad"))
    heading = shared.index("Binnenkant: beleving en zelfbeeld")
    assert "niet gedeeld" in shared[heading:heading + 120] and secret not in shared
    assert "werk en gezin kan combineren" in shared  # `other` itself is shared
    full = pdf_text(get_renderer().report(case, allowed={"finances", "other", "inner"}, recipient="CAW Demostad"))
    assert secret in full
