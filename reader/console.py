"""Progress on stderr for the command line: one tidy line, no UI framework.

On a terminal the line is redrawn in place; otherwise (a pipe, CI) each stage
prints one line when it starts and one when it finishes, plus notices that carry
no count (such as building the embedding model), so logs stay short.
"""

from __future__ import annotations

import threading
import time
from typing import TextIO

from reader.progress import Progress


class LineProgress:
    def __init__(self, err: TextIO, min_interval: float = 0.2) -> None:
        self.err = err
        self.tty = bool(getattr(err, "isatty", lambda: False)())
        self.min_interval = min_interval
        self._last = 0.0
        self._stage = ""
        self._width = 0
        self._lock = threading.Lock()

    def __call__(self, p: Progress) -> None:
        with self._lock:
            now = time.monotonic()
            finished = bool(p.total) and p.done >= p.total
            if p.stage == self._stage and p.total and not finished and now - self._last < self.min_interval:
                return
            self._last = now
            count = f" {p.done}/{p.total}" if p.total else ""
            line = f"{p.stage:<11}{count}  {p.message}".rstrip()
            if self.tty:
                pad = max(0, self._width - len(line))
                self.err.write("\r" + line + " " * pad)
                self._width = len(line)
            elif p.stage != self._stage or finished or not p.total:  # a notice (no count) always shows
                self.err.write(line + "\n")
            self._stage = p.stage
            self.err.flush()

    def clear(self) -> None:
        """Wipe the line (on a terminal) before something else is printed."""
        with self._lock:
            if self.tty and self._width:
                self.err.write("\r" + " " * self._width + "\r")
                self.err.flush()
            self._width = 0
