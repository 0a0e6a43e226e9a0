"""Logs are JSON lines with a request id, and no national number, name, e-mail, phone or token ever
reaches them: through a real server's requests and errors, and through tasks."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port
from w2.platform import rrn

ROOT = Path(__file__).resolve().parents[2]


def _secrets() -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    return {"family_name": f"Logvrij{tag}", "email": f"zoe.{tag}@voorbeeld.be", "phone": "+32 470 12 34 56",
            "national_number": rrn.make(date(1990, 2, 3), int(tag[:3], 16) % 997 + 1)}


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    digits = secrets["national_number"].replace(".", "").replace("-", "")
    found = [k for k, v in secrets.items() if v in text]
    if digits in text.replace(".", "").replace("-", "").replace(" ", ""):
        found.append("national_number (digits)")
    if "470123456" in text.replace(" ", ""):
        found.append("phone (digits)")
    return found


@pytest.fixture
def server(settings_env, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, **settings_env, "W2_LOG_FORMAT": "json"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "w2.platform.boot.cli", "serve", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base, log
    proc.terminate()
    proc.wait(10)


async def test_server_logs_are_json_with_request_ids_and_no_personal_data(server, factory):
    base, log = server
    coord = await factory.person(roles=("coordinator", "worker"))
    s = _secrets()
    body = {"jobseeker": {"given_name": "Zoë", **s}}
    async with httpx.AsyncClient(base_url=base, headers=coord.headers) as c:
        first = await c.post("/api/v1/workspaces", json=body)
        assert first.status_code == 201, first.text
        again = await c.post("/api/v1/workspaces", json=body, headers={"X-Request-ID": "trace-me-12345678"})
        assert again.headers["x-request-id"] == "trace-me-12345678"
        assert first.headers["x-request-id"] != again.headers["x-request-id"]
        await c.get("/api/v1/workspaces", params={"q": s["family_name"], "email": s["email"]})
        fake_token = "Xk9" + uuid.uuid4().hex + "_Q7"
        await c.get(f"/portal/in/{fake_token}")
        await c.get("/login", params={"token": fake_token})
    await asyncio.sleep(0.5)
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    assert any(ln.get("request_id") == "trace-me-12345678" for ln in lines), text[-2000:]
    assert any(s["family_name"][:7] in json.dumps(ln) or "workspaces" in ln["msg"] for ln in lines)
    assert _leaks(text, s) == [], text[-3000:]
    assert fake_token not in text


class RefuseRecipients:
    """An SMTP server that refuses every recipient, naming the address (as real servers do)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        return f"550 5.1.1 <{address}>: Recipient address rejected: user unknown"


async def test_task_logs_carry_the_request_id_and_no_address(settings_env, sessionmaker, celery_worker):
    from w2.platform.ops.logs import configure_logging, request_id
    from w2.platform.outbox import enqueue
    from w2.platform.settings import get_settings

    buf = io.StringIO()
    configure_logging("json", "INFO", stream=buf)
    port = free_port()
    ctl = Controller(RefuseRecipients(), hostname="127.0.0.1", port=port)
    ctl.start()
    old = os.environ["W2_SMTP_URL"]
    os.environ["W2_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    get_settings.cache_clear()
    s = _secrets()
    try:
        # A message enqueued during a request keeps that request's id through its delivery.
        token = request_id.set("req-enqueue-0001")
        async with sessionmaker() as session, session.begin():
            msg = await enqueue(session, key=f"logtest-{uuid.uuid4()}", kind="member_added",
                                to_address=s["email"], params={"name": "x", "link": "https://w2.invalid/"})
        request_id.reset(token)
        # Published under another request id: the worker's log lines carry the row's id.
        from w2.platform.tasks import deliver

        token = request_id.set("req-publish-0002")
        deliver.delay(str(msg.id))
        request_id.reset(token)
        for _ in range(100):
            if "req-enqueue-0001" in buf.getvalue():
                break
            await asyncio.sleep(0.2)
    finally:
        os.environ["W2_SMTP_URL"] = old
        get_settings.cache_clear()
        ctl.stop()
    text = buf.getvalue()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    failed = [ln for ln in lines if "attempt" in ln["msg"] and ln.get("request_id") == "req-enqueue-0001"]
    assert failed, text[-2000:]
    assert "[e-mail]" in failed[0]["msg"]
    assert _leaks(text, s) == []


async def test_error_logs_leave_out_what_the_database_echoes(settings_env, sessionmaker, factory):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from w2.platform.errors import integrity_pd, internal_pd
    from w2.platform.ops.logs import configure_logging

    buf = io.StringIO()
    configure_logging("json", "INFO", stream=buf)
    person = await factory.person()
    s = _secrets()
    try:
        async with sessionmaker() as session, session.begin():
            await session.execute(text("INSERT INTO app_user (id, agency_id, email, name, roles, active, preferred_language, created_at) "
                                       "VALUES (:id, :a, :e, :n, '[]', true, 'nl', now())"),
                                  {"id": uuid.uuid4(), "a": person.agency_id, "e": person.email,
                                   "n": s["family_name"] + " " + s["national_number"]})
    except IntegrityError as exc:
        integrity_pd(exc)
        internal_pd(exc)
    else:
        raise AssertionError("the duplicate e-mail was accepted")
    text_ = buf.getvalue()
    assert "unhandled error" in text_ and "IntegrityError" in text_
    assert person.email not in text_ and s["family_name"] not in text_ and _leaks(text_, s) == []


def test_scrubber_catches_each_kind():
    from w2.platform.ops.logs import scrub

    assert scrub("rrn 90.02.03-123.45 x") == "rrn [rijksregisternummer] x"
    assert scrub("mail a.b@c.be") == "mail [e-mail]"
    assert scrub("bel 0470 12 34 56") == "bel [telefoon]"
    assert scrub('"GET /portal/in/abcDEF123456789012345678_x HTTP/1.1" 200') == '"GET /portal/in/[token] HTTP/1.1" 200'
    assert scrub("Authorization: Bearer abc.def") == "Authorization: Bearer [token]"
    # Ids stay readable: they are how an operator follows a request.
    rid = "3f2a1b4c-1234-4abc-8def-0123456789ab"
    assert scrub(f"workspace {rid}") == f"workspace {rid}"


def test_the_default_handler_follows_a_swapped_stderr(monkeypatch):
    # A handler that kept the stderr of its moment wrote "I/O operation on closed file" once a test
    # runner had closed that stream; the default handler writes to sys.stderr as it is now.
    import io
    import logging
    import sys

    from w2.platform.ops.logs import configure_logging

    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler = configure_logging(fmt="text")
    first.close()
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    try:
        logging.getLogger("w2.test").warning("na de wissel")
        written = second.getvalue()
        assert "Logging error" not in written
        assert written.rstrip().endswith("w2.test: na de wissel")
    finally:
        logging.getLogger().removeHandler(handler)
