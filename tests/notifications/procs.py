"""Real worker and beat processes for reliability tests (the `w2` CLI in subprocesses)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# Short delays so retries, re-drives and beat ticks happen within seconds.
FAST = {
    "W2_BEAT_SECONDS": "1",
    "W2_OUTBOX_BACKOFF_SECONDS": "0.3",
    "W2_OUTBOX_BACKOFF_CAP_SECONDS": "2",
    "W2_OUTBOX_MAX_ATTEMPTS": "3",
    "W2_OUTBOX_REDRIVE_SECONDS": "5",
    "W2_DIGEST_HOUR": "any",
    "PYTHONUNBUFFERED": "1",
}


def descendants(pid: int) -> list[int]:
    """Child processes (recursively) of pid, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    """True while pid runs (and is not a zombie)."""
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


class Procs:
    """Starts and stops the processes of one test; everything it started is ended at close."""

    def __init__(self, logdir: Path, **overrides: str) -> None:
        self.logdir = logdir
        self.env = {**os.environ, **FAST, **overrides}
        self.started: list[subprocess.Popen[bytes]] = []

    def spawn(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """Run `python -m w2.platform.boot.cli <args>` with the test environment."""
        log = open(self.logdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        p = subprocess.Popen([sys.executable, "-m", "w2.platform.boot.cli", *args], env={**self.env, **env},
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.started.append(p)
        return p

    def worker(self, name: str = "worker", **env: str) -> subprocess.Popen[bytes]:
        """A prefork worker with two children, as in production."""
        return self.spawn(name, "worker", "--pool", "prefork", "--concurrency", "2", "--loglevel", "WARNING", **env)

    def beat(self, name: str = "beat", **env: str) -> subprocess.Popen[bytes]:
        """A beat process (its own schedule file under its own storage folder)."""
        storage = self.logdir / f"{name}-storage"
        storage.mkdir(exist_ok=True)
        return self.spawn(name, "beat", "--loglevel", "INFO", **{"W2_STORAGE_DIR": str(storage), **env})

    def sigkill(self, p: subprocess.Popen[bytes]) -> list[int]:
        """SIGKILL the main process; its pool children lose their parent and end on their own."""
        children = descendants(p.pid)
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        end = time.monotonic() + 15
        while any(alive(c) for c in children) and time.monotonic() < end:
            time.sleep(0.1)
        for c in children:  # still there after 15 s: they are ours, end them
            if alive(c):
                os.kill(c, signal.SIGKILL)
        return children

    def stop(self, p: subprocess.Popen[bytes]) -> None:
        """Ask politely, then insist; children included."""
        children = descendants(p.pid)
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for c in children:
            if alive(c):
                os.kill(c, signal.SIGKILL)

    def close(self) -> None:
        """End everything this helper started."""
        for p in self.started:
            self.stop(p)

    def log(self, name: str) -> str:
        """What a process wrote."""
        f = self.logdir / f"{name}.log"
        return f.read_text(errors="replace") if f.exists() else ""


async def until(predicate: Any, timeout: float, interval: float = 0.2, what: str = "condition") -> Any:
    """Poll an async predicate until it returns something truthy."""
    end = time.monotonic() + timeout
    while True:
        got = await predicate()
        if got:
            return got
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(interval)
