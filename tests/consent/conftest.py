"""Fixtures for the policy tests: the two backends (PostgreSQL as the non-owner app role, and SQLite)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An aiosqlite database file in tmp, migrated with upgrade()."""
    from w2.platform.db.migrate import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'policy.db'}"
    upgrade(url, app_url=url)
    return url


@pytest.fixture(params=["postgresql", "sqlite"])
def backend_url(request: Any, settings_env: dict[str, str], sqlite_url: str) -> str:
    """The database URL the app would use, per backend."""
    return settings_env["W2_DATABASE_URL"] if request.param == "postgresql" else sqlite_url


@pytest.fixture
async def harness(backend_url: str) -> Any:
    """Service harness on the chosen backend."""
    from tests.consent.harness import Harness

    h = Harness(backend_url)
    yield h
    await h.close()
