"""The API through a real PgBouncer (transaction pooling) on localhost: scopes never leak between callers."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from tests.conftest import free_port
from tests.consent.helpers import add_agreement, grant, make_case

ROOT = Path(__file__).resolve().parents[2]
PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None)


@pytest.fixture(scope="module")
def bouncer(settings_env: dict[str, str]) -> Any:
    """pgbouncer in transaction mode in front of the test database, two server connections only."""
    if PGBOUNCER is None:
        subprocess.run(["bash", str(ROOT / "scripts/ensure-pgbouncer.sh")], check=False)
    exe = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    assert os.path.exists(exe), "pgbouncer is not installed (scripts/ensure-pgbouncer.sh)"
    app = make_url(settings_env["W2_DATABASE_URL"])
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="w2-pgbouncer-"))
    (work / "users.txt").write_text(f'"{app.username}" ""\n')
    (work / "pgbouncer.ini").write_text(f"""[databases]
{app.database} = host={app.host or '127.0.0.1'} port={app.port or 5432} dbname={app.database}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {work / 'users.txt'}
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = {work / 'pgbouncer.log'}
pidfile = {work / 'pgbouncer.pid'}
""")
    os.chmod(work, 0o777)
    for f in work.iterdir():
        os.chmod(f, 0o666)
    cmd = [exe, str(work / "pgbouncer.ini")]
    if os.geteuid() == 0:
        cmd[1:1] = ["-u", "nobody"]  # pgbouncer refuses to run as root
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    import socket

    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read().decode() if proc.stdout else "pgbouncer exited")
        time.sleep(0.2)
    yield app.set(host="127.0.0.1", port=port).render_as_string(hide_password=False), work / "pgbouncer.log"
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(work, ignore_errors=True)


async def test_api_through_pgbouncer_keeps_each_scope(bouncer: tuple[str, Path], client, factory) -> None:
    from w2.platform.boot.app import create_app
    from w2.platform.settings import get_settings

    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    await grant(client, case, p.agency_id, ["housing"])
    await grant(client, case, q.agency_id, ["health"])
    a = await add_agreement(client, case, "housing", p.agency_id)
    b = await add_agreement(client, case, "health", q.agency_id)

    url, log = bouncer
    st = replace(get_settings(), database_url=url, database_pgbouncer=True)
    app = create_app(st)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as bc:
        async def read(person: Any) -> set[str]:
            r = await bc.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=person.headers)
            assert r.status_code == 200, r.text
            return {i["id"] for i in r.json()["items"]}

        # Many callers at once over two server connections: each transaction carries its own scope.
        people = [p, q, case.coord] * 10
        results = await asyncio.gather(*(read(x) for x in people))
        want = {p.agency_id: {a["id"]}, q.agency_id: {b["id"]}, case.coord.agency_id: {a["id"], b["id"]}}
        for person, got in zip(people, results, strict=True):
            assert got == want[person.agency_id]
        r = await bc.get("/api/v1/agreements", params={"owner": "my_agency"}, headers=p.headers)
        assert [i["id"] for i in r.json()["items"]] == [a["id"]]
        # Writes go through too (the access log, a note).
        r = await bc.patch(f"/api/v1/agreements/{a['id']}", json={"note": "via pgbouncer"}, headers=p.headers)
        assert r.status_code == 200, r.text
    assert "login attempt" in log.read_text()  # the traffic did go through PgBouncer
