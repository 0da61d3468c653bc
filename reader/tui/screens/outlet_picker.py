"""Choose the outlet the claim list keeps claims of: type to narrow, Enter chooses, Esc leaves it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.tui.claims import OutletChoice

EVERY_OUTLET = ""  # what the picker returns for "no outlet filter"


def matching(choices: Sequence[OutletChoice], words: str) -> list[OutletChoice]:
    """The choices whose label or id holds every word typed (case-insensitive)."""
    needles = words.casefold().split()
    return [c for c in choices if all(n in f"{c.label} {c.doc_id}".casefold() for n in needles)]


class OutletPicker(ModalScreen[str | None]):
    """Returns a document id, EVERY_OUTLET, or None when the reader leaves with Escape."""

    BINDINGS = [
        Binding("escape", "leave", "Close", priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    OutletPicker { align: center middle; }
    OutletPicker > Vertical {
        width: 72; max-width: 95%; height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    OutletPicker #picker-title { text-style: bold; }
    OutletPicker OptionList { height: 1fr; }
    """

    def __init__(self, choices: Sequence[OutletChoice], current: str | None) -> None:
        super().__init__()
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Claims of one outlet — type to narrow, Enter chooses, Esc leaves"), id="picker-title")
            yield Input(placeholder="outlet, language or id", id="picker-words")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-words", Input).focus()

    def _fill(self, words: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        if not words.strip():
            options.add_option(Option(Text("every outlet (no filter)", style="italic"), id="\0all"))
        for c in matching(self.choices, words):
            prompt = Text(c.label)
            prompt.append(f"  {c.claims} claim{'s' if c.claims != 1 else ''}", style="dim")
            if c.doc_id == self.current:
                prompt.append("  (now)", style="bold")
            options.add_option(Option(prompt, id=c.doc_id))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-words")
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-words")
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        self.dismiss(EVERY_OUTLET if option_id in (None, "\0all") else option_id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    def action_leave(self) -> None:
        self.dismiss(None)
