"""Finalize -> one PDF per recipient agency, rendered by a real worker, each holding only its consented domains."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

pytest.importorskip("w2.meetings.models")

from tests.meetings.support import BXL, finalize, grant, make_case, ready_meeting, revoke  # noqa: E402
from tests.reports.pdfutil import pdf_text  # noqa: E402

NOTES = {
    "finances": "Leefloon en achterstallige huur",
    "housing": "Zeven personen in twee kamers",
    "parenting": "Twee kinderen spijbelen",
    "work_training": "De zoon van 18 zoekt werk",
    "justice": "Plaatsing dreigt als de kinderen niet naar school gaan",
}
AGREEMENTS = {
    "finances": "Financiele steun aanvragen bij het OCMW",
    "housing": "Afspraak bij de huurdersbond maken",
    "work_training": "De zoon begeleiden naar werk",
    "justice": "Verslag aan de jeugdrechter bezorgen",
}


async def _finalized_case(client: Any, factory: Any, sm: Any,
                          thuis_like_vdab: bool = False) -> tuple[Any, str, dict[str, Any]]:
    case = await make_case(client, factory, sm, members=("vdab", "jrb", "thuis"))
    coord, vdab, jrb = case.coord, case.members["vdab"], case.members["jrb"]
    distribution = {}
    scopes = [
        (coord, ["finances", "housing", "parenting"], ["finances", "housing", "parenting"]),
        (vdab, ["work_training", "housing"], ["work_training", "housing"]),
        (jrb, ["parenting", "justice"], ["justice"]),  # may read parenting, but not receive it in the report
    ]
    if thuis_like_vdab:
        scopes.append((case.members["thuis"], ["work_training", "housing"], ["work_training", "housing"]))
    for who, shared, distributed in scopes:
        await grant(sm, case.wid, who.agency_id, "information_sharing", shared)
        distribution[who.email] = await grant(sm, case.wid, who.agency_id, "report_distribution", distributed)
    mid, ids = await ready_meeting(client, case)
    d = datetime.now(BXL).date() + timedelta(days=3)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers, json={
        "starts_at": datetime(d.year, d.month, d.day, 10, tzinfo=BXL).isoformat(),
        "ends_at": datetime(d.year, d.month, d.day, 11, 30, tzinfo=BXL).isoformat(), "location": "OCMW"})
    assert r.status_code == 200, r.text
    writer = {"finances": coord, "housing": coord, "parenting": coord, "work_training": vdab, "justice": jrb}
    for domain, text in NOTES.items():
        r = await client.put(f"/api/v1/meetings/{mid}/notes/{domain}", json={"information": text},
                             headers=writer[domain].headers)
        assert r.status_code == 200, r.text
    owner = {"finances": coord, "housing": vdab, "work_training": vdab, "justice": jrb}
    for domain, text in AGREEMENTS.items():
        r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=writer[domain].headers, json={
            "life_domain": domain, "description": text, "meeting_id": mid,
            "owner": {"kind": "agency", "agency_id": str(owner[domain].agency_id)},
            "due_date": (d + timedelta(days=14)).isoformat()})
        assert r.status_code == 201, r.text
    r = await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=coord.headers)
    assert r.status_code == 409  # not finalized yet
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers, json={"items": [
        {"invitee_id": i, "attendance": "excused" if name == "thuis" else "present"} for name, i in ids.items()]})
    assert r.status_code == 200, r.text
    r = await finalize(client, sm, mid, coord.headers, follow_up_date=(d + timedelta(days=40)).isoformat())
    assert r.status_code == 202, r.text
    return case, mid, distribution


async def _mail(mailbox: Any, address: str, needle: str, timeout: float = 30) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        found = [m for m in mailbox.to(address) if needle in str(m["Subject"])]
        if found:
            return found[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"no mail '{needle}' to {address}: {[str(m['Subject']) for m in mailbox.to(address)]}")


async def _download(client: Any, mid: str, headers: dict[str, str], timeout: float = 90) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        r = await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=headers)
        if r.status_code != 202 or loop.time() > end:
            return r
        assert r.headers["retry-after"] == "5"
        await asyncio.sleep(0.3)


async def test_each_agency_gets_only_its_consented_domains(client, factory, sessionmaker, celery_worker,
                                                            mailbox) -> None:
    from w2.consent.models import AccessLogEntry
    from w2.reports.models import ReportRendition

    case, mid, distribution = await _finalized_case(client, factory, sessionmaker)
    coord, vdab, jrb, thuis = case.coord, case.members["vdab"], case.members["jrb"], case.members["thuis"]

    copies = {}
    for name, who in (("coord", coord), ("vdab", vdab), ("jrb", jrb)):
        r = await _download(client, mid, who.headers)
        assert r.status_code == 200, (name, r.status_code, r.text[:300])
        assert r.headers["content-type"] == "application/pdf"
        copies[name] = pdf_text(r.content)
        assert r.headers["digest"] == f"sha-256={hashlib.sha256(r.content).hexdigest()}"

    visible = {"coord": {"finances", "housing", "parenting"}, "vdab": {"work_training", "housing"},
               "jrb": {"justice"}}
    for name, text in copies.items():
        for domain, note in NOTES.items():
            assert (note in text) == (domain in visible[name]), (name, domain)
        for domain, agreement in AGREEMENTS.items():
            assert (agreement in text) == (domain in visible[name]), (name, domain)
        assert "niet gedeeld" in text.lower()
        assert "valt onder het beroepsgeheim" in text

    # no consent left at all: nothing is rendered, and the agency is told nothing is shared
    r = await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=thuis.headers)
    assert r.status_code == 403 and "deelt geen enkel" in r.json()["detail"]
    await _mail(mailbox, thuis.email, "Geen verslag")

    # recipients are told by mail: a link, no attachment, no case content
    ready = await _mail(mailbox, vdab.email, "Er staat een verslag")
    body = ready.get_body(preferencelist=("plain",)).get_content()
    assert f"/meetings/{mid}/verslag.pdf" in body
    assert not any(part.get_filename() for part in ready.walk())
    for secret in (*NOTES.values(), *AGREEMENTS.values()):
        assert secret not in body

    async with sessionmaker() as s:
        rows = list(await s.scalars(select(ReportRendition).where(ReportRendition.meeting_id == mid)))
        logged = set(await s.scalars(select(AccessLogEntry.life_domain).where(
            AccessLogEntry.resource_type == "report", AccessLogEntry.action == "download",
            AccessLogEntry.agency_id == vdab.agency_id)))
    assert logged == {"work_training", "housing"}
    by = {(r.audience, r.kind, str(r.agency_id)): r for r in rows}
    assert by[("agency", "full", str(thuis.agency_id))].status == "nothing_shared"
    assert all(r.sha256 and len(r.sha256) == 64 for r in rows if r.status == "ready")

    # the job seeker's easy-read copy was rendered too
    easy = by[("jobseeker", "easy_read", "None")]
    for _ in range(100):
        if easy.status == "ready":
            break
        await asyncio.sleep(0.3)
        async with sessionmaker() as s:
            easy = await s.get(ReportRendition, easy.id)
    from w2.reports.service import storage_path

    text = pdf_text(storage_path(easy.storage_key).read_bytes())
    assert "Wat we afspraken" in text and "Afspraak bij de huurdersbond maken" in text and "Wie doet het?" in text


async def test_agencies_with_the_same_scope_share_one_rendition(client, factory, sessionmaker,
                                                                 celery_worker) -> None:
    from w2.reports.models import ReportRendition

    case, mid, _ = await _finalized_case(client, factory, sessionmaker, thuis_like_vdab=True)
    vdab, thuis, jrb = case.members["vdab"], case.members["thuis"], case.members["jrb"]
    got = {}
    for name, who in (("vdab", vdab), ("thuis", thuis), ("jrb", jrb)):
        r = await _download(client, mid, who.headers)
        assert r.status_code == 200, (name, r.text[:300])
        got[name] = r.content
    assert got["vdab"] == got["thuis"] != got["jrb"]
    text = pdf_text(got["thuis"])
    assert NOTES["housing"] in text and NOTES["finances"] not in text
    assert "Exemplaar voor de diensten met toestemming" in text  # no agency named: the copy is shared
    async with sessionmaker() as s:
        rows = [r for r in await s.scalars(select(ReportRendition).where(ReportRendition.meeting_id == mid,
                                                                          ReportRendition.audience == "agency"))]
    by = {r.agency_id: r for r in rows}
    assert by[vdab.agency_id].storage_key == by[thuis.agency_id].storage_key
    assert by[vdab.agency_id].storage_key != by[jrb.agency_id].storage_key
    # one file per distinct scope: coordinator, vdab+thuis, jrb
    assert len({r.storage_key for r in rows if r.status == "ready"}) == 3


async def test_consent_change_before_download_re_renders(client, factory, sessionmaker, celery_worker) -> None:
    case, mid, distribution = await _finalized_case(client, factory, sessionmaker)
    vdab = case.members["vdab"]
    r = await _download(client, mid, vdab.headers)
    assert r.status_code == 200 and NOTES["housing"] in pdf_text(r.content)
    # the job seeker withdraws report distribution for VDAB and grants only work and training
    await revoke(sessionmaker, distribution[vdab.email])
    await grant(sessionmaker, case.wid, vdab.agency_id, "report_distribution", ["work_training"])
    r = await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=vdab.headers)
    assert r.status_code == 202  # never the stale copy
    r = await _download(client, mid, vdab.headers)
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert NOTES["work_training"] in text and NOTES["housing"] not in text and AGREEMENTS["housing"] not in text


async def test_outsiders_and_correction(client, factory, sessionmaker, celery_worker) -> None:
    case, mid, distribution = await _finalized_case(client, factory, sessionmaker)
    outsider = await factory.person()
    r = await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=outsider.headers)
    assert r.status_code == 404
    # nothing changed: no new version
    r = await client.post(f"/api/v1/meetings/{mid}/report/versions", headers=case.coord.headers)
    assert r.status_code == 409
    # a correction after finalize (no new agreements on a closed meeting, but an agreement can be edited),
    # then a new version that says what changed
    r = await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=case.coord.headers)
    fin = next(a["id"] for a in r.json()["items"] if a["life_domain"] == "finances")
    r = await client.patch(f"/api/v1/agreements/{fin}", headers=case.coord.headers,
                           json={"description": "Budgetbegeleiding starten"})
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/meetings/{mid}/report/versions", headers=case.coord.headers)
    assert r.status_code == 202, r.text
    assert r.json()["version"] == 2
    coord_copy = pdf_text((await _download(client, mid, case.coord.headers)).content)
    assert "Versie 2" in coord_copy and "Financiën: afspraak aangepast – Budgetbegeleiding starten" in coord_copy
    vdab_copy = pdf_text((await _download(client, mid, case.members["vdab"].headers)).content)
    assert "Versie 2" in vdab_copy and "Budgetbegeleiding" not in vdab_copy


async def test_job_seeker_gets_easy_read_and_full_copy_on_own_pages(client, factory, sessionmaker,
                                                                     celery_worker, mailbox) -> None:
    from tests.pages.cases import portal_link

    case, mid, _ = await _finalized_case(client, factory, sessionmaker)
    sheet = {"filled_by": "jobseeker", "items": [{"theme": t, "start": 2, "now": 5, "future": 8}
                                                 for t in ("income", "housing", "bond_children")]}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/scores", json=sheet, headers=case.coord.headers)
    assert r.status_code == 201, r.text
    link = await portal_link(sessionmaker, case.wid)
    client.cookies.clear()
    try:
        r = await client.get(link)
        assert r.status_code == 200
        r = await client.post(link, data={"_csrf_token": client.cookies.get("csrftoken", "")})
        assert r.status_code in (200, 201, 302, 303), r.text[:300]

        async def fetch(path: str) -> Any:
            for _ in range(300):
                r = await client.get(path, follow_redirects=False)
                if r.status_code != 202:
                    return r
                assert "text/html" in r.headers["content-type"]
                await asyncio.sleep(0.3)
            return r

        easy = await fetch(f"/meetings/{mid}/verslag-eenvoudig.pdf")
        assert easy.status_code == 200 and easy.headers["content-type"] == "application/pdf"
        text = pdf_text(easy.content)
        for expected in ("Wat we afspraken", "Wie doet het?", "Tegen wanneer?", AGREEMENTS["justice"],
                         AGREEMENTS["housing"]):
            assert expected in text
        full = pdf_text((await fetch(f"/meetings/{mid}/verslag.pdf")).content)
        assert all(note in full for note in NOTES.values())  # the job seeker sees everything about themself
        assert "Exemplaar voor de werkzoekende" in full
        # The job seeker is told once (for both copies), in plain words, with a link behind sign-in only.
        js_mail = case.ws["jobseeker"]["email"]
        told = await _mail(mailbox, js_mail, "Het verslag van je overleg is klaar")
        body = told.get_body(preferencelist=("plain",)).get_content()
        assert "/portal/documenten" in body and "/portal/in/" not in body
        assert not any(note in body for note in NOTES.values())
        await asyncio.sleep(1)
        assert len([m for m in mailbox.to(js_mail) if "verslag" in str(m["Subject"])]) == 1
        # the job seeker's own W²-cirkel on their pages
        r = await client.get(f"/workspaces/{case.wid}/scores/cirkels.svg?group=outside")
        assert r.status_code == 200 and "Inkomen: start 2, nu 5, toekomst 8" in r.text
    finally:
        client.cookies.clear()
