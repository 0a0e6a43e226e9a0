"""The job seeker chooses their spilfiguur and keeps the people they trust, on a 360x640 phone."""

from __future__ import annotations

from sqlalchemy import select

from tests.pages.cases import make_case
from tests.pages.test_portal import sign_in


async def _confidants(sessionmaker, wid):
    from w2.platform.models import Confidant

    async with sessionmaker() as s:
        return [(c.name, c.relation, c.phone, c.removed_at is None) for c in await s.scalars(
            select(Confidant).where(Confidant.workspace_id == wid).order_by(Confidant.created_at))]


async def test_job_seeker_confirms_pivot_and_keeps_confidants(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    wid, coord, partner = case.workspace_id, case.coordinator, case.partner
    # Staff propose; the portal asks the job seeker to confirm.
    r = await client.put(f"/api/v1/workspaces/{wid}/pivot", headers=coord.headers,
                         json={"user_id": str(partner.user_id), "chosen_by_jobseeker": False})
    assert r.status_code == 200, r.text

    await sign_in(phone, sessionmaker, wid)
    p = phone.page
    await phone.submit(p.get_by_role("link", name="Je spilfiguur en wie je vertrouwt"))
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-people")
    assert f"stelt {partner.name} voor" in await p.inner_text("main")
    await phone.submit(p.get_by_role("button", name=f"Ja, {partner.name} is goed"))
    assert f"{partner.name} is nu je spilfiguur" in await p.locator("#spilfiguur ~ [role=status]").first.inner_text()
    body = (await client.get(f"/api/v1/workspaces/{wid}", headers=coord.headers)).json()
    assert body["pivot"]["user_id"] == str(partner.user_id) and body["pivot"]["chosen_by_jobseeker"]
    assert len(body["pivot_history"]) == 2  # the proposal stays in the history

    # Adding someone: empty and wrong input get a message per field and store nothing.
    await phone.submit(p.get_by_role("button", name="Voeg toe"))
    assert await p.locator("#e-new-name").inner_text() == "Vul dit in."
    await p.locator("#new-name").fill("Lien Peeters")
    await p.locator("#new-relation").fill("zus")
    await p.locator("#new-phone").fill("bel me maar")
    await phone.submit(p.get_by_role("button", name="Voeg toe"))
    assert "geen telefoonnummer" in await p.locator("#e-new-phone").inner_text()
    assert await p.locator("#new-name").input_value() == "Lien Peeters"
    await p.locator("#new-name").fill("L" * 201)
    await p.locator("#new-phone").fill("")
    await phone.submit(p.get_by_role("button", name="Voeg toe"))
    assert "hoogstens 200 tekens" in await p.locator("#e-new-name").inner_text()
    assert await _confidants(sessionmaker, wid) == []
    await p.locator("#new-name").fill("Lien Peeters")
    await p.locator("#new-phone").fill("+32 470 12 34 56")
    await phone.submit(p.get_by_role("button", name="Voeg toe"))
    assert "Lien Peeters staat op je lijst" in await p.inner_text("[role=status]:not(:empty)")
    assert await _confidants(sessionmaker, wid) == [("Lien Peeters", "zus", "+32 470 12 34 56", True)]
    await phone.assert_fits(320, target=44)

    # Changing the relation.
    [cid] = [c["id"] for c in (await client.get(f"/api/v1/workspaces/{wid}", headers=coord.headers)).json()["confidants"]]
    item = p.locator(f"#c-{cid}")
    await item.locator("summary").click()
    await item.locator(f"[id='{cid}-relation']").fill("oudere zus")
    await phone.submit(item.get_by_role("button", name="Bewaar"))
    assert "nieuwe gegevens" in await p.locator(f"#c-{cid} [role=status]").inner_text()
    assert (await _confidants(sessionmaker, wid))[0][1] == "oudere zus"

    # Removing is one press, with an undo right there.
    await phone.submit(p.locator(f"#c-{cid}").get_by_role("button", name="Haal Lien Peeters van je lijst"))
    assert "staat niet meer op je lijst" in await p.inner_text("[role=status]:not(:empty)")
    assert (await _confidants(sessionmaker, wid))[0][3] is False
    assert (await client.get(f"/api/v1/workspaces/{wid}", headers=coord.headers)).json()["confidants"] == []
    await phone.submit(p.get_by_role("button", name="Toch niet: zet terug"))
    assert (await _confidants(sessionmaker, wid))[0][3] is True

    from w2.consent.models import AccessLogEntry

    async with sessionmaker() as s:
        rows = set((await s.execute(select(AccessLogEntry.actor_kind, AccessLogEntry.resource_type).where(
            AccessLogEntry.workspace_id == wid, AccessLogEntry.resource_type.in_(("pivot", "confidant"))))).all())
    assert rows == {("jobseeker", "pivot"), ("jobseeker", "confidant")}


async def test_other_workspace_ids_and_strangers_change_nothing(phone, client, factory, sessionmaker):
    mine = await make_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker)
    r = await client.post(f"/api/v1/workspaces/{other.workspace_id}/confidants", headers=other.coordinator.headers,
                          json={"name": "Vreemde", "relation": "buur"})
    other_conf = r.json()["id"]
    await sign_in(phone, sessionmaker, mine.workspace_id)
    p = phone.page
    await phone.goto("/portal/mensen")
    token = await p.evaluate("() => document.querySelector('input[name=_csrf_token]').value")
    for path, form in [
        (f"/portal/mensen/vertrouwenspersoon/{other_conf}", {"name": "Gekaapt", "relation": "x"}),
        (f"/portal/mensen/vertrouwenspersoon/{other_conf}", {"name": "", "relation": ""}),
        (f"/portal/mensen/vertrouwenspersoon/{other_conf}/weg", {}),
        ("/portal/mensen/spilfiguur", {"user_id": str(other.partner.user_id)}),
        ("/portal/mensen/spilfiguur", {"user_id": "geen-id"}),
    ]:
        r = await p.request.post(path, form={**form, "_csrf_token": token}, max_redirects=0)
        assert r.status == 404, (path, r.status)
        text = await r.text()
        assert "niet kiezen" in text or "staat niet bij" in text, path
    body = (await client.get(f"/api/v1/workspaces/{other.workspace_id}", headers=other.coordinator.headers)).json()
    assert [c["name"] for c in body["confidants"]] == ["Vreemde"]
    mine_body = (await client.get(f"/api/v1/workspaces/{mine.workspace_id}", headers=mine.coordinator.headers)).json()
    assert mine_body["pivot"] is None
