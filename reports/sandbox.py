"""Rendering with limits: a long-lived child process (memory cap, per-job timeout) that keeps fonts and CSS warm.

The parent talks to it over pipes with length-prefixed msgpack frames. A job that runs past its time is
killed with the whole child, which is restarted for the next job; a job that exceeds the memory cap fails
inside the child. Works the same in the web process, a Celery prefork child or a solo worker thread.
"""

from __future__ import annotations

import os
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import msgspec

from w2.platform import i18n
from w2.platform.settings import get_settings
from w2.reports.schemas import (
    CompetenceCardContent,
    DrawingContent,
    IntegratedContent,
    ProgressContent,
    ReportContent,
    TrajectoryContent,
)

_HEADER = struct.Struct(">I")


class RenderError(Exception):
    """A rendering job failed (bad input, out of memory, or the child died)."""


class RenderTimeout(RenderError):
    """A rendering job ran past its time limit; the child was killed."""


def _limits() -> tuple[float, int]:
    st = get_settings()
    return st.render_timeout_seconds, st.render_memory_mb


class Job(msgspec.Struct, kw_only=True):
    """One document to render."""

    op: str  # report | easy_read | progress
    report: ReportContent | None = None
    progress: ProgressContent | None = None
    trajectory: TrajectoryContent | None = None
    card: CompetenceCardContent | None = None
    integrated: IntegratedContent | None = None
    drawing: DrawingContent | None = None
    allowed: list[str] | None = None
    recipient: str | None = None
    language: str = "nl"


class Reply(msgspec.Struct, kw_only=True):
    """The child's answer."""

    ok: bool
    pdf: bytes = b""
    error: str = ""


_encoder = msgspec.msgpack.Encoder()


def _write(fd: int, payload: bytes) -> None:
    data = _HEADER.pack(len(payload)) + payload
    while data:
        n = os.write(fd, data)
        data = data[n:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    buf = bytearray()
    while len(buf) < size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(1 << 20, size - len(buf)))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


class Sandbox:
    """One child process; one job at a time (a lock serialises threads)."""

    def __init__(self, memory_mb: int | None = None) -> None:
        self.memory_mb = memory_mb or _limits()[1]
        self.proc: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ, W2_RENDER_MEMORY_MB=str(self.memory_mb))
        # The child reads the same catalogues as this (wired) process: their folders are its arguments.
        folders = [str(folder) for folder in i18n.CATALOGUE_DIRS]
        return subprocess.Popen([sys.executable, "-m", "w2.reports.sandbox", *folders], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env, close_fds=True)

    def kill(self) -> None:
        """Stop the child now."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def run(self, job: Job, timeout: float | None = None) -> bytes:
        """Render one job; raises RenderTimeout or RenderError."""
        limit = timeout if timeout is not None else _limits()[0]
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = self._start()
            assert self.proc.stdin is not None and self.proc.stdout is not None
            deadline = time.monotonic() + limit
            try:
                _write(self.proc.stdin.fileno(), _encoder.encode(job))
                size = _HEADER.unpack(_read_exact(self.proc.stdout.fileno(), _HEADER.size, deadline))[0]
                reply = msgspec.msgpack.decode(_read_exact(self.proc.stdout.fileno(), size, deadline), type=Reply)
            except TimeoutError:
                self.kill()
                raise RenderTimeout(f"rendering took longer than {limit:g} s") from None
            except (EOFError, BrokenPipeError, OSError) as exc:
                self.kill()
                raise RenderError(f"renderer stopped: {type(exc).__name__}") from None
        if not reply.ok:
            raise RenderError(reply.error)
        return reply.pdf


_sandboxes: dict[int, Sandbox] = {}


def sandbox() -> Sandbox:
    """This process's sandbox (a forked process starts its own)."""
    pid = os.getpid()
    if pid not in _sandboxes:
        _sandboxes.clear()
        _sandboxes[pid] = Sandbox()
    return _sandboxes[pid]


def render_report(content: ReportContent, allowed: set[str] | None, recipient: str | None,
                  timeout: float | None = None, language: str = "nl") -> bytes:
    """A recipient's report PDF, rendered under limits."""
    return sandbox().run(Job(op="report", report=content, allowed=sorted(allowed) if allowed is not None else None,
                             recipient=recipient, language=language), timeout)


def render_easy_read(content: ReportContent, language: str, timeout: float | None = None) -> bytes:
    """The job seeker's easy-read PDF, rendered under limits."""
    return sandbox().run(Job(op="easy_read", report=content, language=language), timeout)


def render_progress(content: ProgressContent, language: str = "nl", timeout: float | None = None) -> bytes:
    """The voortgang PDF, rendered under limits."""
    return sandbox().run(Job(op="progress", progress=content, language=language), timeout)


def render_trajectory(content: TrajectoryContent, easy: bool, language: str = "nl",
                      timeout: float | None = None) -> bytes:
    """The printed trajectovereenkomst (or its easy-read copy), rendered under limits."""
    return sandbox().run(Job(op="trajectory_easy" if easy else "trajectory", trajectory=content,
                             language=language), timeout)


def render_card(content: CompetenceCardContent, language: str = "nl", timeout: float | None = None) -> bytes:
    """A one-page competence card, rendered under limits."""
    return sandbox().run(Job(op="card", card=content, language=language), timeout)


def render_integrated(content: IntegratedContent, easy: bool, language: str = "nl",
                      timeout: float | None = None) -> bytes:
    """The integrated work-welfare report (or its easy-read copy), rendered under limits."""
    return sandbox().run(Job(op="integrated_easy" if easy else "integrated", integrated=content, language=language),
                         timeout)


def render_drawing(content: DrawingContent, language: str = "nl", timeout: float | None = None) -> bytes:
    """A shared drawing on one page, rendered under limits."""
    return sandbox().run(Job(op="drawing", drawing=content, language=language), timeout)


def _serve() -> None:
    """Child main loop: apply the memory cap, then render jobs until stdin closes."""
    import resource

    cap = get_settings().render_memory_mb * 1024 * 1024  # the parent sets W2_RENDER_MEMORY_MB for this child
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    for folder in sys.argv[1:]:
        i18n.register_catalogue_dir(Path(folder))
    from w2.reports.render import get_renderer

    # Frames go over a private copy of stdout; anything a library prints lands on stderr instead.
    fin, fout = sys.stdin.buffer.fileno(), os.dup(1)
    os.dup2(2, 1)
    renderer = get_renderer()
    decoder = msgspec.msgpack.Decoder(Job)
    while True:
        try:
            size = _HEADER.unpack(_read_exact(fin, _HEADER.size, None))[0]
            job = decoder.decode(_read_exact(fin, size, None))
        except EOFError:
            return
        try:
            reply = Reply(ok=True, pdf=_do(renderer, job))
        except MemoryError:
            reply = Reply(ok=False, error="out of memory")
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which records it
            reply = Reply(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        _write(fout, _encoder.encode(reply))


def _do(renderer: Any, job: Job) -> bytes:
    if job.op == "report" and job.report is not None:
        allowed = set(job.allowed) if job.allowed is not None else None
        return renderer.report(job.report, allowed=allowed, recipient=job.recipient, language=job.language)
    if job.op == "easy_read" and job.report is not None:
        return renderer.easy_read(job.report, job.language)
    if job.op == "progress" and job.progress is not None:
        return renderer.progress(job.progress, job.language)
    if job.op in ("trajectory", "trajectory_easy") and job.trajectory is not None:
        return renderer.trajectory(job.trajectory, job.language, easy=job.op == "trajectory_easy")
    if job.op in ("integrated", "integrated_easy") and job.integrated is not None:
        return renderer.integrated(job.integrated, job.language, easy=job.op == "integrated_easy")
    if job.op == "card" and job.card is not None:
        return renderer.card(job.card, job.language)
    if job.op == "drawing" and job.drawing is not None:
        return renderer.drawing(job.drawing, job.language)
    raise ValueError(f"unknown job {job.op}")


if __name__ == "__main__":
    _serve()
