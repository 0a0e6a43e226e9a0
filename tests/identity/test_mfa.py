"""A second factor for admins' password sign-ins: enrolment by QR code, TOTP codes, one-time recovery codes."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from tests.identity.conftest import app_client, csrf, plant_session
from w2.platform.identity.models import RecoveryCode, UserTotp

PASSWORD = "een-sterk-beheerderswachtwoord"


async def password_sign_in(app, email: str, password: str = PASSWORD):
    page = await app.get("/login")
    return await app.post("/login", data={"email": email, "password": password, "_csrf_token": csrf(page.text)},
                          follow_redirects=False)


async def sign_out(app) -> None:
    home = await app.get("/")
    await app.post("/logout", data={"_csrf_token": csrf(home.text)})
    app.cookies.clear()


async def submit_code(app, path: str, code: str):
    page = await app.get(path)
    return await app.post(path, data={"code": code, "_csrf_token": csrf(page.text)}, follow_redirects=False)


def step_code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def test_admin_enrols_then_signs_in_with_code_and_recovery_code_once(factory, sessionmaker):
    admin = await factory.person(roles=("agency_admin", "coordinator"), password=PASSWORD)
    async with app_client() as app:
        r = await password_sign_in(app, admin.email)
        assert r.status_code in (302, 303) and r.headers["location"] == "/login/tweede-stap/instellen"
        # Enforced: with only the password, nothing else opens.
        assert (await app.get("/", follow_redirects=False)).headers["location"].startswith("/login")
        assert (await app.get("/login/tweede-stap", follow_redirects=False)).headers["location"] == \
            "/login/tweede-stap/instellen"

        page = await app.get("/login/tweede-stap/instellen")
        assert page.status_code == 200 and "<svg" in page.text and "QR-code" in page.text
        assert "http" not in re.search(r"<svg.*?</svg>", page.text, re.S).group(0).replace(
            "http://www.w3.org/2000/svg", "")  # drawn here, nothing fetched
        secret = re.search(r'<code class="secret" id="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
        bad = await app.post("/login/tweede-stap/instellen", data={"code": "000000", "_csrf_token": csrf(page.text)})
        assert bad.status_code == 400 and "klopt niet" in bad.text
        first = step_code(secret)
        r = await app.post("/login/tweede-stap/instellen", data={"code": first, "_csrf_token": csrf(page.text)})
        assert r.status_code == 200 and "herstelcodes" in r.text
        codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", r.text)
        assert len(codes) == 10
        home = await app.get("/", follow_redirects=False)
        assert home.status_code == 200 and admin.name in home.text
        await sign_out(app)

    async with sessionmaker() as s:
        row = await s.get(UserTotp, admin.user_id)
        hashes = (await s.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == admin.user_id))).all()
    assert row is not None and secret not in row.secret_sealed
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)

    async with app_client() as app:
        r = await password_sign_in(app, admin.email)
        assert r.headers["location"] == "/login/tweede-stap"
        assert (await app.get("/", follow_redirects=False)).status_code in (302, 303)
        # The code used at enrolment does not work a second time; the next one does.
        used = await submit_code(app, "/login/tweede-stap", first)
        assert used.status_code == 400 and "klopt niet" in used.text
        r = await submit_code(app, "/login/tweede-stap", step_code(secret, 1))
        assert r.status_code in (302, 303) and r.headers["location"] == "/"
        assert (await app.get("/")).status_code == 200
        await sign_out(app)

        await password_sign_in(app, admin.email)
        r = await submit_code(app, "/login/tweede-stap", codes[0].upper().replace("-", " "))
        assert r.status_code == 200 and "nog 9 herstelcodes" in r.text
        assert (await app.get("/", follow_redirects=False)).status_code == 200
        await sign_out(app)

        await password_sign_in(app, admin.email)
        again = await submit_code(app, "/login/tweede-stap", codes[0])
        assert again.status_code == 400
        assert (await app.get("/", follow_redirects=False)).status_code in (302, 303)


async def test_enrolment_cannot_be_redone_with_only_a_password(factory):
    admin = await factory.person(roles=("platform_admin",), password=PASSWORD)
    async with app_client() as app:
        await password_sign_in(app, admin.email)
        page = await app.get("/login/tweede-stap/instellen")
        secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
        await app.post("/login/tweede-stap/instellen", data={"code": step_code(secret),
                                                             "_csrf_token": csrf(page.text)})
        await sign_out(app)
        # Someone with the password only is sent to the code, never to a fresh QR code.
        r = await password_sign_in(app, admin.email)
        assert r.headers["location"] == "/login/tweede-stap"
        r = await app.get("/login/tweede-stap/instellen", follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/login/tweede-stap"


async def test_five_wrong_codes_stop_the_attempt(factory):
    admin = await factory.person(roles=("agency_admin",), password=PASSWORD)
    async with app_client() as app:
        await password_sign_in(app, admin.email)
        page = await app.get("/login/tweede-stap/instellen")
        for _ in range(5):
            r = await app.post("/login/tweede-stap/instellen", data={"code": "123456", "_csrf_token": csrf(page.text)})
            assert r.status_code == 400
        r = await app.post("/login/tweede-stap/instellen", data={"code": "123456", "_csrf_token": csrf(page.text)},
                           follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/login"
        assert "Te veel mislukte pogingen" in (await app.get("/login")).text


async def test_workers_sign_in_without_second_step_and_admin_tokens_are_unchanged(client, factory):
    worker = await factory.person(roles=("coordinator", "worker"), password=PASSWORD)
    admin = await factory.person(roles=("platform_admin",), password=PASSWORD)
    async with app_client() as app:
        r = await password_sign_in(app, worker.email)
        assert r.status_code in (302, 303) and r.headers["location"] == "/"
        assert (await app.get("/")).status_code == 200
    me = await client.get("/api/v1/me", headers=admin.headers)
    assert me.status_code == 200 and me.json()["id"] == str(admin.user_id)


async def test_an_admin_page_session_without_second_factor_is_not_honoured(factory):
    """Defence in depth: whatever path made it, an admin's session counts only with `auth` mfa or sso."""
    admin = await factory.person(roles=("platform_admin",), password=PASSWORD)
    worker = await factory.person(roles=("worker",), password=PASSWORD)
    now = int(time.time())
    async with app_client() as app:
        for data, person, honoured in (({"user_id": str(admin.user_id), "signed_in_at": now}, admin, False),
                                       ({"user_id": str(admin.user_id), "signed_in_at": now, "auth": "password"},
                                        admin, False),
                                       ({"user_id": str(admin.user_id), "signed_in_at": now, "auth": "mfa"},
                                        admin, True),
                                       ({"user_id": str(admin.user_id), "signed_in_at": now, "auth": "sso"},
                                        admin, True),
                                       ({"user_id": str(worker.user_id), "signed_in_at": now}, worker, True)):
            app.cookies.clear()
            await plant_session(app, data)
            r = await app.get("/", follow_redirects=False)
            assert (r.status_code == 200 and person.name in r.text) is honoured, (data, r.status_code)
