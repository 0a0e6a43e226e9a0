"""One way to serve the app under test with a real uvicorn process (browser tests, parallel and fuzz tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[1]


@contextmanager
def uvicorn_server(settings_env: dict[str, str], log: Path, **extra_env: str) -> Iterator[str]:
    """The app on a free loopback port, on the test database; yields its base URL.

    `extra_env` adds or overrides W2_* variables (e.g. its own queue name, so its counters are its own).
    A traceback in the server's log is echoed to stderr at the end, so a 500 never goes unexplained.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **settings_env, "W2_BASE_URL": base, **extra_env}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "w2.platform.boot.app:app_from_env", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        last = ""
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5):
                    break
            except urllib.error.HTTPError:
                break  # it answers: the server is up
            except Exception as exc:  # noqa: BLE001 - keep polling until the deadline
                last = f"{type(exc).__name__}: {exc}"
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start ({last}):\n"
                                       + log.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        text = log.read_text(errors="replace") if log.exists() else ""
        if "Traceback" in text:
            sys.stderr.write("--- uvicorn log ---\n" + text[-5000:])
