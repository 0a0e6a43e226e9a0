"""Staff sign in through their agency's own OpenID provider (a real one on localhost), set up with the CLI."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.factories import unique
from tests.identity.conftest import SECRET, account, app_client, app_path, csrf, through_provider
from tests.platform.test_cli import w2
from w2.platform.identity.models import AgencyIdentityProvider
from w2.platform.identity.secretbox import unseal
from w2.platform.models import Agency, User

PASSWORD = "een-goed-wachtwoord-voor-sso"


def configure(settings_env, agency_id, issuer: str, client_id: str = "agency-a", *extra: str) -> dict:
    r = w2(["agencies", "oidc", "--agency-id", str(agency_id), "--issuer", issuer, "--client-id", client_id,
            "--client-secret-stdin", "--json", *extra], settings_env, stdin=SECRET + "\n")
    assert r.returncode == 0, r.stderr
    assert SECRET not in r.stdout and SECRET not in r.stderr
    return json.loads(r.stdout)


async def sso_start(app, agency_name: str) -> str:
    page = await app.get("/login")
    assert f"Aanmelden via {agency_name}" in page.text
    agency_id = page.text.split(f"Aanmelden via {agency_name}")[0].rsplit('name="agency_id" value="', 1)[1][:36]
    r = await app.post("/login/sso", data={"agency_id": agency_id, "next": "/", "_csrf_token": csrf(page.text)},
                       follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    return r.headers["location"]


async def test_sso_signs_in_an_existing_user_and_creates_nobody(oidc_provider, settings_env, factory, sessionmaker,
                                                                signin_log):
    agency = await factory.agency("vdab", unique("VDAB SSO"))
    user = await factory.person(agency_id=agency, roles=("worker",), password=PASSWORD)
    other_agency_user = await factory.person(roles=("worker",))
    out = configure(settings_env, agency, oidc_provider.issuer)
    assert out["password_sign_in"] == "aan"
    async with sessionmaker() as s:
        row = await s.scalar(select(AgencyIdentityProvider).where(AgencyIdentityProvider.agency_id == agency))
        agency_name = (await s.get(Agency, agency)).name
        users_before = await s.scalar(select(func.count()).select_from(User))
    assert SECRET not in row.client_secret_sealed and unseal(row.client_secret_sealed) == SECRET

    async with app_client() as app:
        back = await through_provider(await sso_start(app, agency_name),
                                      account(email=user.email.upper(), email_verified=True))
        r = await app.get(app_path(back), follow_redirects=False)
        # A partner worker (no coordinator role) lands on the work list.
        assert r.status_code in (302, 303) and r.headers["location"] == "/afspraken", r.text
        home = await app.get("/")
        assert home.status_code == 200 and user.name in home.text

    async with app_client() as app:
        # Unknown address at the right provider: a clear refusal, no account made.
        back = await through_provider(await sso_start(app, agency_name),
                                      account(email="nieuw.persoon@test.w2", email_verified=True))
        r = await app.get(app_path(back))
        assert r.status_code == 403 and "geen actieve account" in r.text
        assert (await app.get("/", follow_redirects=False)).status_code in (302, 303)
        # A real user, but of another agency: that provider does not speak for them.
        back = await through_provider(await sso_start(app, agency_name),
                                      account(email=other_agency_user.email, email_verified=True))
        assert (await app.get(app_path(back))).status_code == 403
        # An address the provider does not vouch for.
        signin_log.clear()
        back = await through_provider(await sso_start(app, agency_name),
                                      account(email=user.email, email_verified=False))
        assert (await app.get(app_path(back))).status_code == 400
        assert signin_log == ["staff sign-in refused: email_not_verified"]
        assert (await app.get("/", follow_redirects=False)).status_code in (302, 303)
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(User)) == users_before
        assert await s.scalar(select(User.id).where(User.email == "nieuw.persoon@test.w2")) is None


async def test_password_sign_in_switched_off_per_agency(oidc_provider, settings_env, factory):
    agency = await factory.agency("ocmw", unique("OCMW SSO"))
    user = await factory.person(agency_id=agency, roles=("coordinator",), password=PASSWORD)
    elsewhere = await factory.person(roles=("coordinator",), password=PASSWORD)
    out = configure(settings_env, agency, oidc_provider.issuer, "agency-b", "--password-sign-in", "off")
    assert out["password_sign_in"] == "uit"
    async with app_client() as app:
        page = await app.get("/login")
        assert "Een wachtwoord werkt voor jou niet" in page.text
        r = await app.post("/login", data={"email": user.email, "password": PASSWORD, "_csrf_token": csrf(page.text)},
                           follow_redirects=False)
        assert r.status_code == 403 and "laat aanmelden met een wachtwoord niet toe" in r.text
        assert (await app.get("/", follow_redirects=False)).status_code in (302, 303)
        # Other agencies keep their passwords.
        r = await app.post("/login", data={"email": elsewhere.email, "password": PASSWORD,
                                           "_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/"


async def test_cli_refuses_plain_http_issuers_and_unknown_agencies(settings_env, factory):
    agency = await factory.agency()
    r = w2(["agencies", "oidc", "--agency-id", str(agency), "--issuer", "http://idp.example.be", "--client-id", "x",
            "--client-secret-stdin"], settings_env, stdin="s\n")
    assert r.returncode == 2 and "https" in r.stderr
    r = w2(["agencies", "oidc", "--agency-id", "00000000-0000-0000-0000-000000000000", "--issuer",
            "https://idp.example.be", "--client-id", "x", "--client-secret-stdin"], settings_env, stdin="s\n")
    assert r.returncode == 2 and "geen dienst" in r.stderr
