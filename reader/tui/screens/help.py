"""The help screen: every key of the reader, generated from the bindings."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

PRETTY = {
    "left": "←", "right": "→", "up": "↑", "down": "↓", "escape": "Esc", "enter": "Enter",
    "question_mark": "?", "slash": "/", "pageup": "PgUp", "pagedown": "PgDn",
    "home": "Home", "end": "End", "shift+d": "D", "shift+n": "N",
    "left_square_bracket": "[", "right_square_bracket": "]", "space": "Space",
}


def key_label(keys: str) -> str:
    return " ".join(PRETTY.get(k.strip(), k.strip()) for k in keys.split(","))


def help_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding):
            keys, desc = b.key, b.tooltip or b.description
        else:
            keys, desc = b[0], b[2] if len(b) > 2 else b[1]
        rows.append((key_label(keys), desc or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q,enter", "close", "Close help", priority=True)]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, bindings: Iterable[BindingType], legend: Iterable[tuple[str, str]] = (),
                 sections: Iterable[tuple[str, Iterable[BindingType]]] = ()) -> None:
        super().__init__()
        self.rows = help_rows(bindings)
        self.legend = list(legend)
        self.sections = [(title, help_rows(b)) for title, b in sections]  # keys of one widget, when focused
        self.rows += [row for _title, rows in self.sections for row in rows]

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        sectioned = sum(len(rows) for _title, rows in self.sections)
        for keys, desc in self.rows[: len(self.rows) - sectioned]:
            table.add_row(Text(keys), Text(desc))
        for mark, meaning in self.legend:
            table.add_row(Text(mark), Text(meaning, style="dim"))
        table.add_row(Text("click"), Text("select a sentence; claim view: a claim, or pick an outlet"))
        for title, rows in self.sections:
            table.add_row(Text(""), Text(title, style="bold"))
            for keys, desc in rows:
                table.add_row(Text(keys), Text(desc))
        with VerticalScroll():
            yield Static(Text("reader — keys", style="bold"))
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
