"""A modal dialog for errors a user can act on: message, hint, and OK."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reader.untrusted import printable


class ErrorDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q", "dismiss_dialog", "Close", priority=True)]

    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ErrorDialog #error-title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorDialog #error-hint { color: $text-muted; margin-top: 1; }
    ErrorDialog Button { margin-top: 1; }
    """

    def __init__(self, title: str, message: str, hint: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            # a message names files and quotes articles: plain Text, controls made visible
            yield Static(Text(printable(self.title_text)), id="error-title")
            yield Static(Text(printable(self.message)), id="error-message")
            if self.hint:
                yield Static(Text("hint: " + printable(self.hint)), id="error-hint")
            yield Button("OK", variant="error", id="error-ok")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)
