"""A plain progress bar on standard error (a carriage-return line on a terminal, a log line otherwise)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m:02d}:{s:02d}"


class Progress:
    """Shows done/total, elapsed and estimated remaining time."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = max(1, total)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.monotonic()
        self.tty = self.stream.isatty()
        self._last_line = -1.0

    def elapsed(self) -> float:
        """Seconds since start."""
        return time.monotonic() - self.start

    def update(self, done: int, extra: str = "") -> None:
        """Redraw for `done` units."""
        frac = min(1.0, done / self.total)
        el = self.elapsed()
        eta = el / frac - el if frac > 0 else 0.0
        bar = "#" * int(frac * self.width) + "-" * (self.width - int(frac * self.width))
        line = f"{self.label} [{bar}] {frac:4.0%} {done}/{self.total} {extra} {_clock(el)} (nog ~{_clock(eta)})"
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
        elif done >= self.total or el - self._last_line >= 5:
            self._last_line = el
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        """A line of its own (a phase change)."""
        prefix = "\n" if self.tty else ""
        self.stream.write(f"{prefix}{message} ({_clock(self.elapsed())})\n")
        self.stream.flush()
