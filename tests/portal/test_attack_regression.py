"""Regression for issue 12: a coordinator pressed "Maak een aanmeldlink", copied the link from the page,
opened it in another browser and was the job seeker (every life domain, consent switches, no notice).

Fails on the old code: the old form answered 200 with `/portal/in/<token>` in the HTML, and that
token started a portal session in a fresh cookie jar.
"""

from __future__ import annotations

import re
import uuid

from tests.factories import new_workspace
from tests.portal.helpers import CANDIDATE, PASSWORD, csrf, fresh_client, signs_in_as_jobseeker, staff_sign_in


async def test_coordinator_cannot_become_the_job_seeker_through_the_workspace_page(client, factory):
    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=PASSWORD)
    ws = await new_workspace(client, coord, email=f"js-{uuid.uuid4().hex[:6]}@example.be",
                             phone="0470 11 22 12", national_number="85073003328")
    wid = ws["id"]
    bodies: list[str] = []
    async with fresh_client(client) as c:
        await staff_sign_in(c, coord.email)
        page = await c.get(f"/workspaces/{wid}")
        assert page.status_code == 200
        bodies.append(page.text)
        # Every form on the page that has to do with a sign-in link, old and new, pressed as sent.
        actions = set(re.findall(r'action="(/workspaces/[^"]*(?:portaal|aanmeld)[^"]*)"', page.text))
        actions |= {f"/workspaces/{wid}/portaallink", f"/workspaces/{wid}/aanmeldlink"}
        for action in sorted(actions):
            for channel in ("", "email", "sms"):
                r = await c.post(action, data={"_csrf_token": csrf(page.text), "channel": channel})
                bodies.append(r.text + repr(r.headers.multi_items()))
        for channel in ("email", "sms"):
            r = await c.post(f"/api/v1/workspaces/{wid}/portal-invitations", json={"channel": channel},
                             headers=coord.headers)
            bodies.append(r.text)
        bodies.append((await c.get(f"/workspaces/{wid}")).text)
    text = "\n".join(bodies)
    tried = set(re.findall(r"/portal/in/([A-Za-z0-9_-]+)", text)) | set(CANDIDATE.findall(text))
    assert tried, "the search saw nothing at all"
    worked = [tok[:6] for tok in tried if await signs_in_as_jobseeker(client, tok)]
    assert not worked, f"staff obtained a working sign-in link from the page: {worked}"
    assert "/portal/in/" not in text
