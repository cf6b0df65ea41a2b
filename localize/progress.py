"""The progress bar of a long step: the only place that draws one.

A step reports ``(done, total)`` after each article through its ``on_progress``
argument; ``ProgressBar`` turns that into one line on the terminal, redrawn in
place: ``extract  412/1,000 articles [########........]  41%  38.2/s  0:15 left``.
It shows only on a terminal (stderr is one), never in CI logs (the ``CI``
variable, which GitHub, GitLab and the others set) nor when output is piped,
and only once a step has taken more than ``delay`` seconds: a quick run prints
nothing more than before. The line is erased when the step ends, so what the
command prints afterwards stays as it was.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

# Seconds before a bar shows, and between two redraws.
DELAY = 1.5
REDRAW = 0.1
BAR_WIDTH = 24


def wanted(stream: TextIO | None = None, *, quiet: bool = False) -> bool:
    """Whether a progress bar belongs on ``stream`` (stderr by default)."""
    stream = sys.stderr if stream is None else stream
    if quiet or os.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class ProgressBar:
    """``on_progress`` for a step: draws ``label``'s progress on ``stream`` (see the module)."""

    def __init__(self, label: str, *, stream: TextIO | None = None, unit: str = "articles",
                 delay: float = DELAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.unit = unit
        self.stream = sys.stderr if stream is None else stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None
        self.width = 0  # of the line on the screen

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        elapsed = now - self.started
        if elapsed < self.delay or total <= 0:
            return
        if self.drawn_at is not None and now - self.drawn_at < REDRAW and done < total:
            return
        self.drawn_at = now
        self._show(line(self.label, done, total, elapsed, unit=self.unit))

    def close(self) -> None:
        """Erase the bar, if it was drawn."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _show(self, text: str) -> None:
        padding = " " * max(0, self.width - len(text))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self.width = len(text)


def line(label: str, done: int, total: int, elapsed: float, *, unit: str = "articles") -> str:
    """The bar's text: how many of how many, how fast, and how long is left."""
    done = min(done, total)
    filled = BAR_WIDTH * done // total
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate > 0 else None
    parts = [
        f"{label}  {done:,}/{total:,} {unit}",
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}]",
        f"{100 * done // total:3d}%",
        f"{rate:.1f}/s",
        f"{_duration(left)} left" if left is not None else "",
    ]
    return "  ".join(part for part in parts if part)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
