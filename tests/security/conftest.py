"""A real uvicorn server with its own sign-in counters, for tests that need truly parallel requests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.server import uvicorn_server


@pytest.fixture(scope="module")
def real_server(settings_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free port (own queue name, so its counters are its own)."""
    log = tmp_path_factory.mktemp("secserver") / "uvicorn.log"
    with uvicorn_server(settings_env, log, W2_QUEUE=f"sec-{uuid.uuid4().hex[:8]}") as base:
        yield base
