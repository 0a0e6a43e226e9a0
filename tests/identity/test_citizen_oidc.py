"""The job seeker signs in with itsme/eID through OpenID Connect, against a real provider on localhost."""

from __future__ import annotations

import random
from datetime import date
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from tests.factories import new_workspace, unique
from tests.identity.conftest import NN_CLAIM, SECRET, account, app_client, app_path, csrf, through_provider
from w2.platform import rrn
from w2.platform.models import Jobseeker, Workspace

NOT_FOUND_TEXT = "We vinden je niet in w2"


def citizen_settings(issuer: str, client_id: str = "citizen") -> dict[str, str]:
    return {"citizen_oidc_issuer": issuer, "citizen_oidc_client_id": client_id,
            "citizen_oidc_client_secret": SECRET, "citizen_oidc_national_number_claim": NN_CLAIM,
            "citizen_oidc_scope": "openid rrn"}


def fresh_number() -> tuple[str, date]:
    born = date(random.randint(1950, 1999), random.randint(1, 12), random.randint(1, 28))
    return rrn.make(born, random.randint(1, 997)), born


async def job_seeker(client, factory) -> tuple[str, str, str]:
    """A workspace whose job seeker has a national number: (workspace id, given name, number)."""
    coord = await factory.person(roles=("coordinator", "worker"))
    number, born = fresh_number()
    given = unique("Yara").replace(" ", "")
    ws = await new_workspace(client, coord, given_name=given, national_number=number, birth_date=born.isoformat())
    return ws["id"], given, number


async def start(app) -> str:
    """Press "Aanmelden met itsme of eID" on the portal start page; the provider address."""
    page = await app.get("/portal/aanmelden")
    assert page.status_code == 200 and "Aanmelden met itsme of eID" in page.text
    r = await app.post("/portal/oidc/start", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    return r.headers["location"]


async def signed_in_as(app, given: str) -> bool:
    r = await app.get("/portal", follow_redirects=False)
    return r.status_code == 200 and given in r.text


async def test_code_flow_signs_the_job_seeker_in_and_the_code_works_once(oidc_provider, client, factory, signin_log):
    wid, given, number = await job_seeker(client, factory)
    async with app_client(**citizen_settings(oidc_provider.issuer)) as app:
        auth_url = await start(app)
        q = parse_qs(urlsplit(auth_url).query)
        assert auth_url.startswith(oidc_provider.issuer)
        assert q["code_challenge_method"] == ["S256"] and q["code_challenge"][0] and q["nonce"][0] and q["state"][0]
        # The national number as the provider gives it: with separators, as itsme shows it.
        dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
        back = await through_provider(auth_url, account(**{NN_CLAIM: dotted, "given_name": "Niet", "email": "x@y.be"}))
        r = await app.get(app_path(back), follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/portal", r.text
        assert await signed_in_as(app, given)
        # The same session as the one-time link gives: the job seeker's own workspace, nothing more.
        data = await app.get("/portal/gegevens.json")
        assert data.status_code == 200 and wid in data.text

        # Replayed: the same callback in another browser (no pending sign-in there) ...
        async with app_client(**citizen_settings(oidc_provider.issuer)) as other:
            signin_log.clear()
            r = await other.get(app_path(back), follow_redirects=False)
            assert r.status_code == 400 and "niet gelukt" in r.text
            assert signin_log == ["citizen sign-in refused: no_pending_sign_in"]
            assert (await other.get("/portal", follow_redirects=False)).status_code in (302, 303)
        # ... and in the same browser with a fresh, valid state: the provider refuses the used code.
        auth_url2 = await start(app)
        state2 = parse_qs(urlsplit(auth_url2).query)["state"][0]
        code = parse_qs(urlsplit(back).query)["code"][0]
        signin_log.clear()
        r = await app.get("/portal/oidc/terug", params={"code": code, "state": state2}, follow_redirects=False)
        assert r.status_code == 400 and signin_log == ["citizen sign-in refused: code_refused"]
        assert not await signed_in_as(app, given)


async def test_state_must_match(oidc_provider, client, factory, signin_log):
    _, given, number = await job_seeker(client, factory)
    async with app_client(**citizen_settings(oidc_provider.issuer)) as app:
        back = await through_provider(await start(app), account(**{NN_CLAIM: number}))
        query = parse_qs(urlsplit(back).query)
        signin_log.clear()
        r = await app.get("/portal/oidc/terug", params={"code": query["code"][0], "state": "forged"},
                          follow_redirects=False)
        assert r.status_code == 400 and signin_log == ["citizen sign-in refused: state_mismatch"]
        assert not await signed_in_as(app, given)


async def _refused(oidc_provider, client, factory, signin_log, client_id: str, reason: str) -> None:
    _, given, number = await job_seeker(client, factory)
    async with app_client(**citizen_settings(oidc_provider.issuer, client_id)) as app:
        back = await through_provider(await start(app), account(**{NN_CLAIM: number}))
        signin_log.clear()
        r = await app.get(app_path(back), follow_redirects=False)
        assert r.status_code == 400 and "Aanmelden is niet gelukt" in r.text
        assert signin_log == [f"citizen sign-in refused: {reason}"]
        assert not await signed_in_as(app, given)


async def test_wrong_nonce_is_refused(oidc_provider, client, factory, signin_log):
    await _refused(oidc_provider, client, factory, signin_log, "citizen-badnonce", "bad_nonce")


async def test_wrong_audience_is_refused(oidc_provider, client, factory, signin_log):
    await _refused(oidc_provider, client, factory, signin_log, "citizen-wrongaud", "bad_aud")


async def test_expired_id_token_is_refused(oidc_provider, client, factory, signin_log):
    await _refused(oidc_provider, client, factory, signin_log, "citizen-expired", "expired")


async def test_unknown_national_number_gets_a_clear_page_and_nothing_is_created(oidc_provider, client, sessionmaker):
    async with sessionmaker() as s:
        before = (await s.scalar(select(func.count()).select_from(Jobseeker)),
                  await s.scalar(select(func.count()).select_from(Workspace)))
    number, _ = fresh_number()
    async with app_client(**citizen_settings(oidc_provider.issuer)) as app:
        back = await through_provider(await start(app), account(**{NN_CLAIM: number, "email": "someone@test.w2"}))
        r = await app.get(app_path(back), follow_redirects=False)
        assert r.status_code == 403 and NOT_FOUND_TEXT in r.text and "begeleider" in r.text
        assert (await app.get("/portal", follow_redirects=False)).status_code in (302, 303)
    async with sessionmaker() as s:
        after = (await s.scalar(select(func.count()).select_from(Jobseeker)),
                 await s.scalar(select(func.count()).select_from(Workspace)))
    assert after == before


async def test_match_is_by_national_number_only(oidc_provider, client, factory):
    """Same name and e-mail as a job seeker, but no national number claim: not signed in."""
    _, given, _ = await job_seeker(client, factory)
    async with app_client(**citizen_settings(oidc_provider.issuer)) as app:
        back = await through_provider(await start(app), account(given_name=given, email="y@test.w2"))
        r = await app.get(app_path(back), follow_redirects=False)
        assert r.status_code == 403 and NOT_FOUND_TEXT in r.text
        assert not await signed_in_as(app, given)


async def test_no_button_and_no_route_without_configuration(client):
    client.cookies.clear()
    page = await client.get("/portal/aanmelden")
    assert page.status_code == 200 and "itsme" not in page.text and "link" in page.text
    assert "itsme" not in (await client.get("/portal/uit")).text
    r = await client.post("/portal/oidc/start", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 404
    assert (await client.get("/portal/oidc/terug?code=x&state=y")).status_code == 404
    client.cookies.clear()


SUBSTANTIAL = "urn:w2:test:loa:substantial"


async def test_a_required_level_of_assurance_is_asked_for_and_checked(oidc_provider, client, factory, signin_log):
    # With W2_CITIZEN_OIDC_ACR_VALUES set, w2 asks for that level and refuses an ID token stating a lower
    # one or none: the provider may ignore the wish, so only the `acr` it signed counts.
    for client_id, reason in (("citizen-acr-low", "acr_not_met"), ("citizen", "acr_not_met")):
        _, given, number = await job_seeker(client, factory)
        async with app_client(**citizen_settings(oidc_provider.issuer, client_id),
                              citizen_oidc_acr_values=SUBSTANTIAL) as app:
            auth_url = await start(app)
            assert parse_qs(urlsplit(auth_url).query)["acr_values"] == [SUBSTANTIAL]
            back = await through_provider(auth_url, account(**{NN_CLAIM: number}))
            signin_log.clear()
            r = await app.get(app_path(back), follow_redirects=False)
            assert r.status_code == 400 and "Aanmelden is niet gelukt" in r.text
            assert signin_log == [f"citizen sign-in refused: {reason}"]
            assert not await signed_in_as(app, given)
    _, given, number = await job_seeker(client, factory)
    async with app_client(**citizen_settings(oidc_provider.issuer, "citizen-acr-substantial"),
                          citizen_oidc_acr_values=f"urn:w2:test:loa:high {SUBSTANTIAL}") as app:
        back = await through_provider(await start(app), account(**{NN_CLAIM: number}))
        r = await app.get(app_path(back), follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/portal", r.text
        assert await signed_in_as(app, given)
