"""Issue 13 item 12: schemathesis against the OpenAPI spec, as two professionals of different agencies.

Agency A keeps a case with content in every part (job seeker, confidant, consents, agreement, round
table with invitees and slots). Schemathesis generates requests for every operation of the spec: as A
on A's own ids (to reach deep code paths) and as B, an agency outside that case, on A's ids. Nothing may
answer 5xx, and no answer to B may hold an id or a piece of content of A's case. Runs against a real
uvicorn server; the generation is derandomized and small, so the run is the same every time and short.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.consent.helpers import grant
from tests.factories import new_workspace
from tests.meetings.support import future

# Examples per operation and mode: small and derandomized, so the run is short and the same each time
# (75 operations: about 400 requests in all).
EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}
PATH_PARAM = re.compile(r"\{([a-z_]+)\}")


async def _case_of_a(client, factory) -> tuple[Any, dict[str, str], list[str]]:
    """A's case through the API; returns A, the ids to aim at, and every secret B must never see."""
    a = await factory.person(roles=("coordinator", "worker"), kind="ocmw")
    partner = await factory.person(roles=("worker",), kind="vdab")
    family = f"Geheimnaam{uuid.uuid4().hex[:6]}"
    ws = await new_workspace(client, a, family_name=family, email=f"js-{uuid.uuid4().hex[:6]}@test.w2",
                             phone="+32 470 11 22 33")
    wid = ws["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=a.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies",
                                "question": "Vraag over schuldbemiddeling"})
    assert r.status_code == 201, r.text
    case = type("Case", (), {"wid": wid, "coord": a})()
    consent = await grant(client, case, a.agency_id, ["finances", "housing", "health", "other", "social"])
    await grant(client, case, a.agency_id, ["finances", "housing", "health", "other", "social"],
                purpose="meeting_participation")
    r = await client.post(f"/api/v1/workspaces/{wid}/confidants", headers=a.headers,
                          json={"name": "Vertrouwenspersoon Zelda", "relation": "zus"})
    assert r.status_code == 201, r.text
    r = await client.post(f"/api/v1/workspaces/{wid}/agreements", headers=a.headers,
                          json={"life_domain": "finances", "description": "Afbetalingsplan opmaken",
                                "owner": {"kind": "agency", "agency_id": str(a.agency_id)}})
    assert r.status_code == 201, r.text
    agreement = r.json()["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/meetings", headers=a.headers,
                          json={"reason": "Dreigende uithuiszetting", "goal": "Woonst behouden",
                                "requested_by": {"kind": "professional"}})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=a.headers, json={"kind": "jobseeker"})
    assert r.status_code == 201, r.text
    invitee = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/jobseeker-agreement", headers=a.headers,
                          json={"method": "signed_form"})
    assert r.status_code == 200, r.text
    start = future(9, 10)
    r = await client.post(f"/api/v1/meetings/{mid}/slots", headers=a.headers,
                          json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
                                "location": "Zaal Verborgen"})
    assert r.status_code == 201, r.text
    ids = {"workspace_id": wid, "meeting_id": mid, "agreement_id": agreement, "consent_id": consent["id"],
           "invitee_id": invitee, "slot_id": r.json()["id"], "life_domain": "finances"}
    secrets = [v for k, v in ids.items() if k != "life_domain"] + [
        family, "Vertrouwenspersoon Zelda", "Afbetalingsplan", "Dreigende uithuiszetting", "Woonst behouden",
        "Zaal Verborgen", "schuldbemiddeling", ws["jobseeker"]["email"]]
    return a, ids, secrets


def _readable(body: bytes) -> str:
    """The answer as text; a PDF by its extracted text as well (its content streams are compressed)."""
    text = body.decode("utf-8", errors="replace")
    if body.startswith(b"%PDF"):
        from tests.reports.pdfutil import pdf_text

        text += pdf_text(body)
    return text


def _operations(schema) -> list[Any]:
    ops = [r.ok() for r in schema.get_all_operations()]
    assert len(ops) >= 60, "the spec lost operations"
    return ops


def _run(op: Any, mode: GenerationMode, token: str, aim: dict[str, str], base: str,
         found: list[str], leaks: list[str], secrets: list[str]) -> int:
    """Send generated requests for one operation; note 5xx and (for B) any secret in an answer."""
    fixed = {name: aim[name] for name in PATH_PARAM.findall(op.path) if name in aim}
    sent = 0

    @settings(max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy(generation_mode=mode, path_parameters=fixed or None))
    def probe(case: Any) -> None:
        nonlocal sent
        response = case.call(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        sent += 1
        label = f"{case.method} {case.formatted_path} ({mode.value})"
        if response.status_code >= 500:
            found.append(f"{label} -> {response.status_code}: {response.text[:300]}")
        if not secrets:
            return
        # The path the caller sent may be echoed in a problem detail: that is not something learnt.
        answer = _readable(response.content).replace(case.formatted_path, "")
        for secret in secrets:
            if secret in answer:
                leaks.append(f"{label} -> {response.status_code} holds {secret!r}")

    try:
        probe()
    except Unsatisfiable:
        pass  # nothing to make invalid (e.g. an operation without any input): its positive run covers it
    return sent


@pytest.mark.filterwarnings("ignore")
async def test_fuzzed_api_never_fails_and_never_crosses_agencies(client, factory, real_server):
    a, ids, secrets = await _case_of_a(client, factory)
    b = await factory.person(roles=("coordinator", "worker"), kind="caw")
    await new_workspace(client, b)  # B has a case of its own: its scope is a real one
    # The control first: A itself reads its case with these ids (so the secrets are findable).
    import httpx

    async with httpx.AsyncClient(base_url=real_server, headers=a.headers, timeout=60) as c:
        r = await c.get(f"/api/v1/meetings/{ids['meeting_id']}")
    assert r.status_code == 200 and "Dreigende uithuiszetting" in r.text, r.text
    schema = schemathesis.openapi.from_url(f"{real_server}/api/v1/openapi.json")
    ops = _operations(schema)
    errors: list[str] = []
    leaks: list[str] = []
    sent = 0
    # B on A's ids, with valid and with invalid input, while A's case is whole: no 5xx, nothing of A's.
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            sent += _run(op, mode, b.token, ids, real_server, errors, leaks, secrets)
    # A on its own case: deep code paths, 5xx only (A may read its own content).
    for op in ops:
        sent += _run(op, GenerationMode.POSITIVE, a.token, ids, real_server, errors, [], [])
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
    assert sent >= 4 * len(ops)
