"""The one-line status bar: counts, text mode, filter, current claim, matches."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """Repaints itself only: an update never asks for a layout pass."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text("reader")

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text
