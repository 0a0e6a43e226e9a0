"""Test fixtures on real parts: a fresh PostgreSQL database per run, Redis, an SMTP server, the app."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import asyncpg
import pytest
from aiosmtpd.controller import Controller
from litestar.testing import AsyncTestClient

from w2.platform.boot.wiring import wire

# As the web app, the worker and the CLI do at start: channels, send-time checks, mail kinds, hooks, catalogues.
wire()

PG_BASE = os.environ.get("W2_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("W2_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_ID = uuid.uuid4().hex[:10]
# The app under test connects as this role: it neither owns the tables nor bypasses row-level
# security (created by `upgrade()` on first use; roles are cluster-wide, so runs share it).
APP_ROLE = os.environ.get("W2_TEST_APP_ROLE", "w2_app_test")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dsn(url: str, dbname: str | None = None) -> str:
    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    if dbname:
        plain = plain.rsplit("/", 1)[0] + "/" + dbname
    return plain


class Mailbox:
    """Messages received by the test SMTP server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to `address`."""
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    async def wait_for(self, count: int, timeout: float = 90.0, address: str | None = None) -> list[EmailMessage]:
        """Wait until at least `count` messages (to `address`) arrived."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while loop.time() < end:
            got = self.to(address) if address else self.messages
            if len(got) >= count:
                return got
            await asyncio.sleep(0.1)
        got = self.to(address) if address else self.messages
        raise AssertionError(f"expected {count} message(s), got {len(got)}")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server (aiosmtpd) for the whole run."""
    box = Mailbox()
    port = free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    yield box, port
    ctl.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[Mailbox, int]) -> Mailbox:
    """The SMTP server's mailbox, emptied for this test."""
    box, _ = smtp_server
    box.messages.clear()
    return box


def app_url_for(owner_url: str) -> str:
    """The same database, reached as the non-owner app role."""
    from sqlalchemy.engine import make_url

    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated to head (URL of the owner, for migrations)."""
    name = f"w2_test_{RUN_ID}"

    async def create() -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(create())
    url = PG_BASE.rsplit("/", 1)[0] + "/" + name
    from w2.platform.db.migrate import upgrade

    upgrade(url, app_url=app_url_for(url))
    yield url
    asyncio.run(drop())


@pytest.fixture(scope="session")
def settings_env(database_url: str, smtp_server: tuple[Mailbox, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment for the app under test: PostgreSQL, Redis broker, the test SMTP server."""
    env = {
        "W2_DATABASE_URL": app_url_for(database_url),
        "W2_MIGRATION_DATABASE_URL": database_url,
        "W2_BROKER_URL": REDIS_URL,
        "W2_SMTP_URL": f"smtp://127.0.0.1:{smtp_server[1]}",
        "W2_BASE_URL": "http://testserver.local",
        "W2_SECRET_KEY": "test-secret-" + RUN_ID,
        "W2_STORAGE_DIR": str(tmp_path_factory.mktemp("storage")),
        "W2_QUEUE": f"w2-test-{RUN_ID}",
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from w2.platform.settings import get_settings

    get_settings.cache_clear()
    yield env
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()


@pytest.fixture(scope="session")
async def app(settings_env: dict[str, str]) -> Any:
    """The web app, configured for the test environment."""
    from w2.platform.boot.app import create_app

    return create_app()


@pytest.fixture(scope="session")
async def client(app: Any) -> AsyncIterator[AsyncTestClient[Any]]:
    """An HTTP client speaking to the app in-process (real routing, middleware and database)."""
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture(scope="session")
async def sessionmaker(settings_env: dict[str, str]) -> AsyncIterator[Any]:
    """Direct database sessions for arranging data, on the test's own loop (as the migration owner)."""
    from w2.platform.db.engine import make_engine, make_sessionmaker

    engine = make_engine(settings_env["W2_MIGRATION_DATABASE_URL"], pooled=False)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def celery_worker(settings_env: dict[str, str]) -> Iterator[Any]:
    """A real Celery worker (solo pool, in a thread) consuming from Redis."""
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the ping check
    from celery.contrib.testing.worker import start_worker

    from w2.platform.boot.worker import configure

    app = configure()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING") as w:
        yield w


from tests.factories import *  # noqa: E402,F401,F403 - factory fixtures for every test module
