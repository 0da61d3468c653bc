"""Progress of a running build, stage by stage, with Escape to cancel."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reader.progress import STAGES, Progress


def progress_text(seen: dict[str, Progress], current: str | None, paths: int, cancelling: bool) -> Text:
    """Stages before the current one are done, the current one has a bar, later ones wait."""
    out = Text()
    out.append(f"Building a report from {paths} path{'s' if paths != 1 else ''}\n\n", style="bold")
    stages = list(STAGES) + [s for s in seen if s not in STAGES]
    at = stages.index(current) if current in stages else -1
    for i, stage in enumerate(stages):
        p = seen.get(stage)
        counts = f" {p.done}/{p.total}" if p and p.total else ""
        if i < at:
            out.append(f" ✓ {stage:<12}{counts}\n", style="green")
        elif i == at and p is not None:
            width = 24
            fill = min(width, int(width * p.done / p.total)) if p.total else 0
            out.append(f" ▸ {stage:<12} ", style="bold")
            out.append("█" * fill, style="bold cyan")
            out.append("░" * (width - fill), style="dim")
            out.append(counts)
            if p.message:
                out.append(f"  {p.message}", style="dim")
            out.append("\n")
        else:
            out.append(f" · {stage:<12}\n", style="dim")
    out.append("\n")
    out.append("cancelling…" if cancelling else "Escape cancels", style="italic dim")
    return out


class ProgressView(Static):
    def __init__(self, paths: int) -> None:
        super().__init__(id="progress", markup=False)
        self.paths = paths
        self.seen: dict[str, Progress] = {}
        self.current: str | None = None
        self.cancelling = False

    def on_mount(self) -> None:
        self._draw()

    def advance(self, p: Progress) -> None:
        self.seen[p.stage] = p
        self.current = p.stage
        self._draw()

    def mark_cancelling(self) -> None:
        self.cancelling = True
        self._draw()

    def _draw(self) -> None:
        self.update(progress_text(self.seen, self.current, self.paths, self.cancelling))
