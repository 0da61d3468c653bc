"""Progress reports from the pipeline's stages, sent through a callback.

The CLI draws them on stderr, the terminal app turns them into messages; the
stages themselves never print.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from reader.errors import Cancelled

STAGES = ("reading", "translating", "embedding", "aligning", "comparing")


@dataclass(frozen=True)
class Progress:
    stage: str  # one of STAGES (batch mode adds its own, e.g. "grouping")
    done: int
    total: int
    message: str = ""


ProgressFn = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    return None


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise Cancelled between batches when the user asked to stop."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()
