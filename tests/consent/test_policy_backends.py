"""The same policy tests on PostgreSQL (app role, RLS on) and SQLite (policy module alone)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from w2.consent import service as consents
from w2.consent.models import AccessLogEntry, Consent
from w2.consent.policy import ConsentMissing, readable_domains, today
from w2.consent.schemas import ConsentIn
from w2.meetings.agreements import service as agreements
from w2.meetings.agreements.schemas import AgreementIn, AgreementPatch, OwnerIn
from w2.platform.actor import Actor
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound


def info(agency_id, domains, **kw) -> ConsentIn:
    return ConsentIn(agency_id=agency_id, purpose=kw.pop("purpose", "information_sharing"), life_domains=domains,
                     method=kw.pop("method", "signed_form"), **kw)


def agreement(domain: str, owner_agency=None) -> AgreementIn:
    owner = OwnerIn(kind="agency", agency_id=owner_agency) if owner_agency else OwnerIn(kind="jobseeker")
    return AgreementIn(life_domain=domain, description=f"Afspraak {domain}", owner=owner)


async def visible(h, actor: Actor, ws_id) -> tuple[set, set]:
    rows = await h.run(actor, lambda s: agreements.list_workspace_agreements(s, actor, ws_id))
    items, _ = await h.run(actor, lambda s: agreements.partner_agreements(s, actor, limit=200))
    return {r.id for r in rows}, {r.id for r in items if r.workspace_id == ws_id}


async def test_reads_follow_consent(harness):
    h = harness
    w = await h.new_world()
    coord, p, q = w.readers
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id, info(w.agency_ids[0], ["housing"])))
    c = await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id,
                                                            info(w.agency_ids[1], ["housing"])))
    a = await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id,
                                                                 agreement("housing", w.agency_ids[1])))
    b = await h.run(w.jobseeker, lambda s: agreements.create_agreement(s, w.jobseeker, w.workspace_id,
                                                                       agreement("health")))
    assert await visible(h, coord, w.workspace_id) == ({a.id}, {a.id})
    assert await visible(h, p, w.workspace_id) == ({a.id}, {a.id})
    assert await visible(h, q, w.workspace_id) == (set(), set())
    js = await h.run(w.jobseeker, lambda s: agreements.list_workspace_agreements(s, w.jobseeker, w.workspace_id))
    assert {r.id for r in js} == {a.id, b.id}
    with pytest.raises(NotFound):
        await h.run(q, lambda s: agreements.get_agreement(s, q, a.id))
    with pytest.raises(NotFound):
        await h.run(p, lambda s: agreements.get_agreement(s, p, b.id))
    assert await h.run(p, lambda s: readable_domains(s, p, w.workspace_id)) == {"housing"}

    await h.run(coord, lambda s: consents.revoke_consent(s, coord, w.workspace_id, c.id))
    assert await visible(h, p, w.workspace_id) == (set(), set())
    with pytest.raises(NotFound):
        await h.run(p, lambda s: agreements.get_agreement(s, p, a.id))
    with pytest.raises(NotFound):
        await h.run(p, lambda s: agreements.update_agreement(s, p, a.id, AgreementPatch(status="done")))


async def test_missing_consent_refused_and_nothing_changes(harness):
    h = harness
    w = await h.new_world()
    coord, p, _ = w.readers
    with pytest.raises(ConsentMissing) as err:
        await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id, agreement("finances")))
    assert (err.value.agency_id, err.value.purpose, err.value.life_domain) == (
        w.agency_ids[0], "information_sharing", "finances")
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id,
                                                        info(w.agency_ids[0], ["finances"])))
    with pytest.raises(ConsentMissing) as err:
        await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id,
                                                                 agreement("finances", w.agency_ids[2])))
    assert err.value.agency_id == w.agency_ids[2]
    # meeting_participation is not information_sharing
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id, info(
        w.agency_ids[2], ["finances"], purpose="meeting_participation")))
    with pytest.raises(ConsentMissing):
        await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id,
                                                                 agreement("finances", w.agency_ids[2])))
    a = await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id, agreement("finances")))
    with pytest.raises(ConsentMissing):
        await h.run(coord, lambda s: agreements.update_agreement(s, coord, a.id, AgreementPatch(
            owner=OwnerIn(kind="agency", agency_id=w.agency_ids[1]))))
    denied = await h.run(None, lambda s: s.scalar(select(func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.workspace_id == w.workspace_id, AccessLogEntry.outcome == "denied")))
    assert denied == 4


async def test_bad_consent_input_is_refused(harness):
    h = harness
    w = await h.new_world()
    coord, p, _ = w.readers
    bad = [
        info(w.agency_ids[1], ["housing", "astrology"]),
        info(w.agency_ids[1], ["housing"], valid_until=today() - timedelta(days=1)),
        info(uuid.uuid4(), ["housing"]),
        info(w.agency_ids[1], ["housing"], method="verbal"),
        info(w.agency_ids[1], ["housing"], method="verbal", witness_user_id=uuid.uuid4()),
        info(w.agency_ids[1], ["housing"], legal_basis="case_consultation"),
    ]
    for data in bad:
        with pytest.raises(Invalid):
            await h.run(coord, lambda s, d=data: consents.grant_consent(s, coord, w.workspace_id, d))
    with pytest.raises(Forbidden):
        await h.run(p, lambda s: consents.grant_consent(s, p, w.workspace_id, info(w.agency_ids[1], ["housing"])))
    n = await h.run(None, lambda s: s.scalar(select(func.count()).select_from(Consent).where(
        Consent.workspace_id == w.workspace_id)))
    assert n == 0
    c = await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id,
                                                            info(w.agency_ids[1], ["housing"])))
    await h.run(w.jobseeker, lambda s: consents.revoke_consent(s, w.jobseeker, w.workspace_id, c.id))
    with pytest.raises(Conflict):
        await h.run(coord, lambda s: consents.revoke_consent(s, coord, w.workspace_id, c.id))


async def test_platform_admin_reads_nothing(harness):
    h = harness
    w = await h.new_world()
    coord = w.readers[0]
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id, info(w.agency_ids[0], ["social"])))
    a = await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id, agreement("social")))
    admin = Actor(kind="staff", agency_id=w.agency_ids[0], roles=frozenset({"platform_admin", "coordinator"}))
    for call in (lambda s: agreements.list_workspace_agreements(s, admin, w.workspace_id),
                 lambda s: agreements.get_agreement(s, admin, a.id),
                 lambda s: agreements.partner_agreements(s, admin),
                 lambda s: consents.list_consents(s, admin, w.workspace_id)):
        with pytest.raises(Forbidden):
            await h.run(admin, call)
    assert await h.run(admin, lambda s: readable_domains(s, admin, w.workspace_id)) == set()


async def test_access_log_is_append_only(harness):
    h = harness
    w = await h.new_world()
    coord = w.readers[0]
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id, info(w.agency_ids[0], ["other"])))
    for stmt in ("UPDATE access_log SET outcome = 'x'", "DELETE FROM access_log",
                 "UPDATE consent_grant SET valid_until = NULL"):
        with pytest.raises(DBAPIError, match="append-only|permission denied"):
            await h.run(None, lambda s, q=stmt: s.execute(text(q)))


async def test_an_end_date_bites_in_a_list_built_once(harness, monkeypatch):
    # The workspace list's statement is built once per kind of reader; today's date must still be
    # taken at each execution, or a consent would outlive its end date until the process restarts.
    from w2.consent import policy

    h = harness
    w = await h.new_world()
    coord, p, _ = w.readers
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id, info(w.agency_ids[0], ["housing"])))
    await h.run(coord, lambda s: consents.grant_consent(s, coord, w.workspace_id,
                                                        info(w.agency_ids[1], ["housing"], valid_until=today())))
    a = await h.run(coord, lambda s: agreements.create_agreement(s, coord, w.workspace_id, agreement("housing")))
    assert await visible(h, p, w.workspace_id) == ({a.id}, {a.id})
    tomorrow = today() + timedelta(days=1)
    monkeypatch.setattr(policy, "today", lambda: tomorrow)
    assert await visible(h, p, w.workspace_id) == (set(), set())
    assert await visible(h, coord, w.workspace_id) == ({a.id}, {a.id})  # a grant without an end date holds
