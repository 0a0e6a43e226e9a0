"""Cancel an agreement with a reason: kept, logged, consent-filtered, and in the next verslag version (issue 16)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.reports.pdfutil import pdf_text
from tests.reports.test_report_api import AGREEMENTS, _download, _finalized_case

REASON = "Het leefloon is intussen toegekend"


async def test_cancel_with_reason_reaches_only_consented_copies_of_the_next_version(client, factory, sessionmaker,
                                                                                    celery_worker):
    from w2.consent.models import AccessLogEntry
    from w2.meetings.agreements.models import Agreement, AgreementNote

    case, mid, _ = await _finalized_case(client, factory, sessionmaker)
    coord, vdab = case.coord, case.members["vdab"]
    items = (await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=coord.headers)).json()["items"]
    fin = next(a["id"] for a in items if a["life_domain"] == "finances")
    url = f"/api/v1/agreements/{fin}/cancel"
    # VDAB may not read finances: the agreement does not exist for it, and nothing changes
    assert (await client.post(url, json={"reason": "x"}, headers=vdab.headers)).status_code == 404
    r = await client.post(url, json={"reason": "   "}, headers=coord.headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(url, json={}, headers=coord.headers)).status_code in (400, 422)
    async with sessionmaker() as s:
        assert (await s.get(Agreement, uuid.UUID(fin))).status == "open"
    r = await client.post(url, json={"reason": REASON}, headers=coord.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["cancel_reason"]) == ("cancelled", REASON)
    # struck once: no second cancel, no later edits
    r = await client.post(url, json={"reason": REASON}, headers=coord.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("agreement-cancelled")
    r = await client.patch(f"/api/v1/agreements/{fin}", json={"status": "done"}, headers=coord.headers)
    assert r.status_code == 409
    async with sessionmaker() as s:
        note = await s.scalar(select(AgreementNote).where(AgreementNote.agreement_id == uuid.UUID(fin)))
        assert (note.status, note.note, note.author_user_id) == ("cancelled", REASON, coord.user_id)
        logged = list(await s.scalars(select(AccessLogEntry).where(AccessLogEntry.resource_id == fin,
                                                                   AccessLogEntry.action == "cancel")))
        assert {(e.outcome, e.agency_id, e.life_domain) for e in logged} == {
            ("denied", vdab.agency_id, None), ("allowed", coord.agency_id, "finances")}
    # the next verslag version says it, in the copies of agencies that may receive finances only
    r = await client.post(f"/api/v1/meetings/{mid}/report/versions", headers=coord.headers)
    assert r.status_code == 202, r.text
    text = AGREEMENTS["finances"]
    coord_copy = pdf_text((await _download(client, mid, coord.headers)).content)
    assert "Versie 2" in coord_copy
    assert f"Geschrapt: {text}. Reden: {REASON}" in coord_copy
    assert f"Financiën: afspraak geschrapt – {text}. Reden: {REASON}" in coord_copy
    vdab_copy = pdf_text((await _download(client, mid, vdab.headers)).content)
    assert "Versie 2" in vdab_copy and REASON not in vdab_copy and text not in vdab_copy
